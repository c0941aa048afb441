/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What every BPF object of socktrace shares: the maps (defined once in
 * maps.bpf.c, declared extern here so all objects write one ordered stream),
 * the knobs user space sets before load, the filter, and the emit helpers.
 */
#ifndef COMMON_BPF_H
#define COMMON_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include "socktrace.h"

#define NT_MAX_TGIDS	8192
#define NT_MAX_INFLIGHT 8192
#define NT_MAX_UNAMES	8192

/*
 * An io_uring request between its submission and its last completion, keyed
 * by its struct io_kiocb.  Completions can run in any context (a worker, task
 * work, another process's softirq wakeup), so the entry, not the current
 * task, says whom the request belongs to.
 */
struct ureq {
	struct nt_path p; /* p.ts: when the current shot began */
	__u64 submit_ns;
	__u64 id;
	__u64 link_id;
	__u64 user_data;
	__u64 sk;      /* the socket it works on, for tracepoint hits */
	__u64 ring;    /* its struct io_ring_ctx */
	__u64 buf;     /* -s: the user buffer it sends from or receives into (a message's
		     * struct user_msghdr), 0 if not one */
	__u32 buf_len; /* and its length (not a message's): a datagram's recv under
			* MSG_TRUNC returns more than the buffer holds */
	struct nt_sock sock;
	char comm[NT_COMM_LEN];
	__u32 tgid;
	__u32 tid;
	__s32 fd;
	__s32 ring_fd;
	__u32 shot;
	__u16 how;
	__u8 opcode;
	__u8 dir;   /* URING_DIR_* of sk's entry in uring_sk, 0 if none */
	__u8 by_ud; /* has an entry in ureq_by_ud */
};

#define NT_MAX_UREQS 16384

/* aux, then up to 3 bytes to align the hits, then the hits; masks need the slack */
struct call_buf {
	struct ev_call ev;
	__u8 aux[2 * NT_AUX_MAX + NT_HITS_MAX * sizeof(struct nt_hit) + 1024];
};

/*
 * The big hash maps are BPF_F_NO_PREALLOC: an entry is allocated when first
 * made (once per traced thread, process or request), not all of them at
 * load, which took milliseconds of the time to attach.
 */
#define RINGBUF_MAP_DEF                                                                            \
	{                                                                                          \
		__uint(type, BPF_MAP_TYPE_RINGBUF);                                                \
		__uint(max_entries, 8 << 20);                                                      \
	}
#define TGIDS_MAP_DEF                                                                              \
	{                                                                                          \
		__uint(type, BPF_MAP_TYPE_HASH);                                                   \
		__uint(max_entries, NT_MAX_TGIDS);                                                 \
		__uint(map_flags, BPF_F_NO_PREALLOC);                                              \
		__type(key, __u32);                                                                \
		__type(value, __u32);                                                              \
	}
#define INFLIGHT_MAP_DEF                                                                           \
	{                                                                                          \
		__uint(type, BPF_MAP_TYPE_HASH);                                                   \
		__uint(max_entries, NT_MAX_INFLIGHT);                                              \
		__uint(map_flags, BPF_F_NO_PREALLOC);                                              \
		__type(key, __u32);                                                                \
		__type(value, struct inflight);                                                    \
	}
#define CALL_SCRATCH_MAP_DEF                                                                       \
	{                                                                                          \
		__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);                                           \
		__uint(max_entries, 1);                                                            \
		__type(key, __u32);                                                                \
		__type(value, struct call_buf);                                                    \
	}
#define STACKS_MAP_DEF                                                                             \
	{                                                                                          \
		__uint(type, BPF_MAP_TYPE_STACK_TRACE);                                            \
		__uint(max_entries, 8192);                                                         \
		__uint(key_size, sizeof(__u32));                                                   \
		__uint(value_size, NT_STACK_DEPTH * sizeof(__u64));                                \
	}
#define STATS_MAP_DEF                                                                              \
	{                                                                                          \
		__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);                                           \
		__uint(max_entries, NT_STAT_MAX);                                                  \
		__type(key, __u32);                                                                \
		__type(value, __u64);                                                              \
	}

