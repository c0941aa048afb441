// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Process-event filtering for the timeline; see procs.h.  Pure. */
#include <string.h>
#include "procs.h"

/* Open addressing on pid; a full table just shows events unfiltered. */
static struct proc_slot *slot(struct procs *ps, uint32_t pid, int create)
{
	uint32_t h = (pid * 2654435761u) % PROCS_MAX;

	for (int i = 0; i < PROCS_MAX; i++) {
		struct proc_slot *s = &ps->slots[(h + i) % PROCS_MAX];

		if (s->pid == pid)
			return s;
		if (!s->pid) {
			if (!create)
				return NULL;
			memset(s, 0, sizeof(*s));
			s->pid = pid;
			return s;
		}
	}
	return NULL;
}

/* Removal keeps later probe chains intact by re-inserting what follows. */
static void drop(struct procs *ps, struct proc_slot *s)
{
	uint32_t idx = s - ps->slots;

	s->pid = 0;
	for (uint32_t i = (idx + 1) % PROCS_MAX; ps->slots[i].pid; i = (i + 1) % PROCS_MAX) {
		struct proc_slot tmp = ps->slots[i];

		ps->slots[i].pid = 0;
		*slot(ps, tmp.pid, 1) = tmp;
	}
}

void procs__init(struct procs *ps, const uint32_t *roots, int nroots, int show_all)
{
	memset(ps, 0, sizeof(*ps));
	ps->show_all = show_all;
	for (int i = 0; i < nroots; i++) {
		struct proc_slot *s = slot(ps, roots[i], 1);

		if (s)
			s->shown = 1;
	}
}

void procs__event(struct procs *ps, const struct proc_event *p, procs_emit_fn emit, void *ctx)
{
	struct proc_slot *s = slot(ps, p->pid, p->kind == PROC_FORK);

	if (ps->show_all || (s && s->shown) || (!s && p->kind == PROC_FORK)) {
		emit(ctx, p);
		if (s && p->kind == PROC_EXIT)
			drop(ps, s);
		return;
	}
	if (!s)
		return; /* exec or exit of a process never shown: not worth a line */
	if (p->kind == PROC_FORK) {
		s->fork = *p;
		s->has_fork = 1;
	} else if (p->kind == PROC_EXEC) {
		s->exec = *p;
		s->has_exec = 1;
	} else {
		drop(ps, s);
	}
}

void procs__call(struct procs *ps, uint32_t pid, procs_emit_fn emit, void *ctx)
{
	struct proc_slot *s;

	if (ps->show_all)
		return;
	s = slot(ps, pid, 0);
	if (!s || s->shown)
		return;
	if (s->has_fork)
		emit(ctx, &s->fork);
	if (s->has_exec)
		emit(ctx, &s->exec);
	s->shown = 1;
}
