// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Open the skeleton, write the knobs (which calls, follow children), load,
 * seed the traced set, then attach: process following first, the syscall
 * exit before the enter.  tp_btf needs neither tracefs nor kprobes.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "socktrace.skel.h"
#include "log.h"
#include "probes.h"
#include "util.h"
#include "xlat.h"

#define MAX_LINKS 8

struct probes {
	struct socktrace_bpf *skel;
	struct bpf_link *links[MAX_LINKS];
	int nlinks;
};

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_DEBUG && log_verbosity < 2)
		return 0;
	/* libbpf's warnings repeat what our one-line error says; -v shows them */
	if (level != LIBBPF_DEBUG && log_verbosity < 1)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

int probes_check_privileges(void)
{
	unsigned long long eff = 0;
	char line[256];
	FILE *f = fopen("/proc/self/status", "r");

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "CapEff: %llx", &eff) == 1)
			break;
	if (f)
		fclose(f);
	/* CAP_SYS_ADMIN (21), or CAP_BPF (39) with CAP_PERFMON (38) */
	if ((eff & (1ull << 21)) || ((eff & (1ull << 39)) && (eff & (1ull << 38))))
		return 0;
	err("needs root, or CAP_BPF and CAP_PERFMON, to load eBPF programs: run it with sudo");
	return -EPERM;
}

int probes_check_kernel(void)
{
	if (access("/sys/kernel/btf/vmlinux", R_OK)) {
		err("this kernel has no BTF (/sys/kernel/btf/vmlinux is missing): socktrace needs "
		    "a "
		    "kernel built with CONFIG_DEBUG_INFO_BTF=y (Linux 5.8 or later)");
		return -ENOENT;
	}
	if (access("/proc/sys/kernel/bpf_stats_enabled", F_OK) && errno == ENOENT) {
		err("this kernel has no eBPF support (CONFIG_BPF_SYSCALL is off)");
		return -ENOSYS;
	}
	return 0;
}

static int add_link(struct probes *p, struct bpf_link *l)
{
	if (!l)
		return -errno;
	if (p->nlinks >= MAX_LINKS) {
		bpf_link__destroy(l);
		return -E2BIG;
	}
	p->links[p->nlinks++] = l;
	return 0;
}

struct probes *probes__new(const struct probe_opts *o)
{
	struct probes *p = calloc(1, sizeof(*p));
	uint32_t one = 1;
	int ret = 0;

	if (!p)
		return NULL;
	libbpf_set_print(libbpf_print);

	p->skel = socktrace_bpf__open();
	if (!p->skel) {
		ret = -errno;
		err("failed to open the BPF object: %s", strerror(-ret));
		goto cleanup;
	}
	p->skel->rodata->targ_follow = o->follow;
	for (size_t i = 0; i < sys_table_len; i++)
		if (o->sys_on[sys_table[i].id] && sys_table[i].nr >= 0 &&
		    sys_table[i].nr < NT_NR_MAX)
			p->skel->rodata->targ_sys_id[sys_table[i].nr] = sys_table[i].id;
	ret = bpf_map__set_max_entries(p->skel->maps.events, o->buffer_bytes);
	if (ret) {
		err("failed to size the ring buffer to %u bytes: %s", o->buffer_bytes,
		    strerror(-ret));
		goto cleanup;
	}
	/* wake the reader early once half the ring is waiting */
	p->skel->rodata->targ_wakeup_bytes = o->buffer_bytes / 2;

	ret = socktrace_bpf__load(p->skel);
	if (ret) {
		err("failed to load the BPF programs: %s (run with -vv for the verifier log)",
		    strerror(-ret));
		goto cleanup;
	}
	for (int i = 0; i < o->ntgids; i++)
		if (bpf_map_update_elem(bpf_map__fd(p->skel->maps.tgids), &o->tgids[i], &one,
					BPF_ANY)) {
			ret = -errno;
			err("failed to add pid %u to the traced set: %s", o->tgids[i],
			    strerror(-ret));
			goto cleanup;
		}

	ret = add_link(p, bpf_program__attach(p->skel->progs.tp_btf_sched_process_fork));
	if (!ret)
		ret = add_link(p, bpf_program__attach(p->skel->progs.tp_btf_sched_process_exec));
	if (!ret)
		ret = add_link(p, bpf_program__attach(p->skel->progs.tp_btf_sched_process_exit));
	if (ret) {
		err("failed to attach the process-tracking programs: %s", strerror(-ret));
		goto cleanup;
	}
	/* last, so a call's exit is never seen without its enter having been possible */
	ret = add_link(p, bpf_program__attach(p->skel->progs.tp_btf_sys_exit));
	if (!ret)
		ret = add_link(p, bpf_program__attach(p->skel->progs.tp_btf_sys_enter));
	if (ret) {
		err("failed to attach to the raw syscall tracepoints: %s", strerror(-ret));
		goto cleanup;
	}
	return p;
cleanup:
	probes__free(p);
	errno = -ret;
	return NULL;
}

static void destroy_links(struct probes *p)
{
	for (int i = p->nlinks - 1; i >= 0; i--)
		bpf_link__destroy(p->links[i]);
	p->nlinks = 0;
}

void probes__free(struct probes *p)
{
	if (!p)
		return;
	destroy_links(p);
	socktrace_bpf__destroy(p->skel);
	free(p);
}

int probes__ringbuf_fd(const struct probes *p)
{
	return bpf_map__fd(p->skel->maps.events);
}

int probes__stats(const struct probes *p, uint64_t out[NT_STAT_MAX])
{
	int ncpu = libbpf_num_possible_cpus(), fd = bpf_map__fd(p->skel->maps.stats);
	uint64_t *vals;

	if (ncpu <= 0)
		return -EINVAL;
	vals = calloc(ncpu, sizeof(*vals));
	if (!vals)
		return -ENOMEM;
	for (uint32_t k = 0; k < NT_STAT_MAX; k++) {
		out[k] = 0;
		if (bpf_map_lookup_elem(fd, &k, vals))
			continue;
		for (int c = 0; c < ncpu; c++)
			out[k] += vals[c];
	}
	free(vals);
	return 0;
}

const char *probes__mechanism(const struct probes *p)
{
	(void)p;
	return "raw syscall tracepoints";
}