#define UREQS_MAP_DEF                                                                              \
	{                                                                                          \
		__uint(type, BPF_MAP_TYPE_HASH);                                                   \
		__uint(max_entries, NT_MAX_UREQS);                                                 \
		__uint(map_flags, BPF_F_NO_PREALLOC);                                              \
		__type(key, __u64);                                                                \
		__type(value, struct ureq);                                                        \
	}
#define URING_ISSUE_MAP_DEF                                                                        \
	{                                                                                          \
		__uint(type, BPF_MAP_TYPE_HASH);                                                   \
		__uint(max_entries, NT_MAX_INFLIGHT);                                              \
		__uint(map_flags, BPF_F_NO_PREALLOC);                                              \
		__type(key, __u32);                                                                \
		__type(value, __u64);                                                              \
	}
#define URING_DIR_SEND	1
#define URING_DIR_RECV	2
#define URING_DIR_STATE 3 /* a CONNECT's or SHUTDOWN's TCP state changes */
struct uring_sk_key {
	__u64 sk;
	__u32 dir;
	__u32 __pad;
};
#define URING_SK_MAP_DEF                                                                           \
	{                                                                                          \
		__uint(type, BPF_MAP_TYPE_HASH);                                                   \
		__uint(max_entries, NT_MAX_UREQS);                                                 \
		__uint(map_flags, BPF_F_NO_PREALLOC);                                              \
		__type(key, struct uring_sk_key);                                                  \
		__type(value, __u64);                                                              \
	}

/*
 * -c: two sets of per-CPU counters (struct nt_count); slot 0 of `counts` holds
 * the one calls count in now.  The reader swaps in the other to read these
 * whole: the swap returns once no call can still be adding to them (probes.c).
 * Sizes, not BTF types: `counts` takes only maps shaped as its template, made
 * at load without BTF (clang 14 leaves a type two pointers from a map's
 * definition out of it), and 6.1 tells a map with BTF from one without.
 */
#define COUNTS_MAP_DEF                                                                             \
	{                                                                                          \
		__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);                                           \
		__uint(max_entries, NT_COUNT_SLOTS);                                               \
		__uint(key_size, sizeof(__u32));                                                   \
		__uint(value_size, sizeof(struct nt_count));                                       \
	}
#define COUNTS_NOW_MAP_DEF                                                                         \
	{                                                                                          \
		__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);                                          \
		__uint(max_entries, 1);                                                            \
		__uint(key_size, sizeof(__u32));                                                   \
		__uint(value_size, sizeof(__u32));                                                 \
	}

/* --by conn: the connections of the traced processes, by struct sock (conns.bpf.h) */
#define CONNS_MAP_DEF                                                                              \
	{                                                                                          \
		__uint(type, BPF_MAP_TYPE_LRU_HASH);                                               \
		__uint(max_entries, 16384);                                                        \
		__type(key, __u64);                                                                \
		__type(value, struct nt_conn);                                                     \
	}
#define CONN_SCRATCH_MAP_DEF                                                                       \
	{                                                                                          \
		__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);                                           \
		__uint(max_entries, 1);                                                            \
		__type(key, __u32);                                                                \
		__type(value, struct nt_conn);                                                     \
	}

#define UNAMES_MAP_DEF                                                                             \
	{                                                                                          \
		__uint(type, BPF_MAP_TYPE_LRU_HASH);                                               \
		__uint(max_entries, NT_MAX_UNAMES);                                                \
		__type(key, __u64);                                                                \
		__type(value, __u64);                                                              \
	}

