// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Per-hook mechanism choice; see plan.h. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "hooks.h"
#include "plan.h"

static int usable(const struct kernel_features *f, const struct hook *h, enum mech m)
{
	int n = 0;

	for (int i = 0; i < HOOK_FNS_MAX && h->fns[i]; i++)
		n += m == MECH_FENTRY ? f->in_btf[h->fns[i]] : f->in_kallsyms[h->fns[i]];
	return n;
}

static int tps_usable(const struct kernel_features *f, const struct hook *h)
{
	int n = 0;

	for (int i = 0; i < HOOK_TPS_MAX && h->tps[i]; i++)
		n += f->tp_exists[h->tps[i]];
	for (int i = 0; i < HOOK_CGS_MAX && h->cgs[i]; i++)
		n += f->cg_exists[h->cgs[i]];
	return n;
}

/* Why mechanism m cannot serve hook h, "" if it can. */
static void why_not(const struct kernel_features *f, const struct hook *h, enum mech m, char *buf,
		    size_t len)
{
	buf[0] = 0;
	if (m == MECH_FENTRY && !f->fentry_ok)
		snprintf(buf, len, "%s", f->fentry_why);
	else if (m == MECH_KPROBE && !f->kprobe_ok)
		snprintf(buf, len, "%s", f->kprobe_why);
	else if (m != MECH_TRACEPOINT && !usable(f, h, m))
		snprintf(buf, len, "none of its functions is in this kernel (inlined or renamed)");
	else if (m == MECH_TRACEPOINT && !tps_usable(f, h) && h->cgs[0] && *f->cg_why)
		snprintf(buf, len, "no tracepoint on its way in this kernel, and %s", f->cg_why);
	else if (m == MECH_TRACEPOINT && !tps_usable(f, h))
		snprintf(buf, len, "no tracepoint or cgroup hook on its way in this kernel");
}

static void fill_states(const struct kernel_features *f, const struct hook *h, enum mech m,
			struct hook_report *hr)
{
	for (int i = 0; i < HOOK_FNS_MAX && h->fns[i]; i++) {
		int ok = m == MECH_FENTRY   ? f->in_btf[h->fns[i]]
			 : m == MECH_KPROBE ? f->in_kallsyms[h->fns[i]]
					    : 0;
		hr->fn_state[i] = ok ? FN_PRESENT : FN_ABSENT;
	}
	for (int i = 0; i < HOOK_TPS_MAX && h->tps[i]; i++)
		hr->tp_state[i] =
			m == MECH_TRACEPOINT && f->tp_exists[h->tps[i]] ? FN_PRESENT : FN_ABSENT;
	for (int i = 0; i < HOOK_CGS_MAX && h->cgs[i]; i++)
		hr->cg_state[i] =
			m == MECH_TRACEPOINT && f->cg_exists[h->cgs[i]] ? FN_PRESENT : FN_ABSENT;
}

/* The length of a reason up to its parenthesized detail: "refused by this kernel" */
static int brief(const char *why)
{
	size_t n = strcspn(why, "(");

	while (n > 0 && why[n - 1] == ' ')
		n--;
	return (int)n;
}

