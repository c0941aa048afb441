// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Calls that straddle the trace's ends; see unfinished.h. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "unfinished.h"

/* The BPF side checks read/write at their exit: only those on a socket show. */
static int needs_socket(__u16 sys)
{
	return sys == NT_SYS_READ || sys == NT_SYS_WRITE || sys == NT_SYS_READV ||
	       sys == NT_SYS_WRITEV;
}

static int fd_is_socket(uint32_t tgid, long fd)
{
	char path[64], target[64];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%u/fd/%ld", tgid, fd);
	n = readlink(path, target, sizeof(target) - 1);
	return n > 7 && !strncmp(target, "socket:[", 8);
}

/* The syscall thread tid is in now, -1 if none (or gone); args too if asked. */
static long syscall_now(uint32_t tgid, const char *tid, uint64_t args[6])
{
	unsigned long long a[6];
	char path[320], line[256];
	long nr;
	FILE *f;
	int ok;

	snprintf(path, sizeof(path), "/proc/%u/task/%s/syscall", tgid, tid);
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

/* The thread's name now; 0 if it is gone. */
static int thread_comm(uint32_t tgid, uint32_t tid, char comm[NT_COMM_LEN])
{
	char path[64], buf[64];
	FILE *f;
	int ok;

	snprintf(path, sizeof(path), "/proc/%u/task/%u/comm", tgid, tid);
	if (!(f = fopen(path, "r")))
		return 0;
	ok = fgets(buf, sizeof(buf), f) != NULL;
	fclose(f);
	if (!ok)
		return 0;
	buf[strcspn(buf, "\n")] = 0;
	memset(comm, 0, NT_COMM_LEN);
	memcpy(comm, buf, strnlen(buf, NT_COMM_LEN - 1));
	return 1;
}

size_t unfinished_record(uint32_t tid, const struct inflight *in, uint64_t now_ns,
			 struct unfinished_buf *b)
{
	struct ev_call *ev = &b->ev;
	unsigned int n = in->p.nhits < NT_HITS_MAX ? in->p.nhits : NT_HITS_MAX, aux_len = 0;

	memset(ev, 0, sizeof(*ev));
	if (in->sys >= NT_SYS_MAX || !thread_comm(in->tgid, tid, ev->comm))
		return 0;
	if (!in->deferred && needs_socket(in->sys) && !fd_is_socket(in->tgid, (long)in->args[0]))
		return 0;
	/* armed at attach from /proc: the thread may have left it just before */
	if (in->flags & NT_F_BEFORE_TRACE && !in->deferred) {
		char t[16];

		snprintf(t, sizeof(t), "%u", tid);
		if (syscall_now(in->tgid, t, NULL) != (long)in->nr)
			return 0;
	}
	memcpy(ev->args, in->args, sizeof(ev->args));
	ev->enter_val = in->enter_val;
	ev->sys = in->sys;
	ev->flags =
		in->flags | (in->p.trunc ? NT_F_HITS_TRUNC : 0) | (in->p.slept ? NT_F_SLEPT : 0);
	if (in->flags & NT_F_SOCK_ENTER)
		ev->sock = in->sock;
	if (in->deferred) {
		/* it returned; its socket's release had not run when tracing stopped */
		ev->ret = in->ret;
		ev->dur_ns = in->end_ts - in->p.ts;
		ev->flags |= NT_F_DEFERRED;
	} else {
		ev->dur_ns = now_ns > in->p.ts ? now_ns - in->p.ts : 0;
		ev->flags |= NT_F_UNFINISHED;
	}
	/* select's sets as passed in (read at its entry, if seen); none came back */
	if (in->sys == NT_SYS_SELECT || in->sys == NT_SYS_PSELECT6) {
		struct nt_aux_fdsets sets = in->sets;

		memset(sets.out, 0, sizeof(sets.out));
		memcpy(b->rest, &sets, sizeof(sets));
		aux_len = sizeof(sets);
	}
	ev->aux_len = aux_len;
	ev->nhits = n;
	memcpy(b->rest + ((aux_len + 3) & ~3u), in->p.hits, n * sizeof(struct nt_hit));
	ev->hdr.ts_ns = in->p.ts;
	ev->hdr.tgid = in->tgid;
	ev->hdr.tid = tid;
	ev->hdr.type = EV_CALL;
	ev->hdr.size = sizeof(*ev) + ((aux_len + 3) & ~3u) + n * sizeof(struct nt_hit);
	return ev->hdr.size;
}

void syscalls_in_progress(uint32_t pid,
			  void (*fn)(void *ctx, uint32_t tid, long nr, const uint64_t args[6]),
			  void *ctx)
{
	char path[320];
	struct dirent *e;
	DIR *d;

	snprintf(path, sizeof(path), "/proc/%u/task", pid);
	if (!(d = opendir(path)))
		return;
	while ((e = readdir(d))) {
		uint64_t args[6];
		long nr;

		if (e->d_name[0] < '1' || e->d_name[0] > '9' ||
		    (nr = syscall_now(pid, e->d_name, args)) < 0)
			continue;
		fn(ctx, (uint32_t)strtoul(e->d_name, NULL, 10), nr, args);
	}
	closedir(d);
}