#ifdef NT_MAPS_HOME /* maps.bpf.c holds the one definition */
#define NT_MAP_DECL
#else
#define NT_MAP_DECL extern
#endif
/* The one ring buffer: every event kind shares it, so order is kept. */
NT_MAP_DECL struct RINGBUF_MAP_DEF events SEC(".maps");
/* The traced processes (tgid -> 1); user space seeds it, fork adds to it. */
NT_MAP_DECL struct TGIDS_MAP_DEF tgids SEC(".maps");
NT_MAP_DECL struct INFLIGHT_MAP_DEF inflight SEC(".maps");
NT_MAP_DECL struct STATS_MAP_DEF stats SEC(".maps");
NT_MAP_DECL struct COUNTS_MAP_DEF counts_a SEC(".maps");
NT_MAP_DECL struct COUNTS_MAP_DEF counts_b SEC(".maps");
NT_MAP_DECL struct COUNTS_NOW_MAP_DEF counts SEC(".maps");
/* Where a call record is put together: too big for the 512-byte BPF stack. */
NT_MAP_DECL struct CALL_SCRATCH_MAP_DEF call_scratch SEC(".maps");
/* Kernel stacks of hook hits, by id; user space reads and caches them. */
NT_MAP_DECL struct STACKS_MAP_DEF stacks SEC(".maps");

/* io_uring requests being traced, by struct io_kiocb address. */
NT_MAP_DECL struct UREQS_MAP_DEF ureqs SEC(".maps");
/* tid -> the traced request it is issuing (io_issue_sqe, fentry/kprobe only):
 * function hits meanwhile belong to that request, not to the syscall around it. */
NT_MAP_DECL struct URING_ISSUE_MAP_DEF uring_issue SEC(".maps");
/* {socket, direction} -> the traced request sending or receiving on it: where
 * sock_send_length/sock_recv_length hits go when no function hooks say. */
NT_MAP_DECL struct URING_SK_MAP_DEF uring_sk SEC(".maps");
/* unix socket inode -> the struct unix_address its name was sent from (EV_UNAME) */
NT_MAP_DECL struct UNAMES_MAP_DEF unames SEC(".maps");
NT_MAP_DECL struct CONNS_MAP_DEF conns SEC(".maps");
/* a row put together before it goes in (or moves, conns.bpf.h) */
NT_MAP_DECL struct CONN_SCRATCH_MAP_DEF conn_zero SEC(".maps");
extern const volatile __u32 targ_conns;		  /* --by conn: count per connection too */
extern const volatile __u32 targ_close_uncounted; /* --by conn: close traced for rows only */
extern __u64 nt_conns_retired;			  /* rows of closed connections, numbered */
extern __u64 nt_uring_sk_count;			  /* its entries: none, no lookup */
/* Threads inside io_issue_sqe for a traced request, machine-wide: while
 * none is, a hit need not look for one. */
extern __u64 nt_uring_issuing;

/* Set through skel->rodata before load. */
extern const volatile __u32 targ_follow;	    /* add forked children to tgids */
extern const volatile __u64 targ_wakeup_bytes;	    /* wake the reader past this backlog */
extern const volatile __u16 targ_sys_id[NT_NR_MAX]; /* arch syscall nr -> enum nt_sys */
/* Closes held back for their socket's release, machine-wide: while none is,
 * a syscall need not look for one (a lookup saved on every syscall). */
extern __u64 nt_deferred_pending;
/* Every record lost, whatever the cause: read by user space as it drains, to
 * mark where in the trace the losses were. */
extern __u64 nt_lost;
extern __u64 nt_start_ns;
/*
 * Set for each traced tgid (by user space, and at fork when followed), never
 * cleared: every syscall and socket tracepoint on the machine asks, and all
 * but the traced processes' are answered here, without a hash lookup.
 */
extern __u8 nt_maybe_traced[NT_TGID_SLOTS];
extern const volatile __u32 targ_kstack;  /* -k: a kernel stack with every hit */
extern const volatile __u32 targ_ustack;  /* -u: the user stack of every call */
extern const volatile __u32 targ_payload; /* -s N: payload bytes kept per call, 0: none */
/* count in the counts map, send no records; 2: every other syscall too (slot 0) */
extern const volatile __u32 targ_count;
/* -Z or -z, --min-duration: what a call must have done to be shown (or counted by -c) */
extern const volatile __u32 targ_status; /* enum nt_status */
extern const volatile __u64 targ_min_dur_ns;
/* --ports: a call is shown if its socket's local or peer port is in one of these */
extern const volatile struct nt_port_range targ_ports[NT_PORTS_MAX];
extern const volatile __u32 targ_nports;
/* Calls that have a kernel path (a hook): hits inside the others (epoll_wait,
 * io_uring_enter, ...) would be recorded, stacks and all, and never shown. */