static void summarize(const struct kernel_features *f, struct probe_report *r)
{
	int count[MECH_NONE + 1] = {}, o = 0, first = 1;
	char *s = r->summary;
	size_t len = sizeof(r->summary);
	int cg = 0; /* a cgroup hook serves a tracepoint hook */

	for (int h = 0; h < HOOK_MAX; h++) {
		count[r->hooks[h].chosen]++;
		for (int i = 0; i < HOOK_CGS_MAX; i++)
			cg |= r->hooks[h].cg_state[i] == FN_PRESENT;
	}
	o += snprintf(s + o, len - o, "kernel path via ");
	for (int m = MECH_FENTRY; m <= MECH_TRACEPOINT; m++) {
		if (!count[m])
			continue;
		o += snprintf(s + o, len - o, "%s%s", first ? "" : " + ",
			      m == MECH_TRACEPOINT
				      ? (cg ? "tracepoints + cgroup hooks" : "tracepoints")
			      : m == MECH_KPROBE ? "kprobes"
						 : "fentry");
		first = 0;
	}
	/* the reasons without their details, which socktrace probes gives: a header, not a report */
	if (!f->fentry_ok || !f->kprobe_ok) {
		o += snprintf(s + o, len - o, " (");
		if (!f->fentry_ok)
			o += snprintf(s + o, len - o, "fentry: %.*s", brief(f->fentry_why),
				      f->fentry_why);
		if (!f->kprobe_ok)
			o += snprintf(s + o, len - o, "%skprobes: %.*s", f->fentry_ok ? "" : "; ",
				      brief(f->kprobe_why), f->kprobe_why);
		snprintf(s + o, len - o, "; socktrace probes says why)");
	}
}

int plan_hooks(const struct kernel_features *f, enum mech forced, struct probe_report *r, char *err,
	       size_t errlen)
{
	memset(r, 0, sizeof(*r));
	snprintf(r->fentry_why, sizeof(r->fentry_why), "%s", f->fentry_ok ? "" : f->fentry_why);
	snprintf(r->kprobe_why, sizeof(r->kprobe_why), "%s", f->kprobe_ok ? "" : f->kprobe_why);
	if (forced == MECH_FENTRY && !f->fentry_ok) {
		snprintf(err, errlen, "--mechanism fentry: fentry is %s; use --mechanism auto",
			 f->fentry_why);
		return -EOPNOTSUPP;
	}
	if (forced == MECH_KPROBE && !f->kprobe_ok) {
		snprintf(err, errlen, "--mechanism kprobe: kprobes are %s; use --mechanism auto",
			 f->kprobe_why);
		return -EOPNOTSUPP;
	}
	for (int h = 0; h < HOOK_MAX; h++) {
		struct hook_report *hr = &r->hooks[h];
		enum mech m = MECH_TRACEPOINT;

		for (int k = MECH_FENTRY; k <= MECH_TRACEPOINT; k++)
			why_not(f, &hooks[h], k, hr->why_not[k], sizeof(hr->why_not[k]));
		if (forced != MECH_AUTO)
			m = forced;
		else if (!hr->why_not[MECH_FENTRY][0])
			m = MECH_FENTRY;
		else if (!hr->why_not[MECH_KPROBE][0])
			m = MECH_KPROBE;
		hr->chosen = m;
		fill_states(f, &hooks[h], m, hr);
		if (m == MECH_TRACEPOINT)
			snprintf(hr->note, sizeof(hr->note), "kernel path not visible: %s%s%s%s",
				 hr->why_not[MECH_TRACEPOINT][0] ? hr->why_not[MECH_TRACEPOINT]
				 /* a request's other hits ran in whatever issued it: not its own */
				 : h == HOOK_URING
					 ? "only a request's bytes sent and received, and "
					   "its TCP state changes, are tied to it by "
					   "tracepoints"
					 : "no tracepoint or cgroup hook ran inside this call",
				 forced == MECH_AUTO ? "; fentry " : "",
				 forced == MECH_AUTO ? (f->fentry_ok ? "unused" : "refused") : "",
				 forced == MECH_AUTO && !f->kprobe_ok ? ", no kprobes" : "");
		else
			snprintf(hr->note, sizeof(hr->note),
				 "no hooked function ran inside this call");
	}
	for (int h = 0; h < HOOK_MAX; h++)
		r->kprobe_multi |= r->hooks[h].chosen == MECH_KPROBE && f->kprobe_multi_ok;
	if (f->kprobe_ok && !f->kprobe_multi_ok)
		snprintf(r->kprobe_multi_why, sizeof(r->kprobe_multi_why), "%s",
			 f->kprobe_multi_why);
	summarize(f, r);
	return 0;
}
