/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* `run` and `attach`: a traced session from set-up to footer; returns the exit status. */
#ifndef SESSION_H
#define SESSION_H

#include "cli.h"

int session_run(const struct config *cfg);
int session_attach(const struct config *cfg);

#endif /* SESSION_H */
