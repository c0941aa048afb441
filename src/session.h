/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* `run` and `attach`: a traced session from set-up to footer; returns the exit status. */
#ifndef SESSION_H
#define SESSION_H

#include "cli.h"

int session_run(const struct config *cfg);

/* What `run` launches: the command, and for a demo its client. */
struct launch {
	char **argv;	     /* traced; socktrace exits with its status */
	const char *name;    /* for the header, instead of argv[0]'s name */
	char **companion;    /* started once the command's first stdout line is out */
	int trace_companion; /* trace the companion too */
};

/* run's session for a launch: the companion ends the command (SIGTERM) when it
 * is done, and its failure is the exit status. */
int session_launch(const struct config *cfg, const struct launch *l);
int session_attach(const struct config *cfg);

#endif /* SESSION_H */