extern const volatile __u8 targ_sys_path[NT_SYS_MAX];
extern const volatile __u32
	targ_state_stack; /* a stack with TCP state changes (tracepoint paths) */

/*
 * barrier_var() (bpf_helpers.h) keeps a bounds mask the compiler would drop
 * as redundant after a check: older verifiers (6.1) lose the check's bound on
 * some paths and need the mask itself to prove an index safe.
 */

static __always_inline int has_path(const struct inflight *in)
{
	return in->sys < NT_SYS_MAX && targ_sys_path[in->sys];
}

static __always_inline int maybe_traced(__u32 tgid)
{
	return nt_maybe_traced[tgid & (NT_TGID_SLOTS - 1)];
}

static __always_inline void set_maybe_traced(__u32 tgid)
{
	nt_maybe_traced[tgid & (NT_TGID_SLOTS - 1)] = 1;
}

/* The call in progress of thread tid (of process tgid), or NULL. */
static __always_inline struct inflight *active_call(__u32 tgid, __u32 tid)
{
	struct inflight *in;

	if (!maybe_traced(tgid))
		return NULL;
	in = bpf_map_lookup_elem(&inflight, &tid);
	return in && in->active ? in : NULL;
}

static __always_inline int trace_allowed(__u32 tgid)
{
	return maybe_traced(tgid) && bpf_map_lookup_elem(&tgids, &tgid) != NULL;
}

static __always_inline void stat_inc(__u32 idx)
{
	__u64 *v = bpf_map_lookup_elem(&stats, &idx);

	if (v)
		*v += 1;
	if (nt_stat_is_loss(idx))
		__sync_fetch_and_add(&nt_lost, 1);
}

/* When the call began, as if socktrace had walked no stack inside it. */
static __always_inline __u64 path_start(const struct nt_path *p)
{
	return p->ts + p->walk_ns;
}

/*
 * -Z, -z and --min-duration: decided where the call ends, before its socket is
 * read or a record is made, so a busy server's ordinary calls cost little
 * more than -c's.  now 0: the clock is read, and only for a duration.
 */
static __always_inline int result_shown(__s64 ret, __u64 start_ns, __u64 now)
{
	if (!nt_status_shows(targ_status, ret))
		return 0;
	if (!targ_min_dur_ns)
		return 1;
	return (now ? now : bpf_ktime_get_ns()) - start_ns >= targ_min_dur_ns;
}

/* --ports: decided once the call's socket is read (no socket: not shown). */
static __always_inline int port_shown(const struct nt_sock *s)
{
	if (!targ_nports)
		return 1;
	if (!s->valid)
		return 0;
	for (__u32 i = 0; i < NT_PORTS_MAX && i < targ_nports; i++)
		if (nt_port_in(targ_ports[i], s->local.port) ||
		    nt_port_in(targ_ports[i], s->peer.port))
			return 1;
	return 0;
}

static __always_inline void fill_hdr(struct ev_hdr *h, __u64 ts, __u16 type, __u16 size,
				     __u64 pid_tgid)
{
	h->ts_ns = ts;
	h->tgid = pid_tgid >> 32;
	h->tid = (__u32)pid_tgid;
	h->type = type;
	h->size = size;
	h->cpu = bpf_get_smp_processor_id();
}

/*
 * The reader is never woken per record: it drains on a short timer.  Only a
 * backlog that risks filling the buffer forces a wakeup, so bursts are not
 * lost while the timer sleeps.
 */
static __always_inline __u64 wakeup_flags(void)
{
	if (bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) > targ_wakeup_bytes)
		return BPF_RB_FORCE_WAKEUP;
	return BPF_RB_NO_WAKEUP;
}

