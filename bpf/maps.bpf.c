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
const volatile __u32 targ_status = NT_STATUS_ALL;
const volatile __u64 targ_min_dur_ns = 0;
const volatile struct nt_port_range targ_ports[NT_PORTS_MAX] = {};
const volatile __u32 targ_nports = 0;
__u64 nt_deferred_pending = 0;
__u64 nt_lost = 0;
__u64 nt_start_ns = 0; /* when tracing began (user space sets it), CLOCK_MONOTONIC */
__u64 nt_uring_issuing = 0;
__u64 nt_uring_sk_count = 0;
__u8 nt_maybe_traced[NT_TGID_SLOTS] = {};
const volatile __u32 targ_state_stack = 0;
const volatile __u32 targ_conns = 0;
const volatile __u32 targ_close_uncounted = 0;
__u64 nt_conns_retired = 0;
const volatile __u8 targ_sys_path[NT_SYS_MAX] = {};

char LICENSE[] SEC("license") = "Dual BSD/GPL";
