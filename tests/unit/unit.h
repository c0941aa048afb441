/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* A tiny test harness: checks count failures, main returns T_EXIT_*. */
#ifndef UNIT_H
#define UNIT_H

#include <stdio.h>
#include <string.h>

#define T_EXIT_PASS 0
#define T_EXIT_FAIL 1
#define T_EXIT_SKIP 77

static int t_failures;

#define t_check(cond)                                                                              \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);   \
			t_failures++;                                                              \
		}                                                                                  \
	} while (0)

#define t_streq(got, want)                                                                         \
	do {                                                                                       \
		const char *g_ = (got), *w_ = (want);                                              \
		if (strcmp(g_ ? g_ : "(null)", w_ ? w_ : "(null)")) {                              \
			fprintf(stderr, "%s:%d: %s\n  got:  \"%s\"\n  want: \"%s\"\n", __FILE__,   \
				__LINE__, #got, g_ ? g_ : "(null)", w_ ? w_ : "(null)");           \
			t_failures++;                                                              \
		}                                                                                  \
	} while (0)

#define t_done() (t_failures ? T_EXIT_FAIL : T_EXIT_PASS)

#endif /* UNIT_H */