/* -u: the process's first user stack since it was traced or exec'd (NT_F_MAPS_NEW)? */
static __always_inline int maps_new(__u32 tgid)
{
	__u32 *state = bpf_map_lookup_elem(&tgids, &tgid);

	if (!state || *state != NT_TGID_TRACED)
		return 0;
	*state = NT_TGID_MAPS_WOKEN;
	return 1;
}

static __always_inline void emit_flags(void *data, __u64 size, __u32 lost_stat, __u64 flags)
{
	if (bpf_ringbuf_output(&events, data, size, flags))
		stat_inc(lost_stat);
}

static __always_inline void emit(void *data, __u64 size, __u32 lost_stat)
{
	emit_flags(data, size, lost_stat, wakeup_flags());
}

static __always_inline void count_add(__u32 slot, __s64 ret, __u64 ns, __u64 bytes)
{
	__u32 zero = 0, b = nt_hist_bucket(ns);
	void *now = bpf_map_lookup_elem(&counts, &zero);
	struct nt_count *c = now ? bpf_map_lookup_elem(now, &slot) : NULL;

	if (!c)
		return;
	c->calls++;
	if (ret < 0) {
		__u32 e = nt_errno_slot((__u64)-ret);

		c->errors++;
		barrier_var(e);
		if (e < NT_ERRNO_SLOTS)
			c->errnos[e]++;
	}
	c->ns += ns;
	c->bytes += bytes;
	if (ns > c->max_ns)
		c->max_ns = ns;
	barrier_var(b);
	if (b < NT_HIST_BUCKETS)
		c->hist[b]++;
}

static __always_inline struct call_buf *call_buf_get(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&call_scratch, &zero);
}

/* The record's common part, from the in-flight call. */
static __always_inline void call_fill(struct call_buf *b, const struct inflight *in, __s64 ret)
{
	__builtin_memset(&b->ev, 0, sizeof(b->ev));
	b->ev.ret = ret;
	b->ev.sys = in->sys;
	b->ev.flags =
		in->flags | (in->p.trunc ? NT_F_HITS_TRUNC : 0) | (in->p.slept ? NT_F_SLEPT : 0);
	b->ev.enter_val = in->enter_val;
	__builtin_memcpy(b->ev.args, in->args, sizeof(b->ev.args));
	bpf_get_current_comm(b->ev.comm, sizeof(b->ev.comm));
}

/* Appends the call's hits after aux_len bytes of aux and sends the record. */
static __always_inline void call_send(struct call_buf *b, const struct inflight *in, __u32 aux_len,
				      __u64 pid_tgid, __u64 end_ts)
{
	__u32 hoff = (aux_len + 3) & ~3u, n = in->p.nhits, total;
	__u64 size;

	if (aux_len > NT_AUX_MAX)
		return;
	if (n > NT_HITS_MAX)
		n = NT_HITS_MAX;
	barrier_var(hoff);
	barrier_var(n);
	if (n)
		bpf_probe_read_kernel(&b->aux[hoff & (2 * NT_AUX_MAX - 1)],
				      n * sizeof(struct nt_hit), in->p.hits);
	b->ev.aux_len = aux_len;
	b->ev.nhits = n;
	b->ev.dur_ns = end_ts - path_start(&in->p);
	total = sizeof(b->ev) + hoff + n * sizeof(struct nt_hit);
	if (targ_ustack && in->nuser) {
		/* the user words after the hits, 8-byte aligned in the record */
		__u32 u = ((total + 7) & ~7u) - sizeof(b->ev), nu = in->nuser;

		if (nu > NT_USER_SP + NT_USER_FRAMES)
			nu = NT_USER_SP + NT_USER_FRAMES;
		barrier_var(u);
		barrier_var(nu);
		if (u < 2 * NT_AUX_MAX + NT_HITS_MAX * sizeof(struct nt_hit) + 8 && nu) {
			barrier_var(u); /* the test above was on a copy: the mask must stay */
			bpf_probe_read_kernel(&b->aux[u & 2047], (nu & 31) * sizeof(__u64),
					      in->user);
			b->ev.nuser = nu;
			total = sizeof(b->ev) + u + nu * sizeof(__u64);
			if (maps_new(pid_tgid >> 32))
				b->ev.flags |= NT_F_MAPS_NEW;
		}
	}
	fill_hdr(&b->ev.hdr, in->p.ts, EV_CALL, total, pid_tgid);
	/* checked and passed as one 64-bit value: a 32-bit one is checked in a copy */
	size = total;
	barrier_var(size);
	if (size > sizeof(*b))
		return;
	/* in the record, not a variable: 6.1 counts every byte of stack */
	emit_flags(b, size, NT_STAT_LOST_RINGBUF,
		   b->ev.flags & NT_F_MAPS_NEW ? BPF_RB_FORCE_WAKEUP : wakeup_flags());
}

