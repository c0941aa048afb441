// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The mechanism choice on kernels that do not exist here. */
#include <errno.h>
#include "plan.h"
#include "unit.h"

static void all_present(struct kernel_features *f)
{
	memset(f, 0, sizeof(*f));
	for (int fn = 1; fn < NT_FN_MAX; fn++)
		f->in_btf[fn] = f->in_kallsyms[fn] = f->tp_exists[fn] = 1;
	f->in_btf[NT_FN___SOCK_SENDMSG] = f->in_kallsyms[NT_FN___SOCK_SENDMSG] = 0;
}

int main(void)
{
	struct kernel_features f;
	struct probe_report r;
	char err[256];

	/* a stock kernel: fentry everywhere, a missing function marked absent */
	all_present(&f);
	f.fentry_ok = f.kprobe_ok = 1;
	t_check(plan_hooks(&f, MECH_AUTO, &r, err, sizeof(err)) == 0);
	for (int h = 0; h < HOOK_MAX; h++)
		t_check(r.hooks[h].chosen == MECH_FENTRY);
	t_check(r.hooks[HOOK_SENDMSG].fn_state[0] == FN_PRESENT); /* sock_sendmsg */
	t_check(r.hooks[HOOK_SENDMSG].fn_state[1] == FN_ABSENT);  /* __sock_sendmsg */
	t_streq(r.summary, "kernel path via fentry");

	t_check(!r.kprobe_multi); /* nothing chose kprobes */

	/* fentry refused, kprobes there: kprobes, through kprobe.multi where it exists */
	f.fentry_ok = 0;
	f.kprobe_multi_ok = 1;
	strcpy(f.fentry_why, "refused by this kernel (load: Operation not permitted)");
	t_check(plan_hooks(&f, MECH_AUTO, &r, err, sizeof(err)) == 0);
	t_check(r.hooks[HOOK_CONNECT].chosen == MECH_KPROBE);
	t_streq(r.hooks[HOOK_CONNECT].why_not[MECH_FENTRY], f.fentry_why);
	t_check(r.kprobe_multi && !*r.kprobe_multi_why);
	/* without fprobe (Debian 6.1): one kprobe per function, and why */
	f.kprobe_multi_ok = 0;
	strcpy(f.kprobe_multi_why,
	       "kprobe.multi not in this kernel (attach: Operation not supported)");
	t_check(plan_hooks(&f, MECH_AUTO, &r, err, sizeof(err)) == 0);
	t_check(!r.kprobe_multi);
	t_streq(r.kprobe_multi_why, f.kprobe_multi_why);

	/* neither (this machine): tracepoints, with the reasons said */
	f.kprobe_ok = 0;
	strcpy(f.kprobe_why, "not in this kernel");
	t_check(plan_hooks(&f, MECH_AUTO, &r, err, sizeof(err)) == 0);
	t_check(r.hooks[HOOK_RECVMSG].chosen == MECH_TRACEPOINT);
	t_check(r.hooks[HOOK_RECVMSG].tp_state[0] == FN_PRESENT);
	/* the header's reasons are brief: socktrace probes gives their details */
	t_streq(r.summary, "kernel path via tracepoints (fentry: refused by this kernel; kprobes: "
			   "not in this kernel; socktrace probes says why)");
	/* a hook with no tracepoint on its way says so instead of guessing */
	t_streq(r.hooks[HOOK_SOCK_CREATE].why_not[MECH_TRACEPOINT],
		"no tracepoint or cgroup hook on its way in this kernel");
	/* a cgroup hook serves it where the kernel has the attach type, and
	 * serves the tracepoint mechanism alone */
	f.cg_exists[CG_SOCK_CREATE] = 1;
	t_check(plan_hooks(&f, MECH_AUTO, &r, err, sizeof(err)) == 0);
	t_streq(r.hooks[HOOK_SOCK_CREATE].why_not[MECH_TRACEPOINT], "");
	t_check(r.hooks[HOOK_SOCK_CREATE].cg_state[0] == FN_PRESENT);
	t_check(r.hooks[HOOK_BIND].cg_state[0] == FN_ABSENT);
	f.kprobe_ok = 1;
	t_check(plan_hooks(&f, MECH_AUTO, &r, err, sizeof(err)) == 0);
	t_check(r.hooks[HOOK_SOCK_CREATE].chosen == MECH_KPROBE);
	t_check(r.hooks[HOOK_SOCK_CREATE].cg_state[0] == FN_ABSENT);
	f.kprobe_ok = 0;

	/* one hook's functions all inlined: that hook alone falls back */
	f.fentry_ok = 1;
	f.in_btf[NT_FN_INET_LISTEN] = f.in_kallsyms[NT_FN_INET_LISTEN] = 0;
	f.in_btf[NT_FN___SYS_LISTEN] = f.in_kallsyms[NT_FN___SYS_LISTEN] = 0;
	t_check(plan_hooks(&f, MECH_AUTO, &r, err, sizeof(err)) == 0);
	t_check(r.hooks[HOOK_LISTEN].chosen == MECH_TRACEPOINT);
	t_check(r.hooks[HOOK_BIND].chosen == MECH_FENTRY);
	t_streq(r.summary, "kernel path via fentry + tracepoints (kprobes: not in this kernel; "
			   "socktrace probes says why)");

	/* forcing what the kernel lacks is an error, never a silent fallback */
	t_check(plan_hooks(&f, MECH_KPROBE, &r, err, sizeof(err)) == -EOPNOTSUPP);
	t_streq(err, "--mechanism kprobe: kprobes are not in this kernel; use --mechanism auto");
	t_check(plan_hooks(&f, MECH_TRACEPOINT, &r, err, sizeof(err)) == 0);
	t_check(r.hooks[HOOK_BIND].chosen == MECH_TRACEPOINT);
	return t_done();
}
