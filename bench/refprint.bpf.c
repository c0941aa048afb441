// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The bench's reference row: the design issue 8 measured its peers against
 * ("a bare libbpf tp_btf -> ring buffer -> file printer"), so that every
 * bench run also says what that design costs on the same load.  Every
 * syscall of one process, enter and exit paired in the kernel, one record a
 * call, never a wakeup: nothing decoded, no socket, no kernel path.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "refprint.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

const volatile __u32 targ_tgid;
__u64 lost;

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 16 << 20);
} calls SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);
	__type(value, struct ref_call);
} started SEC(".maps");

SEC("tp_btf/sys_enter")
int BPF_PROG(ref_sys_enter, struct pt_regs *regs, long id)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)pid_tgid;
	struct ref_call c = {};

	if (pid_tgid >> 32 != targ_tgid)
		return 0;
	c.ts_ns = bpf_ktime_get_ns();
	c.nr = id;
	c.tgid = pid_tgid >> 32;
	c.tid = tid;
	bpf_map_update_elem(&started, &tid, &c, BPF_ANY);
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(ref_sys_exit, struct pt_regs *regs, long ret)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)pid_tgid;
	struct ref_call *c;

	if (pid_tgid >> 32 != targ_tgid)
		return 0;
	c = bpf_map_lookup_elem(&started, &tid);
	if (!c)
		return 0;
	c->dur_ns = bpf_ktime_get_ns() - c->ts_ns;
	c->ret = ret;
	if (bpf_ringbuf_output(&calls, c, sizeof(*c), BPF_RB_NO_WAKEUP))
		__sync_fetch_and_add(&lost, 1);
	bpf_map_delete_elem(&started, &tid);
	return 0;
}