/*
 * The walk runs in the traced thread, inside its call: its time is kept
 * apart (listen took 37 µs with it, 2-6 without; 2.6 under -c).
 */
static __always_inline __s32 take_stack(void *ctx, struct nt_path *p)
{
	__u64 t0 = bpf_ktime_get_ns();
	long id = bpf_get_stackid(ctx, &stacks, 0);

	p->walk_ns += bpf_ktime_get_ns() - t0;
	if (id < 0) {
		stat_inc(NT_STAT_STACK_LOST);
		return -1;
	}
	return id;
}

/* Appends a hit to p, with no stack; NULL when p is full (counted once per path). */
static __always_inline struct nt_hit *hit_put_at(struct nt_path *p, __u16 fn, __u8 flags,
						 __u32 start_off)
{
	__u32 i = p->nhits;
	struct nt_hit *h;

	if (i >= NT_HITS_MAX) {
		if (!p->trunc)
			stat_inc(NT_STAT_HITS_TRUNC);
		p->trunc = 1;
		return NULL;
	}
	barrier_var(i);
	h = &p->hits[i & (NT_HITS_MAX - 1)];
	h->fn = fn;
	h->flags = flags;
	h->depth = p->depth;
	h->start_off = start_off;
	h->dur_ns = 0;
	h->val = 0;
	h->stackid = -1;
	p->nhits = i + 1;
	return h;
}

/*
 * Now, as an offset into the path: the stacks walked so far left out, as
 * they are of the call's duration, so a hit never lands past the call's end.
 */
static __always_inline __u32 path_offset(const struct nt_path *p)
{
	return bpf_ktime_get_ns() - p->ts - p->walk_ns;
}

static __always_inline struct nt_hit *hit_put(struct nt_path *p, __u16 fn, __u8 flags)
{
	return hit_put_at(p, fn, flags, path_offset(p));
}

/* hit_put, with the kernel stack where asked for (stack, or -k). */
static __always_inline struct nt_hit *hit_add(void *ctx, struct nt_path *p, __u16 fn, __u8 flags,
					      int stack)
{
	struct nt_hit *h = hit_put(p, fn, flags);

	if (h && (stack || targ_kstack))
		h->stackid = take_stack(ctx, p);
	return h;
}

static __always_inline void path_reset(struct nt_path *p, __u64 ts)
{
	p->ts = ts;
	p->nhits = 0;
	p->depth = 0;
	p->trunc = 0;
	p->slept = 0;
	p->stacked = 0;
	p->walk_ns = 0;
}

/* A close held back for its socket's release: send it now and forget it. */
static __always_inline void flush_deferred(struct inflight *in, __u32 tid, __u64 pid_tgid)
{
	struct call_buf *b = call_buf_get();

	if (b) {
		call_fill(b, in, in->ret);
		__builtin_memcpy(&b->ev.sock, &in->sock, sizeof(in->sock));
		b->ev.flags |= NT_F_DEFERRED;
		call_send(b, in, 0, pid_tgid, in->end_ts + in->p.walk_ns);
	}
	in->deferred = 0;
	in->active = 0;
	__sync_fetch_and_add(&nt_deferred_pending, -1);
}

#endif /* COMMON_BPF_H */
