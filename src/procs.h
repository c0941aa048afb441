/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Which process events reach the output.  A launched shell script can fork
 * hundreds of helpers that never touch a socket; their fork/exec/exit lines
 * would bury the calls.  So a followed child's fork and exec are held back
 * and shown just before its first traced call, and its exit only if it was
 * shown; the processes the user named are always shown (-v shows everything).
 */
#ifndef PROCS_H
#define PROCS_H

#include "model.h"

#define PROCS_MAX 4096

struct proc_slot {
	uint32_t pid; /* 0: free */
	int shown;
	int has_fork, has_exec;
	struct proc_event fork, exec;
};

struct procs {
	struct proc_slot slots[PROCS_MAX];
	int show_all;
};

typedef void (*procs_emit_fn)(void *ctx, const struct proc_event *p);

void procs__init(struct procs *ps, const uint32_t *roots, int nroots, int show_all);
/* A process event arrived: emit now, hold, or drop. */
void procs__event(struct procs *ps, const struct proc_event *p, procs_emit_fn emit, void *ctx);
/* pid made a traced call: first release what was held for it. */
void procs__call(struct procs *ps, uint32_t pid, procs_emit_fn emit, void *ctx);

#endif /* PROCS_H */
