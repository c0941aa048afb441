/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What this kernel offers, found by experiment rather than by version:
 * a trivial fentry program loaded and attached, the kprobe PMU looked for,
 * each hook function looked up in BTF and kallsyms, each tracepoint and
 * cgroup hook's attach type in BTF.
 */
#ifndef KFEATURES_H
#define KFEATURES_H

#include <linux/types.h>
#include "socktrace.h"
#include "hooks.h"
#include "poison.h"

struct btf;
struct ksyms;

struct kernel_features {
	int fentry_ok;
	char fentry_why[160]; /* why not, when !fentry_ok */
	int kprobe_ok;
	char kprobe_why[160];
	int kprobe_multi_ok; /* kprobe.multi (fprobe): all functions in one link */
	char kprobe_multi_why[160];
	unsigned char in_btf[NT_FN_MAX];      /* a BTF FUNC: fentry can target it */
	unsigned char in_kallsyms[NT_FN_MAX]; /* a real symbol: not inlined away */
	unsigned char
		tp_exists[NT_FN_MAX]; /* NT_TP_*: the tracepoint exists (its btf_trace_ typedef) */
	/* io_uring's tracepoints changed shape in 6.4: the submission one was
	 * io_uring_submit_sqe, and io_uring_complete took the CQE's fields */
	const char *uring_submit_tp; /* NULL: no io_uring tracepoints */
	int uring_complete_cqe;	     /* io_uring_complete(ctx, req, cqe) */
	/* each cgroup hook's attach type is in this kernel's enum bpf_attach_type, as ... */
	unsigned char cg_exists[CG_MAX];
	int cg_attach_type[CG_MAX];
	char cg_why[64]; /* why no cgroup program loads here, "" if they do */
};

/* ksyms is asked for only where kprobes exist: reading kallsyms is slow. */
void features_detect(struct kernel_features *f, const struct btf *vmlinux,
		     const struct ksyms *(*ksyms)(void *ctx), void *ctx);

#endif /* KFEATURES_H */
