// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdlib.h>
#include "procs.h"
#include "unit.h"

static char seen[1024];

static void emit(void *ctx, const struct proc_event *p)
{
	(void)ctx;
	snprintf(seen + strlen(seen), sizeof(seen) - strlen(seen), "%s%u:%d", *seen ? " " : "",
		 p->pid, p->kind);
}

static struct proc_event ev(uint32_t pid, int kind)
{
	return (struct proc_event){.pid = pid, .kind = kind};
}

int main(void)
{
	static struct procs ps;
	uint32_t root = 100;
	struct proc_event e;

	procs__init(&ps, &root, 1, 0);
	e = ev(100, PROC_EXEC);
	procs__event(&ps, &e, emit, NULL); /* the root: shown */
	e = ev(101, PROC_FORK);
	procs__event(&ps, &e, emit, NULL); /* held */
	e = ev(101, PROC_EXEC);
	procs__event(&ps, &e, emit, NULL); /* held */
	e = ev(101, PROC_EXIT);
	procs__event(&ps, &e, emit, NULL); /* never made a call: dropped */
	e = ev(102, PROC_FORK);
	procs__event(&ps, &e, emit, NULL);
	procs__call(&ps, 102, emit, NULL); /* releases its fork */
	procs__call(&ps, 102, emit, NULL); /* only once */
	e = ev(102, PROC_EXIT);
	procs__event(&ps, &e, emit, NULL);
	e = ev(100, PROC_EXIT);
	procs__event(&ps, &e, emit, NULL);
	t_streq(seen, "100:2 102:1 102:3 100:3");

	/* many short-lived children: slots are reused, lookups still find the live ones */
	procs__init(&ps, &root, 1, 0);
	for (uint32_t pid = 1000; pid < 1000 + 3 * PROCS_MAX; pid++) {
		e = ev(pid, PROC_FORK);
		procs__event(&ps, &e, emit, NULL);
		e = ev(pid, PROC_EXIT);
		procs__event(&ps, &e, emit, NULL);
	}
	seen[0] = 0;
	e = ev(7, PROC_FORK);
	procs__event(&ps, &e, emit, NULL);
	procs__call(&ps, 7, emit, NULL);
	t_streq(seen, "7:1");

	seen[0] = 0;
	procs__init(&ps, &root, 1, 1); /* -v: everything */
	e = ev(5, PROC_EXEC);
	procs__event(&ps, &e, emit, NULL);
	t_streq(seen, "5:2");
	return t_done();
}
