/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Loading and attaching the BPF programs.  Only probes.c sees the skeleton;
 * the rest of socktrace sees this opaque handle, the ring buffer's fd, the
 * counters, the stacks, and a report of what was chosen and why.
 */
#ifndef PROBES_H
#define PROBES_H

#include <stdint.h>
#include <linux/types.h>
#include "poison.h"
#include "socktrace.h"
#include "hooks.h"

struct probes;
struct ksyms;

struct probe_opts {
	const unsigned char *sys_on; /* [NT_SYS_MAX]: calls to trace */
	int follow;
	uint32_t buffer_bytes; /* ring buffer size, a power of two */
	const uint32_t *tgids; /* traced from the start */
	int ntgids;
	enum mech mechanism; /* MECH_AUTO, or the one the user forced */
	int kstack;	     /* -k: a stack with every hit */
	int ustack;	     /* -u: the user stack of every call */
	int payload;	     /* -s N: payload bytes kept per call */
	int uring;	     /* trace io_uring requests */
	/* count in the kernel, send no records, no kernel paths; 2: every other syscall
	 * of the traced processes too */
	int count;
	int conns;			   /* with count: per connection too (--by conn) */
	int status;			   /* -Z, -z: only calls that failed, or succeeded */
	uint64_t min_dur_ns;		   /* --min-duration: only calls at least this long */
	const struct nt_port_range *ports; /* --ports: only calls on sockets in these */
	int nports;
};

enum fn_state { FN_ABSENT, FN_PRESENT, FN_ATTACHED, FN_FAILED };

/* What was chosen for one hook, and why not the others. */
struct hook_report {
	enum mech chosen;
	char why_not[MECH_NONE][160];	      /* for fentry, kprobe, tracepoint */
	enum fn_state fn_state[HOOK_FNS_MAX]; /* of hooks[i].fns under the chosen mechanism */
	enum fn_state tp_state[HOOK_TPS_MAX];
	enum fn_state cg_state[HOOK_CGS_MAX];
	char note[200]; /* shown where a call of this hook has no path */
};

struct probe_report {
	char fentry_why[160]; /* "" when fentry works */
	char kprobe_why[160];
	int kprobe_multi;	    /* kprobe hooks went through one kprobe.multi link */
	char kprobe_multi_why[160]; /* why not, when kprobes are used one by one */
	struct hook_report hooks[HOOK_MAX];
	char summary[400];   /* for the header: "kernel path via tracepoints (fentry: ...)" */
	int uring;	     /* io_uring requests are traced */
	char uring_why[160]; /* why not, when asked for */
	char uring_tps[160]; /* the tracepoints they are traced on */
};

/* Opens, plans, loads and attaches; NULL with errno set, the reason logged. */
struct probes *probes__new(const struct probe_opts *o);
void probes__free(struct probes *p);
/* Detaches every program; the maps stay readable until probes__free. */
void probes__detach(struct probes *p);
int probes__ringbuf_fd(const struct probes *p);
/* When tracing began (CLOCK_MONOTONIC): what a request submitted before it is dated from. */
void probes__set_start(struct probes *p, uint64_t ns);
/* Every record lost so far, whatever the cause (read without a system call). */
uint64_t probes__lost(const struct probes *p);
/* Summed over CPUs, indexed by enum nt_stat. */
int probes__stats(const struct probes *p, uint64_t out[NT_STAT_MAX]);
const struct probe_report *probes__report(const struct probes *p);
/* The kernel symbols, loaded on first use (naming stacks), NULL if unreadable. */
const struct ksyms *probes__ksyms(void *p);
/* A kernel stack by id, innermost frame first; returns the frame count or < 0. */
int probes__stack(void *p, int stackid, uint64_t *frames, int max);

/*
 * Counting mode: the counters summed over CPUs (NT_COUNT_SLOTS of them), each
 * call counted once, since the last time they were read (--interval: a call
 * counted while a table was printed belongs to the next one).
 */
int probes__counts(struct probes *p, struct nt_count *out);
/* The connections counted (--by conn): a malloc'd array in *out, their number returned, or < 0. */
int probes__conns(const struct probes *p, struct nt_conn **out);
/* Each call entered and not yet sent (still in the kernel, or a close held
 * for its socket's release), by tid; detach first, so none moves meanwhile. */
int probes__inflight(const struct probes *p,
		     void (*fn)(void *ctx, uint32_t tid, const struct inflight *in), void *ctx);
/*
 * Thread tid (of tgid) is in syscall nr with args since before tracing began:
 * arm its in-flight entry as of now_ns, so its exit is traced like any call's.
 * 0, or -1 for a syscall not traced.
 */
int probes__seed_inflight(const struct probes *p, uint32_t tgid, uint32_t tid, long nr,
			  const uint64_t args[6], uint64_t now_ns);
/* Add pid to the traced processes, or take it out. */
int probes__trace_pid(const struct probes *p, uint32_t pid, int on);

/* May this process trace on this kernel?  Checked before anything is loaded:
 * 0, or -errno with the reason logged. */
int probes_check_host(void);

#endif /* PROBES_H */
