// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Kernel feature experiments; see kfeatures.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>
#include "kfeatures.h"
#include "hooks.h"
#include "ksyms.h"

/* "return 0" loaded as prog_type with opts: its fd, or -1 with errno set. */
static int load_test_prog(enum bpf_prog_type type, const struct bpf_prog_load_opts *opts)
{
	struct bpf_insn insns[] = {
		{.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0},
		{.code = BPF_JMP | BPF_EXIT},
	};

	return bpf_prog_load(type, "nt_feature_test", "GPL", insns, 2, opts);
}

/*
 * The experiment: load a test program as prog_type with opts, attach it with
 * attach_type and lopts, then let go.  Returns 1 if the kernel allowed both;
 * else why says "<prefix> (load: <errno>)" or "(attach: ...)".
 */
static int try_prog(enum bpf_prog_type type, const struct bpf_prog_load_opts *opts,
		    enum bpf_attach_type attach_type, const struct bpf_link_create_opts *lopts,
		    const char *prefix, char *why, size_t len)
{
	int fd = load_test_prog(type, opts), lfd;

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

/*
 * The BTF ids of the functions and tracepoint typedefs asked about, found in
 * one pass over the kernel's types: libbpf's btf__find_by_name_kind scans
 * them all on every call, and forty scans of 150,000 types were a fifth of
 * the time to attach.
 */
struct btf_want {
	char name[96];
	int kind;
	int id; /* -1: not in this kernel */
};

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct btf_want *)a)->name, ((const struct btf_want *)b)->name);
}

static void btf_find_all(const struct btf *btf, struct btf_want *w, size_t n)
{
	unsigned int types = btf ? btf__type_cnt(btf) : 0;

	for (size_t i = 0; i < n; i++)
		w[i].id = -1;
	qsort(w, n, sizeof(*w), by_name);
	for (unsigned int id = 1; id < types; id++) {
		const struct btf_type *t = btf__type_by_id(btf, id);
		struct btf_want key, *hit;
		const char *name;

		if (!t || (btf_kind(t) != BTF_KIND_FUNC && btf_kind(t) != BTF_KIND_TYPEDEF &&
			   btf_kind(t) != BTF_KIND_ENUM))
			continue;
		name = btf__name_by_offset(btf, t->name_off);
		if (!name || strlen(name) >= sizeof(key.name))
			continue;
		strcpy(key.name, name);
		hit = bsearch(&key, w, n, sizeof(*w), by_name);
		if (hit && hit->kind == (int)btf_kind(t) && hit->id < 0)
			hit->id = id;
	}
}

static int want_id(const struct btf_want *w, size_t n, const char *name)
{
	struct btf_want key;
	const struct btf_want *hit;

	snprintf(key.name, sizeof(key.name), "%s", name);
	hit = bsearch(&key, w, n, sizeof(*w), by_name);
	return hit ? hit->id : -1;
}

