/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The mechanism of each kernel-path hook, chosen from what the kernel offers:
 * fentry, else kprobe, else tracepoints; or the one the user forced, which
 * must then be available (a forced mechanism never falls back silently).
 * Pure: tests/unit/test_plan.c feeds it kernels that do not exist here.
 */
#ifndef PLAN_H
#define PLAN_H

#include <stddef.h>
#include "kfeatures.h"
#include "probes.h"

/* 0, or -EOPNOTSUPP with err saying why the forced mechanism cannot be used. */
int plan_hooks(const struct kernel_features *f, enum mech forced, struct probe_report *r, char *err,
	       size_t errlen);

#endif /* PLAN_H */
