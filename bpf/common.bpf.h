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
#define NT_MAX_INFLIGHT 16384

/* A call between its enter and its exit, keyed by tid. */
struct inflight {
	__u64 ts;
	__u64 args[6];
	__s64 enter_val;	   /* see ev_call.enter_val */
	struct nt_sock sock;	   /* close: the socket, read before it goes */
	struct nt_aux_fdsets sets; /* select: the sets as passed in */
	__u32 nr;		   /* arch syscall number, checked at exit */
	__u16 sys;
	__u16 flags;
};

struct call_buf {
	struct ev_call ev;
	__u8 aux[NT_AUX_MAX];
};

#define RINGBUF_MAP_DEF                                                                            \
	{                                                                                          \
		__uint(type, BPF_MAP_TYPE_RINGBUF);                                                \
		__uint(max_entries, 16 << 20);                                                     \
	}
#define TGIDS_MAP_DEF                                                                              \
	{                                                                                          \
		__uint(type, BPF_MAP_TYPE_HASH);                                                   \
		__uint(max_entries, NT_MAX_TGIDS);                                                 \
		__type(key, __u32);                                                                \
		__type(value, __u32);                                                              \
	}
#define INFLIGHT_MAP_DEF                                                                           \
	{                                                                                          \
		__uint(type, BPF_MAP_TYPE_HASH);                                                   \
		__uint(max_entries, NT_MAX_INFLIGHT);                                              \
		__type(key, __u32);                                                                \
		__type(value, struct inflight);                                                    \
	}
#define STATS_MAP_DEF                                                                              \
	{                                                                                          \
		__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);                                           \
		__uint(max_entries, NT_STAT_MAX);                                                  \
		__type(key, __u32);                                                                \
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

/* Set through skel->rodata before load. */
extern const volatile __u32 targ_follow;	    /* add forked children to tgids */
extern const volatile __u64 targ_wakeup_bytes;	    /* wake the reader past this backlog */
extern const volatile __u16 targ_sys_id[NT_NR_MAX]; /* arch syscall nr -> enum nt_sys */

static __always_inline int trace_allowed(__u32 tgid)
{
	return bpf_map_lookup_elem(&tgids, &tgid) != NULL;
}

static __always_inline void stat_inc(__u32 idx)
{
	__u64 *v = bpf_map_lookup_elem(&stats, &idx);

	if (v)
		*v += 1;
}

static __always_inline void fill_hdr(struct ev_hdr *h, __u16 type, __u16 size, __u64 pid_tgid)
{
	h->ts_ns = bpf_ktime_get_ns();
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

static __always_inline void emit(void *data, __u64 size, __u32 lost_stat)
{
	if (bpf_ringbuf_output(&events, data, size, wakeup_flags()))
		stat_inc(lost_stat);
}

#endif /* COMMON_BPF_H */
