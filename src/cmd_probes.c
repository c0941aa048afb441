// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * `socktrace probes`: loads and attaches everything as a trace would (with
 * no process traced), then reports hook by hook.  Sample:
 *
 * socktrace probes: kernel 6.18.44 x86_64
 *   fentry      refused by this kernel (load: Operation not permitted)
 *   kprobe      not in this kernel (no kprobe PMU: built without CONFIG_KPROBES)
 *   tracepoint  available (tp_btf, raw_tp: needs BTF only)
 *
 * HOOK         MECHANISM   FUNCTIONS AND TRACEPOINTS
 * sendmsg      tracepoint  tcp_sendmsg_locked: attached, sock_send_length: attached,
 *                          cgroup sendmsg4 (in udp_sendmsg): attached, ...
 *                          fentry: refused by this kernel (...); kprobe: not in this kernel (...)
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include "cmd_probes.h"
#include "json.h"
#include "log.h"
#include "probes.h"
#include "xlat.h"

static const char *const state_names[] = {
	[FN_ABSENT] = "absent",
	[FN_PRESENT] = "not attached",
	[FN_ATTACHED] = "attached",
	[FN_FAILED] = "failed to attach",
};

/* "bind4" for cg_bind4: the hook's own name, as bpftool cgroup shows it */
static const char *cg_name(unsigned int cg)
{
	return cg_hooks[cg].prog + strlen("cg_");
}

/* The functions under the chosen mechanism, or its tracepoints and cgroup hooks. */
static void list_targets(int h, const struct hook_report *hr, char *buf, size_t len)
{
	const struct hook *hk = &hooks[h];
	size_t o = 0;

	buf[0] = 0;
	if (hr->chosen == MECH_TRACEPOINT) {
		for (int i = 0; i < HOOK_TPS_MAX && hk->tps[i]; i++)
			o += snprintf(buf + o, o < len ? len - o : 0, "%s%s: %s", o ? ", " : "",
				      fn_name(hk->tps[i]), state_names[hr->tp_state[i]]);
		for (int i = 0; i < HOOK_CGS_MAX && hk->cgs[i]; i++)
			if (hr->cg_state[i] != FN_ABSENT)
				o += snprintf(buf + o, o < len ? len - o : 0,
					      "%scgroup %s (in %s): %s", o ? ", " : "",
					      cg_name(hk->cgs[i]), cg_hooks[hk->cgs[i]].where,
					      state_names[hr->cg_state[i]]);
	} else {
		for (int i = 0; i < HOOK_FNS_MAX && hk->fns[i]; i++)
			o += snprintf(buf + o, o < len ? len - o : 0, "%s%s: %s", o ? ", " : "",
				      fn_name(hk->fns[i]), state_names[hr->fn_state[i]]);
	}
	if (!o)
		snprintf(buf, len, "(none: %s)", hr->note);
}

/* Why the kernel offers no hook a mechanism, "" if it offers some. */
static const char *machine_why(const struct probe_report *r, int m)
{
	return m == MECH_FENTRY ? r->fentry_why : m == MECH_KPROBE ? r->kprobe_why : "";
}

static void print_text(const struct probe_report *r, const struct utsname *u)
{
	char targets[512];

	printf("socktrace probes: kernel %s %s\n", u->release, u->machine);
	printf("  %-11s %s\n", "fentry", *r->fentry_why ? r->fentry_why : "available");
	if (*r->kprobe_why)
		printf("  %-11s %s\n", "kprobe", r->kprobe_why);
	else if (r->kprobe_multi)
		printf("  %-11s available (kprobe.multi: one link for every function)\n", "kprobe");
	else
		printf("  %-11s available%s%s%s\n", "kprobe", *r->kprobe_multi_why ? " (" : "",
		       r->kprobe_multi_why,
		       *r->kprobe_multi_why ? "; one kprobe per function)" : "");
	printf("  %-11s %s\n\n", "tracepoint", "available (tp_btf, raw_tp: needs BTF only)");
	printf("%-12s %-11s %s\n", "HOOK", "MECHANISM", "FUNCTIONS AND TRACEPOINTS");
	for (int h = 0; h < HOOK_MAX; h++) {
		const struct hook_report *hr = &r->hooks[h];
		int first = 1;

		list_targets(h, hr, targets, sizeof(targets));
		printf("%-12s %-11s %s\n", hooks[h].name, mech_names[hr->chosen], targets);
		for (int m = MECH_FENTRY; m <= MECH_TRACEPOINT; m++) {
			/* a reason the kernel gives every hook was said once, above */
			if (m == (int)hr->chosen || !*hr->why_not[m] ||
			    !strcmp(hr->why_not[m], machine_why(r, m)))
				continue;
			printf("%s%s: %s", first ? "             not used: " : "; ", mech_names[m],
			       hr->why_not[m]);
			first = 0;
		}
		if (!first)
			putchar('\n');
	}
	printf("%-12s %-11s %s\n", "syscalls", "tracepoint", "sys_enter, sys_exit (raw, tp_btf)");
	printf("%-12s %-11s %s\n", "tcp states", "tracepoint",
	       "inet_sock_set_state, tcp_send_reset");
	printf("%-12s %-11s %s\n", "requests", "tracepoint",
	       r->uring ? r->uring_tps : r->uring_why);
}

