/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* --explain: a plain sentence saying what the kernel did for a kind of call. */
#ifndef EXPLAIN_H
#define EXPLAIN_H

#include <stddef.h>
#include "model.h"

#define EXPLAIN_KEYS 512 /* explain_key() is below this */

/* The sentence for c's kind of call into buf; 0 if there is none. */
int explain_call(const struct call *c, char *buf, size_t len);
/* Calls with one sentence share a key (accept and accept4, ...): explain each once. */
unsigned int explain_key(const struct call *c);

#endif /* EXPLAIN_H */
