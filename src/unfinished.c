// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Calls that straddle the trace's ends; see unfinished.h. */
#include <dirent.h>
#include <poll.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>
#include "targets.h"
#include "unfinished.h"

static int fd_is_socket(uint32_t tgid, long fd)
{
	char path[64], target[64];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%u/fd/%ld", tgid, fd);
	n = readlink(path, target, sizeof(target) - 1);
	return n > 7 && !strncmp(target, "socket:[", 8);
}

/* The syscall thread tid is in now, -1 if none (or gone); args too if asked. */
static long syscall_now(uint32_t tgid, uint32_t tid, uint64_t args[6])
{
	unsigned long long a[6];
	char path[64], line[256];
	long nr;
	FILE *f;
	int ok;

	snprintf(path, sizeof(path), "/proc/%u/task/%u/syscall", tgid, tid);
	if (!(f = fopen(path, "r")))
		return -1;
	/* "nr arg1 ... arg6 sp pc" while in a syscall; "running" or "-1 sp pc" if not */
	ok = fgets(line, sizeof(line), f) && sscanf(line, "%ld %llx %llx %llx %llx %llx %llx", &nr,
						    &a[0], &a[1], &a[2], &a[3], &a[4], &a[5]) == 7;
	fclose(f);
	if (!ok)
		return -1;
	for (int i = 0; args && i < 6; i++)
		args[i] = a[i];
	return nr;
}

size_t unfinished_record(uint32_t tid, const struct inflight *in, uint64_t now_ns,
			 struct unfinished_buf *b)
{
	struct ev_call *ev = &b->ev;
	unsigned int n = in->p.nhits < NT_HITS_MAX ? in->p.nhits : NT_HITS_MAX, aux_len = 0, hoff;
	uint16_t src = 0;

	memset(ev, 0, sizeof(*ev));
	/* a thread's name, and whether it is still there */
	proc_comm(tid, ev->comm, sizeof(ev->comm));
	if (in->sys >= NT_SYS_MAX || !ev->comm[0])
		return 0;
	if (!in->deferred && nt_sys_is_rw(in->sys)) {
		int fds[2], nfds = nt_rw_fds(in->sys, in->args, fds), i = 0;

		while (i < nfds && !fd_is_socket(in->tgid, fds[i]))
			i++;
		if (i == nfds)
			return 0;
		src = i ? NT_F_SOCK_SRC : 0;
	}
	/* armed at attach from /proc: the thread may have left it just before */
	if (in->flags & NT_F_BEFORE_TRACE && !in->deferred &&
	    syscall_now(in->tgid, tid, NULL) != (long)in->nr)
		return 0;
	memcpy(ev->args, in->args, sizeof(ev->args));
	ev->enter_val = in->enter_val;
	ev->sys = in->sys;
	ev->flags = in->flags | src | (in->p.trunc ? NT_F_HITS_TRUNC : 0) |
		    (in->p.slept ? NT_F_SLEPT : 0);
	if (in->flags & NT_F_SOCK_ENTER)
		ev->sock = in->sock;
	if (in->deferred) {
		/* it returned; its socket's release had not run when tracing stopped */
		ev->ret = in->ret;
		ev->dur_ns = in->end_ts - in->p.ts - in->p.walk_ns;
		ev->flags |= NT_F_DEFERRED;
	} else {
		/* as the kernel counts a call's time: without socktrace's stack walks */
		uint64_t start = in->p.ts + in->p.walk_ns;

		ev->dur_ns = now_ns > start ? now_ns - start : 0;
		ev->flags |= NT_F_UNFINISHED;
	}
	/* select's sets as passed in (read at its entry, if seen); none came back */
	if (in->sys == NT_SYS_SELECT || in->sys == NT_SYS_PSELECT6) {
		struct nt_aux_fdsets sets = in->sets;

		memset(sets.out, 0, sizeof(sets.out));
		memcpy(b->rest, &sets, sizeof(sets));
		aux_len = sizeof(sets);
	}
	/*
	 * poll's array is read at its exit, which has not come: read it from the
	 * process now, as the kernel read it at entry (the caller is still in
	 * poll and does not touch it); no revents came back.
	 */
	if (in->sys == NT_SYS_POLL || in->sys == NT_SYS_PPOLL) {
		const size_t size = sizeof(struct pollfd);
		uint64_t nfds = in->args[1] < NT_VEC_MAX ? in->args[1] : NT_VEC_MAX;
		struct iovec local = {b->rest, nfds * size},
			     remote = {(void *)in->args[0], nfds * size};
		ssize_t got = nfds ? process_vm_readv(in->tgid, &local, 1, &remote, 1, 0) : 0;

		aux_len = got > 0 ? (unsigned int)(got / size * size) : 0;
		for (unsigned int i = 0; i < aux_len; i += size)
			memset(b->rest + i + offsetof(struct pollfd, revents), 0,
			       sizeof(((struct pollfd *)0)->revents));
		if (in->args[1] > NT_VEC_MAX)
			ev->flags |= NT_F_AUX_TRUNC;
	}
	/* the hits follow aux, 4-byte aligned, as in the BPF side's records */
	hoff = (aux_len + 3) & ~3u;
	ev->aux_len = aux_len;
	ev->nhits = n;
	memcpy(b->rest + hoff, in->p.hits, n * sizeof(struct nt_hit));
	ev->hdr.ts_ns = in->p.ts;
	ev->hdr.tgid = in->tgid;
	ev->hdr.tid = tid;
	ev->hdr.type = EV_CALL;
	ev->hdr.size = sizeof(*ev) + hoff + n * sizeof(struct nt_hit);
	return ev->hdr.size;
}

void syscalls_in_progress(uint32_t pid,
			  void (*fn)(void *ctx, uint32_t tid, long nr, const uint64_t args[6]),
			  void *ctx)
{
	char path[64];
	struct dirent *e;
	DIR *d;

	snprintf(path, sizeof(path), "/proc/%u/task", pid);
	if (!(d = opendir(path)))
		return;
	while ((e = readdir(d))) {
		uint32_t tid = (uint32_t)strtoul(e->d_name, NULL, 10);
		uint64_t args[6];
		long nr;

		if (tid && (nr = syscall_now(pid, tid, args)) >= 0)
			fn(ctx, tid, nr, args);
	}
	closedir(d);
}
