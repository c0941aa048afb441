// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Process following: a traced process's new children join the tgids map
 * (unless --no-follow), and fork, exec and exit of traced processes go out as
 * EV_PROC records so the timeline shows them and user space knows when every
 * traced process is gone.  raw_tp needs no tracefs; these fire rarely, so
 * helper reads cost nothing a trace shows, where tp_btf's typed pointers
 * would cost a search of the kernel's BTF at each program's load.
 */
#include "common.bpf.h"

static __always_inline void emit_proc(struct task_struct *task, __u32 kind, __u32 ppid, __s32 code,
				      const char *path)
{
	struct ev_proc ev = {};

	fill_hdr(&ev.hdr, bpf_ktime_get_ns(), EV_PROC, sizeof(ev),
		 ((__u64)BPF_CORE_READ(task, tgid) << 32) | (__u32)BPF_CORE_READ(task, pid));
	ev.kind = kind;
	ev.ppid = ppid;
	ev.exit_code = code;
	BPF_CORE_READ_STR_INTO(&ev.comm, task, comm);
	if (path)
		bpf_probe_read_kernel_str(ev.path, sizeof(ev.path), path);
	emit(&ev, sizeof(ev), NT_STAT_LOST_PROC);
}

SEC("raw_tp/sched_process_fork")
int BPF_PROG(tp_sched_process_fork, struct task_struct *parent, struct task_struct *child)
{
	__u32 ptgid = BPF_CORE_READ(parent, tgid), ctgid = BPF_CORE_READ(child, tgid),
	      traced = NT_TGID_TRACED;

	/* a new thread shares its tgid, which is traced already */
	if (!targ_follow || ptgid == ctgid || !trace_allowed(ptgid))
		return 0;
	set_maybe_traced(ctgid);
	if (bpf_map_update_elem(&tgids, &ctgid, &traced, BPF_ANY)) {
		stat_inc(NT_STAT_FOLLOW_FULL);
		return 0;
	}
	emit_proc(child, NT_PROC_FORK, ptgid, 0, NULL);
	return 0;
}

SEC("raw_tp/sched_process_exec")
int BPF_PROG(tp_sched_process_exec, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	__u32 tgid = BPF_CORE_READ(p, tgid), *state;

	if (!trace_allowed(tgid))
		return 0;
	emit_proc(p, NT_PROC_EXEC, 0, 0, BPF_CORE_READ(bprm, filename));
	/* new mappings: the next user stack wakes the reader for them again */
	state = bpf_map_lookup_elem(&tgids, &tgid);
	if (state)
		*state = NT_TGID_TRACED;
	return 0;
}

SEC("raw_tp/sched_process_exit")
int BPF_PROG(tp_sched_process_exit, struct task_struct *p)
{
	__u32 tgid = BPF_CORE_READ(p, tgid), tid = BPF_CORE_READ(p, pid);

	struct inflight *in;

	if (!trace_allowed(tgid))
		return 0;
	/* a close held back for its socket's release goes out before its thread */
	in = active_call(tgid, tid);
	if (in && in->deferred)
		flush_deferred(in, tid, ((__u64)tgid << 32) | tid);
	bpf_map_delete_elem(&inflight, &tid);
	/* the process is gone when its last thread goes, not its leader */
	if (BPF_CORE_READ(p, signal, live.counter) != 0)
		return 0;
	emit_proc(p, NT_PROC_EXIT, 0, BPF_CORE_READ(p, exit_code), NULL);
	bpf_map_delete_elem(&tgids, &tgid);
	return 0;
}