/* fentry on a hook function. */
static void probe_fentry(struct kernel_features *f, int id)
{
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
static int tp_nargs(const struct btf *vmlinux, const struct btf_want *w, size_t n, const char *tp)
{
	char name[96];
	const struct btf_type *t;
	int id;

	snprintf(name, sizeof(name), "btf_trace_%s", tp);
	id = want_id(w, n, name);
	if (id < 0)
		return -1;
	t = btf__type_by_id(vmlinux, id);
	while (t && (btf_is_typedef(t) || btf_is_ptr(t)))
		t = btf__type_by_id(vmlinux, t->type);
	/* the prototype's first parameter is the tracepoint's private data */
	return t && btf_is_func_proto(t) ? btf_vlen(t) - 1 : -1;
}

static const char *const uring_tps[] = {"io_uring_submit_req", "io_uring_submit_sqe",
					"io_uring_complete"};

static void probe_uring(struct kernel_features *f, const struct btf *vmlinux,
			const struct btf_want *w, size_t n)
{
	if (tp_nargs(vmlinux, w, n, "io_uring_submit_req") >= 0)
		f->uring_submit_tp = "io_uring_submit_req";
	else if (tp_nargs(vmlinux, w, n, "io_uring_submit_sqe") >= 0)
		f->uring_submit_tp = "io_uring_submit_sqe";
	f->uring_complete_cqe = tp_nargs(vmlinux, w, n, "io_uring_complete") == 3;
	if (tp_nargs(vmlinux, w, n, "io_uring_complete") < 0)
		f->uring_submit_tp = NULL;
}

/*
 * The cgroup hooks' attach types, by name: their numbers are the kernel's to
 * give.  A kernel without CONFIG_CGROUP_BPF names them all but loads no
 * cgroup program, and one program refused fails the whole object's load.
 */
static void probe_cgroup(struct kernel_features *f, const struct btf *vmlinux,
			 const struct btf_want *w, size_t n)
{
	LIBBPF_OPTS(bpf_prog_load_opts, opts, .expected_attach_type = BPF_CGROUP_INET_SOCK_CREATE);
	int id = want_id(w, n, "bpf_attach_type"), fd;
	const struct btf_type *t = id > 0 ? btf__type_by_id(vmlinux, id) : NULL;
	const struct btf_enum *e = t ? btf_enum(t) : NULL;

	fd = load_test_prog(BPF_PROG_TYPE_CGROUP_SOCK, &opts);
	if (fd < 0) {
		snprintf(f->cg_why, sizeof(f->cg_why), "%s",
			 errno == EPERM ? "cgroup hooks need CAP_NET_ADMIN"
					: "cgroup hooks refused by this kernel");
		return;
	}
	close(fd);

	for (int i = 0; e && i < btf_vlen(t); i++, e++) {
		const char *name = btf__name_by_offset(vmlinux, e->name_off);

		for (int cg = CG_NONE + 1; cg < CG_MAX && name; cg++)
			if (!strcmp(name, cg_hooks[cg].attach_type)) {
				f->cg_exists[cg] = 1;
				f->cg_attach_type[cg] = e->val;
			}
	}
}

void features_detect(struct kernel_features *f, const struct btf *vmlinux,
		     const struct ksyms *(*get_ksyms)(void *ctx), void *ctx)
{
	static struct btf_want want[NT_FN_MAX + 8];
	const struct ksyms *ksyms = NULL;
	char name[96];
	size_t n = 0;

	memset(f, 0, sizeof(*f));
	/* every name asked below, looked up in one pass */
	want[n++] = (struct btf_want){.name = "__sock_create", .kind = BTF_KIND_FUNC};
	for (unsigned int fn = 1; fn < NT_FN_MAX; fn++) {
		const char *fname = fn_name(fn);

		if (!fname)
			continue;
		if (fn_is_tracepoint(fn))
			snprintf(want[n].name, sizeof(want[n].name), "btf_trace_%s", fname);
		else
			snprintf(want[n].name, sizeof(want[n].name), "%s", fname);
		want[n++].kind = fn_is_tracepoint(fn) ? BTF_KIND_TYPEDEF : BTF_KIND_FUNC;
	}
	for (size_t i = 0; i < sizeof(uring_tps) / sizeof(uring_tps[0]); i++) {
		snprintf(want[n].name, sizeof(want[n].name), "btf_trace_%s", uring_tps[i]);
		want[n++].kind = BTF_KIND_TYPEDEF;
	}
	want[n++] = (struct btf_want){.name = "bpf_attach_type", .kind = BTF_KIND_ENUM};
	btf_find_all(vmlinux, want, n);

	probe_fentry(f, want_id(want, n, "__sock_create"));
	probe_kprobe(f);
	if (f->kprobe_ok) {
		probe_kprobe_multi(f);
		ksyms = get_ksyms(ctx);
	}
	for (unsigned int fn = 1; fn < NT_FN_MAX; fn++) {
		const char *fname = fn_name(fn);

		if (!fname)
			continue;
		if (fn_is_tracepoint(fn)) {
			snprintf(name, sizeof(name), "btf_trace_%s", fname);
			f->tp_exists[fn] = want_id(want, n, name) >= 0;
			continue;
		}
		f->in_btf[fn] = want_id(want, n, fname) >= 0;
		f->in_kallsyms[fn] = ksyms__has(ksyms, fname);
	}
	probe_uring(f, vmlinux, want, n);
	probe_cgroup(f, vmlinux, want, n);
}
