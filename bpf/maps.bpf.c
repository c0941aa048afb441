// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The one definition of the maps (through NT_MAPS_HOME) and knobs common.bpf.h declares. */
#define NT_MAPS_HOME
#include "common.bpf.h"

const volatile __u32 targ_follow = 1;
const volatile __u64 targ_wakeup_bytes = 8 << 20;
const volatile __u16 targ_sys_id[NT_NR_MAX] = {};
const volatile __u32 targ_kstack = 0;
const volatile __u32 targ_ustack = 0;
const volatile __u32 targ_payload = 0;
const volatile __u32 targ_count = 0;
const volatile __u32 targ_failed_only = 0;
const volatile __u64 targ_min_dur_ns = 0;
const volatile __u16 targ_ports[NT_PORTS_MAX] = {};
const volatile __u32 targ_nports = 0;
__u64 nt_deferred_pending = 0;
__u64 nt_uring_issuing = 0;
__u64 nt_uring_sk_count = 0;
__u8 nt_maybe_traced[NT_TGID_SLOTS] = {};
const volatile __u32 targ_state_stack = 0;
const volatile __u32 targ_conns = 0;
__u64 nt_conns_retired = 0;
const volatile __u8 targ_sys_path[NT_SYS_MAX] = {};

/*
 * -c: two sets of per-CPU counters (struct nt_count); slot 0 of `counts` holds
 * the one calls count in now.  The reader swaps in the other to read these
 * whole: the swap returns once no call can still be adding to them (probes.c).
 * Sizes, not BTF types: `counts` takes only maps shaped as its template, made
 * at load without BTF (clang 14 leaves a type two pointers from a map's
 * definition out of it), and 6.1 tells a map with BTF from one without.
 */
struct nt_counts {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, NT_COUNT_SLOTS);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(struct nt_count));
} counts_a SEC(".maps"), counts_b SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 1);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} counts SEC(".maps");

/* Here, not inline where calls end: one object holds the counters. */
__noinline int nt_count_add(__u32 slot, __s64 ret, __u64 ns, __u64 bytes)
{
	__u32 zero = 0, b = nt_hist_bucket(ns);
	void *now = bpf_map_lookup_elem(&counts, &zero);
	struct nt_count *c = now ? bpf_map_lookup_elem(now, &slot) : NULL;

	if (!c)
		return 0;
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
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
