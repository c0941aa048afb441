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

/* Loads "return 0" as fentry on a hook function and attaches it, then lets go. */
static void probe_fentry(struct kernel_features *f, const struct btf *vmlinux)
{
	struct bpf_insn insns[] = {
		{.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0},
		{.code = BPF_JMP | BPF_EXIT},
	};
	LIBBPF_OPTS(bpf_prog_load_opts, opts, .expected_attach_type = BPF_TRACE_FENTRY);
	int id = vmlinux ? btf__find_by_name_kind(vmlinux, "__sock_create", BTF_KIND_FUNC) : -1;
	int fd, lfd;

	if (id < 0) {
		snprintf(f->fentry_why, sizeof(f->fentry_why), "no BTF for the hook functions");
		return;
	}
	opts.attach_btf_id = id;
	fd = bpf_prog_load(BPF_PROG_TYPE_TRACING, "nt_fentry_test", "GPL", insns, 2, &opts);
	if (fd < 0) {
		snprintf(f->fentry_why, sizeof(f->fentry_why), "refused by this kernel (load: %s)",
			 strerror(errno));
		return;
	}
	lfd = bpf_link_create(fd, 0, BPF_TRACE_FENTRY, NULL);
	if (lfd < 0)
		snprintf(f->fentry_why, sizeof(f->fentry_why),
			 "refused by this kernel (attach: %s)", strerror(errno));
	else
		f->fentry_ok = 1;
	if (lfd >= 0)
		close(lfd);
	close(fd);
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
	struct bpf_insn insns[] = {
		{.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0},
		{.code = BPF_JMP | BPF_EXIT},
	};
	const char *syms[] = {"__sock_create"};
	LIBBPF_OPTS(bpf_prog_load_opts, opts, .expected_attach_type = BPF_TRACE_KPROBE_MULTI);
	LIBBPF_OPTS(bpf_link_create_opts, lopts, .kprobe_multi.syms = syms, .kprobe_multi.cnt = 1);
	int fd, lfd;

	fd = bpf_prog_load(BPF_PROG_TYPE_KPROBE, "nt_kmulti_test", "GPL", insns, 2, &opts);
	if (fd < 0) {
		snprintf(f->kprobe_multi_why, sizeof(f->kprobe_multi_why),
			 "kprobe.multi not in this kernel (load: %s)", strerror(errno));
		return;
	}
	lfd = bpf_link_create(fd, 0, BPF_TRACE_KPROBE_MULTI, &lopts);
	if (lfd < 0)
		snprintf(f->kprobe_multi_why, sizeof(f->kprobe_multi_why),
			 "kprobe.multi not in this kernel (attach: %s)", strerror(errno));
	else
		f->kprobe_multi_ok = 1;
	if (lfd >= 0)
		close(lfd);
	close(fd);
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
}
