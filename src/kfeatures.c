// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Kernel feature experiments; see kfeatures.h. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>
#include "kfeatures.h"
#include "hooks.h"
#include "ksyms.h"

/*
 * The experiment: load "return 0" as prog_type with opts, attach it with
 * attach_type and lopts, then let go.  Returns 1 if the kernel allowed both;
 * else why says "<prefix> (load: <errno>)" or "(attach: ...)".
 */
static int try_prog(enum bpf_prog_type type, const struct bpf_prog_load_opts *opts,
		    enum bpf_attach_type attach_type, const struct bpf_link_create_opts *lopts,
		    const char *prefix, char *why, size_t len)
{
	struct bpf_insn insns[] = {
		{.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0},
		{.code = BPF_JMP | BPF_EXIT},
	};
	int fd, lfd;

	fd = bpf_prog_load(type, "nt_feature_test", "GPL", insns, 2, opts);
	if (fd < 0) {
		snprintf(why, len, "%s (load: %s)", prefix, strerror(errno));
		return 0;
	}
	lfd = bpf_link_create(fd, 0, attach_type, lopts);
	if (lfd < 0)
		snprintf(why, len, "%s (attach: %s)", prefix, strerror(errno));
	else
		close(lfd);
	close(fd);
	return lfd >= 0;
}

/* fentry on a hook function. */
static void probe_fentry(struct kernel_features *f, const struct btf *vmlinux)
{
	int id = vmlinux ? btf__find_by_name_kind(vmlinux, "__sock_create", BTF_KIND_FUNC) : -1;
	LIBBPF_OPTS(bpf_prog_load_opts, opts, .expected_attach_type = BPF_TRACE_FENTRY,
		    .attach_btf_id = id);

	if (id < 0) {
		snprintf(f->fentry_why, sizeof(f->fentry_why), "no BTF for the hook functions");
		return;
	}
	f->fentry_ok = try_prog(BPF_PROG_TYPE_TRACING, &opts, BPF_TRACE_FENTRY, NULL,
				"refused by this kernel", f->fentry_why, sizeof(f->fentry_why));
}

/* libbpf attaches kprobes through the kprobe PMU, or the legacy kprobe_events file. */
static void probe_kprobe(struct kernel_features *f)
{
	if (!access("/sys/bus/event_source/devices/kprobe/type", F_OK) ||
	    !access("/sys/kernel/tracing/kprobe_events", F_OK) ||
	    !access("/sys/kernel/debug/tracing/kprobe_events", F_OK)) {
		f->kprobe_ok = 1;
		return;
	}
	snprintf(f->kprobe_why, sizeof(f->kprobe_why),
		 "not in this kernel (no kprobe PMU: built without CONFIG_KPROBES)");
}

/* kprobe.multi needs CONFIG_FPROBE (Debian 6.1 lacks it): try it on one function. */
static void probe_kprobe_multi(struct kernel_features *f)
{
	const char *syms[] = {"__sock_create"};
	LIBBPF_OPTS(bpf_prog_load_opts, opts, .expected_attach_type = BPF_TRACE_KPROBE_MULTI);
	LIBBPF_OPTS(bpf_link_create_opts, lopts, .kprobe_multi.syms = syms, .kprobe_multi.cnt = 1);

	f->kprobe_multi_ok = try_prog(BPF_PROG_TYPE_KPROBE, &opts, BPF_TRACE_KPROBE_MULTI, &lopts,
				      "kprobe.multi not in this kernel", f->kprobe_multi_why,
				      sizeof(f->kprobe_multi_why));
}

/* The number of arguments of tracepoint tp, -1 if the kernel has no such tracepoint. */
static int tp_nargs(const struct btf *vmlinux, const char *tp)
{
	char name[96];
	const struct btf_type *t;
	int id;

	snprintf(name, sizeof(name), "btf_trace_%s", tp);
	id = vmlinux ? btf__find_by_name_kind(vmlinux, name, BTF_KIND_TYPEDEF) : -1;
	if (id < 0)
		return -1;
	t = btf__type_by_id(vmlinux, id);
	while (t && (btf_is_typedef(t) || btf_is_ptr(t)))
		t = btf__type_by_id(vmlinux, t->type);
	/* the prototype's first parameter is the tracepoint's private data */
	return t && btf_is_func_proto(t) ? btf_vlen(t) - 1 : -1;
}

static void probe_uring(struct kernel_features *f, const struct btf *vmlinux)
{
	if (tp_nargs(vmlinux, "io_uring_submit_req") >= 0)
		f->uring_submit_tp = "io_uring_submit_req";
	else if (tp_nargs(vmlinux, "io_uring_submit_sqe") >= 0)
		f->uring_submit_tp = "io_uring_submit_sqe";
	f->uring_complete_cqe = tp_nargs(vmlinux, "io_uring_complete") == 3;
	if (tp_nargs(vmlinux, "io_uring_complete") < 0)
		f->uring_submit_tp = NULL;
}

void features_detect(struct kernel_features *f, const struct btf *vmlinux,
		     const struct ksyms *(*get_ksyms)(void *ctx), void *ctx)
{
	const struct ksyms *ksyms = NULL;
	char name[96];

	memset(f, 0, sizeof(*f));
	probe_fentry(f, vmlinux);
	probe_kprobe(f);
	if (f->kprobe_ok) {
		probe_kprobe_multi(f);
		ksyms = get_ksyms(ctx);
	}
	for (unsigned int fn = 1; fn < NT_FN_MAX; fn++) {
		const char *n = fn_name(fn);

		if (!n)
			continue;
		if (fn_is_tracepoint(fn)) {
			snprintf(name, sizeof(name), "btf_trace_%s", n);
			f->tp_exists[fn] = vmlinux && btf__find_by_name_kind(vmlinux, name,
									     BTF_KIND_TYPEDEF) >= 0;
			continue;
		}
		f->in_btf[fn] = vmlinux && btf__find_by_name_kind(vmlinux, n, BTF_KIND_FUNC) >= 0;
		f->in_kallsyms[fn] = ksyms__has(ksyms, n);
	}
	probe_uring(f, vmlinux);
}