/* "name": {"available": bool, "why_not": "..."}, left open for more keys */
static void json_mech(struct json *j, const char *name, const char *why)
{
	json_key(j, name);
	json_obj_begin(j);
	json_key(j, "available"), json_bool(j, !*why);
	if (*why)
		json_kv_str(j, "why_not", why);
}

static void print_json(const struct probe_report *r, const struct utsname *u)
{
	struct json j;

	json_init(&j, stdout);
	json_obj_begin(&j);
	json_kv_str(&j, "kernel", u->release);
	json_key(&j, "mechanisms");
	json_obj_begin(&j);
	json_mech(&j, "fentry", r->fentry_why);
	json_obj_end(&j);
	json_mech(&j, "kprobe", r->kprobe_why);
	json_key(&j, "multi"), json_bool(&j, r->kprobe_multi);
	if (*r->kprobe_multi_why)
		json_kv_str(&j, "multi_why_not", r->kprobe_multi_why);
	json_obj_end(&j);
	json_mech(&j, "tracepoint", "");
	json_obj_end(&j);
	json_obj_end(&j);
	json_key(&j, "io_uring_requests");
	json_obj_begin(&j);
	json_key(&j, "available"), json_bool(&j, r->uring);
	json_kv_str(&j, r->uring ? "tracepoints" : "why_not",
		    r->uring ? r->uring_tps : r->uring_why);
	json_obj_end(&j);
	json_key(&j, "hooks");
	json_arr_begin(&j);
	for (int h = 0; h < HOOK_MAX; h++) {
		const struct hook_report *hr = &r->hooks[h];
		const struct hook *hk = &hooks[h];

		json_obj_begin(&j);
		json_kv_str(&j, "hook", hk->name);
		json_kv_str(&j, "mechanism", mech_names[hr->chosen]);
		json_key(&j, "functions");
		json_arr_begin(&j);
		for (int i = 0; i < HOOK_FNS_MAX && hk->fns[i]; i++) {
			json_obj_begin(&j);
			json_kv_str(&j, "name", fn_name(hk->fns[i]));
			json_kv_str(&j, "state",
				    hr->chosen == MECH_TRACEPOINT ? "unused"
								  : state_names[hr->fn_state[i]]);
			json_obj_end(&j);
		}
		json_arr_end(&j);
		json_key(&j, "tracepoints");
		json_arr_begin(&j);
		for (int i = 0; i < HOOK_TPS_MAX && hk->tps[i]; i++) {
			json_obj_begin(&j);
			json_kv_str(&j, "name", fn_name(hk->tps[i]));
			json_kv_str(&j, "state",
				    hr->chosen != MECH_TRACEPOINT ? "unused"
								  : state_names[hr->tp_state[i]]);
			json_obj_end(&j);
		}
		json_arr_end(&j);
		json_key(&j, "cgroup_hooks");
		json_arr_begin(&j);
		for (int i = 0; i < HOOK_CGS_MAX && hk->cgs[i]; i++) {
			json_obj_begin(&j);
			json_kv_str(&j, "name", cg_name(hk->cgs[i]));
			json_kv_str(&j, "runs_in", cg_hooks[hk->cgs[i]].where);
			json_kv_str(&j, "state",
				    hr->chosen != MECH_TRACEPOINT ? "unused"
								  : state_names[hr->cg_state[i]]);
			json_obj_end(&j);
		}
		json_arr_end(&j);
		json_key(&j, "why_not");
		json_obj_begin(&j);
		for (int m = MECH_FENTRY; m <= MECH_TRACEPOINT; m++)
			if (m != (int)hr->chosen && *hr->why_not[m])
				json_kv_str(&j, mech_names[m], hr->why_not[m]);
		json_obj_end(&j);
		json_obj_end(&j);
	}
	json_arr_end(&j);
	json_obj_end(&j);
	json_newline(&j);
}

int cmd_probes(const struct config *cfg)
{
	struct probe_opts po = {
		.sys_on = cfg->sys_on,
		.buffer_bytes = cfg->buffer_bytes,
		.mechanism = cfg->mechanism,
		.uring = cfg->sys_on[NT_SYS_IO_URING_ENTER],
	};
	struct probes *p;
	struct utsname u;

	if (probes_check_host())
		return 1;
	p = probes__new(&po);
	if (!p)
		return 1;
	uname(&u);
	if (cfg->format == FMT_JSON)
		print_json(probes__report(p), &u);
	else
		print_text(probes__report(p), &u);
	probes__free(p);
	return 0;
}
