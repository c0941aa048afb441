/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The classroom commands: serve, load, demo (and demo --compare, in compare.c). */
#ifndef CMD_DEMO_H
#define CMD_DEMO_H

#include <stddef.h>
#include "cli.h"

int cmd_serve_main(const struct config *cfg);
int cmd_load_main(const struct config *cfg);
int cmd_demo(const struct config *cfg);
/* socktrace's own binary (demo and compare run it as server and client); 0 or -1 after a message. */
int demo_self_exe(char *buf, size_t len);
/* A port free right now on host; -1 after a message. */
int demo_port(const struct config *cfg);

#endif /* CMD_DEMO_H */
