/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* --explain: plain sentences saying what the kernel did and what a result means. */
#ifndef EXPLAIN_H
#define EXPLAIN_H

#include <stddef.h>
#include "model.h"

#define EXPLAIN_KEYS	 512 /* the kinds of call, of io_uring request and of result */
#define EXPLAIN_TEXT_MAX 400

/* What a view has said already: each sentence is said once. */
struct explained {
	unsigned char said[EXPLAIN_KEYS];
};

/*
 * The sentences c brings that e has not said yet, into out (at most 2: what
 * the kernel did for its kind of call, then what its result means, such as
 * EAGAIN or end of file); each is marked said.  Returns how many.
 */
int explain_new(struct explained *e, const struct call *c, char out[2][EXPLAIN_TEXT_MAX]);

#endif /* EXPLAIN_H */
