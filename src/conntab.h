/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * --by conn for a recording: the table of connections the kernel keeps while
 * tracing (bpf/conns.bpf.h), counted here from the calls recorded.  Pure.
 */
#ifndef CONNTAB_H
#define CONNTAB_H

#include "model.h"
#include "summary.h"

struct conntab;

struct conntab *conntab__new(void);
void conntab__free(struct conntab *t);
/* A call or io_uring completion, counted in the row of the socket it was made on. */
void conntab__add(struct conntab *t, const struct call *c);
/* A close the table does not count (-e without close, -Z, --min-duration)
 * still ends its connection's row, if it has one, as bpf/conns.bpf.h's does. */
void conntab__close_uncounted(struct conntab *t, const struct call *c);
/* The rows in the order they were made; *n of them.  The table keeps them. */
struct conn_row *conntab__rows(struct conntab *t, int *n);

#endif /* CONNTAB_H */
