// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Kernel path assembly; see kpath.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "decode.h"
#include "hooks.h"
#include "kpath.h"
#include "util.h"
#include "xlat.h"

static int starts(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

/* Frames of the tracing machinery itself (kprobes' and fprobes' too), and of going to sleep. */
static int is_tracing_frame(const char *n)
{
	return starts(n, "bpf_") || starts(n, "__bpf_") || starts(n, "___bpf") ||
	       starts(n, "trace_") || starts(n, "__traceiter_") || starts(n, "perf_") ||
	       starts(n, "call_trace_") || starts(n, "__trace_") || starts(n, "kprobe_") ||
	       starts(n, "ftrace_") || starts(n, "arch_ftrace_") || starts(n, "fprobe_") ||
	       starts(n, "rethook_") || !strcmp(n, "__schedule") || !strcmp(n, "schedule");
}

/* Where the call's own path begins, seen from inside: the syscall entry, or
 * the task work that runs a deferred fput after close returned. */
static int is_outer_frame(const char *n)
{
	return starts(n, "__x64_sys_") || starts(n, "__ia32_sys_") || starts(n, "__se_sys_") ||
	       starts(n, "__do_sys_") || starts(n, "do_syscall_") || starts(n, "entry_SYSCALL") ||
	       starts(n, "x64_sys_call") || !strcmp(n, "task_work_run") ||
	       starts(n, "syscall_exit_") ||
	       starts(n, "ret_from_fork"); /* a kernel thread's start (the SQ thread, io-wq) */
}

static int is_irq_frame(const char *n)
{
	return strstr(n, "softirq") || !strcmp(n, "net_rx_action") || starts(n, "irq_exit") ||
	       starts(n, "__irq_exit") || starts(n, "asm_") || starts(n, "sysvec_");
}

/*
 * The first frame past the tracing machinery (the BPF program, the tracepoint
 * that ran it) near the top of a stack: the hooked function's own.
 */
static int past_machinery(const char *const *names, int n)
{
	int first = 0;

	for (int i = 0; i < n && i < 6; i++)
		if (is_tracing_frame(names[i]))
			first = i + 1;
	while (first < n && is_tracing_frame(names[first]))
		first++;
	return first;
}

static void frame_names(const struct ksyms *ks, const uint64_t *frames, int n, const char **names)
{
	for (int i = 0; i < n; i++) {
		const struct ksym *s = ksyms__find(ks, frames[i]);

		names[i] = s ? s->name : "?";
	}
}

int kpath_frames(const struct ksyms *ks, const uint64_t *frames, int n, char (*names)[64], int max,
		 int *in_softirq)
{
	const char *tmp[NT_STACK_DEPTH];
	int first, last, out = 0;

	*in_softirq = 0;
	if (n > NT_STACK_DEPTH)
		n = NT_STACK_DEPTH;
	frame_names(ks, frames, n, tmp);
	first = past_machinery(tmp, n);
	for (last = first; last < n && !is_outer_frame(tmp[last]); last++)
		if (is_irq_frame(tmp[last]))
			*in_softirq = 1;
	for (int i = last - 1; i >= first && out < max; i--)
		snprintf(names[out++], 64, "%s", tmp[i]);
	return out;
}

static void append(char *buf, size_t len, const char *fmt, const char *s)
{
	size_t o = strlen(buf);

	if (o < len)
		snprintf(buf + o, len - o, fmt, s);
}

static int is_uring_tp(unsigned int fn)
{
	return fn >= NT_TP_URING_SUBMIT && fn <= NT_TP_URING_COMPLETE;
}

/* The path from function hits: their names in the order they ran. */
static int function_path(struct call *c, char *buf, size_t len)
{
	const struct path_hit *timed = NULL;
	const char *prev = NULL;
	int n = 0;

	for (int i = 0; i < c->path.nhits; i++) {
		const struct path_hit *h = &c->path.hits[i];

		if (h->point)
			continue;
		if (!prev || strcmp(prev, h->name))
			append(buf, len, n++ ? " → %s" : "%s", h->name);
		prev = h->name;
		if (h->exited && (!timed || h->depth >= timed->depth))
			timed = h;
	}
	if (timed) {
		char d[32], b[48] = "";
		if (call_moves_bytes(c) && timed->val >= 0)
			snprintf(b, sizeof(b), "%d B, ", timed->val);
		else if (timed->val < 0 && timed->val >= -4095 && errno_name(-timed->val))
			snprintf(b, sizeof(b), "-%s, ", errno_name(-timed->val));
		fmt_dur(timed->dur_ns, d, sizeof(d));
		append(buf, len, " (%s", b);
		append(buf, len, "%s)", d);
	}
	return n;
}

/* The path from tracepoint stacks: the first one taken in the call's own
 * context (later ones may come from a softirq the call ran on its way). */
#define CACHE_IDS 8192 /* the stacks map's max_entries */

struct named_stack {
	int n, irq;
	char names[NT_STACK_DEPTH][64];
	char line[PATH_LINE_MAX]; /* the names joined: "a → b → c" */
};

#define CACHE_CALLEES 64 /* a handful of functions serve every socket's sends and receives */

struct named_fn {
	uint64_t addr;
	const char *name; /* NULL: not in the symbols */
};

struct kpath_cache {
	struct named_stack *by_id[CACHE_IDS];
	struct named_fn callees[CACHE_CALLEES];
	int ncallees;
};

struct kpath_cache *kpath_cache_new(void)
{
	return calloc(1, sizeof(struct kpath_cache));
}

void kpath_cache_free(struct kpath_cache *c)
{
	if (!c)
		return;
	for (int i = 0; i < CACHE_IDS; i++)
		free(c->by_id[i]);
	free(c);
}

/*
 * Stack id's frames named (kpath_frames) and joined, in *tmp, or from the
 * cache when the id was met before: a busy server's calls reuse a handful of
 * stacks, and naming and joining them per call was a fifth of the list view.
 */
static const struct named_stack *named_stack(const struct kpath_ctx *k, int id,
					     struct named_stack *tmp)
{
	struct named_stack *ns = k->cache && id >= 0 && id < CACHE_IDS ? k->cache->by_id[id] : NULL;
	uint64_t frames[NT_STACK_DEPTH];
	const struct ksyms *ks;
	size_t o = 0;
	int nf;

	if (ns)
		return ns;
	nf = k->stack(k->stack_ctx, id, frames, NT_STACK_DEPTH);
	if (nf <= 0 || !(ks = k->ksyms(k->stack_ctx)))
		return NULL;
	tmp->n = kpath_frames(ks, frames, nf, tmp->names, NT_STACK_DEPTH, &tmp->irq);
	tmp->line[0] = 0;
	for (int i = 0; i < tmp->n; i++) {
		if (i)
			buf_put(tmp->line, &o, sizeof(tmp->line), " → ");
		buf_put(tmp->line, &o, sizeof(tmp->line), tmp->names[i]);
	}
	if (k->cache && id >= 0 && id < CACHE_IDS && (ns = malloc(sizeof(*ns)))) {
		*ns = *tmp;
		k->cache->by_id[id] = ns;
	}
	return tmp;
}

static int stack_path(const struct kpath_ctx *k, struct call *c, char *buf, size_t len,
		      const struct path_hit **at)
{
	struct named_stack tmp[2];
	const struct named_stack *best = NULL;
	const struct path_hit *best_hit = NULL;
	size_t o;

	if (!k->stack)
		return 0;
	for (int i = 0; i < c->path.nhits; i++) {
		const struct path_hit *h = &c->path.hits[i];
		const struct named_stack *ns;
		int irq;

		/* a request's own tracepoints mark its life, not its path */
		if (!h->point || h->stackid < 0 || is_uring_tp(h->fn))
			continue;
		/* tmp[0] may hold the best so far: the next uncached one goes in the other */
		ns = named_stack(k, h->stackid, &tmp[best == &tmp[0]]);
		if (!ns || !ns->n)
			continue;
		/*
		 * A call's own path is never one seen only from a softirq; a
		 * request retried after a wakeup: its last attempt is the one that worked.
		 */
		irq = best ? best->irq : 1;
		if (ns->irq < irq || (c->req.is_req && ns->irq == irq)) {
			best = ns;
			best_hit = h;
		}
	}
	if (!best)
		return 0;
	*at = best_hit;
	o = strlen(buf);
	buf_put(buf, &o, len, best->line);
	if (c->req.is_req && best_hit->val >= 0 &&
	    (best_hit->fn == NT_TP_SOCK_SEND_LENGTH || best_hit->fn == NT_TP_SOCK_RECV_LENGTH)) {
		char b[32];

		snprintf(b, sizeof(b), " (%d B)", best_hit->val);
		append(buf, len, "%s", b);
	}
	if (best_hit->fn == NT_TP_SCHED_SWITCH) {
		char d[32];

		if (best_hit->exited)
			append(buf, len, " (slept %s)", fmt_dur(best_hit->dur_ns, d, sizeof(d)));
		else
			append(buf, len, "%s", " (slept)");
	}
	return best->n;
}

/* Without functions or stacks, a request's path is the socket tracepoints it hit. */
static void point_path(struct call *c, char *buf, size_t len)
{
	char b[48];
	unsigned int last = ~0u;

	for (int i = 0; i < c->path.nhits; i++) {
		const struct path_hit *h = &c->path.hits[i];

		if (!h->point || is_uring_tp(h->fn) || h->fn == NT_TP_SCHED_SWITCH)
			continue;
		/* a connect's two state changes are one step: the states follow the line */
		if (h->fn == NT_TP_INET_SOCK_SET_STATE && last == h->fn)
			continue;
		last = h->fn;
		append(buf, len, *buf ? " → %s" : "%s", h->name);
		if (h->fn != NT_TP_SOCK_SEND_LENGTH && h->fn != NT_TP_SOCK_RECV_LENGTH)
			continue;
		/* a failed first try (-EAGAIN) before the poll wakeup shows as such */
		if (h->val >= 0)
			snprintf(b, sizeof(b), " (%d B)", h->val);
		else
			snprintf(b, sizeof(b), " (-%s)",
				 errno_name(-h->val) ? errno_name(-h->val) : "E?");
		append(buf, len, "%s", b);
	}
}

/* Is name one of the functions in path line buf? */
static int in_line(const char *buf, const char *name)
{
	size_t n = strlen(name);

	for (const char *s = buf; (s = strstr(s, name)); s += n)
		if ((s == buf || s[-1] == ' ') && (!s[n] || s[n] == ' '))
			return 1;
	return 0;
}

int kpath_callees(const struct kpath_cache *c, uint64_t *out, int max)
{
	int n = 0;

	for (; c && n < c->ncallees && n < max; n++)
		out[n] = c->callees[n].addr;
	return n;
}

/* The function at addr, NULL if the symbols do not have it (remembered either way). */
static const char *callee_name(const struct kpath_ctx *k, uint64_t addr)
{
	struct kpath_cache *kc = k->cache;
	const struct ksyms *ks = k->ksyms(k->stack_ctx);
	const struct ksym *s = ks ? ksyms__find(ks, addr) : NULL;
	const char *name = s && s->addr == addr ? s->name : NULL;

	if (kc && kc->ncallees < CACHE_CALLEES)
		kc->callees[kc->ncallees++] = (struct named_fn){addr, name};
	return name;
}

/* A callee hit's function, by its address (it stays "?" if not in the symbols). */
static void name_callees(const struct kpath_ctx *k, struct call *c)
{
	const struct kpath_cache *kc = k->cache;

	for (int i = 0; i < c->path.nhits; i++) {
		struct path_hit *h = &c->path.hits[i];
		const char *name;
		int j = 0;

		if (!h->callee)
			continue;
		while (kc && j < kc->ncallees && kc->callees[j].addr != h->callee)
			j++;
		name = kc && j < kc->ncallees ? kc->callees[j].name : callee_name(k, h->callee);
		if (name)
			h->name = name;
	}
}

/*
 * A cgroup hook names the function it ran in, and a callee hit the function
 * a send or receive called: alone, that is the path.  After a stack taken
 * where the protocol's sendmsg or recvmsg had returned to its caller
 * (sock_send_length, sock_recv_length), it is one step deeper; any other
 * stack shows more than it does.  The callee comes first, though its hit is
 * taken last: the hooks ran inside it (an IPv6 socket's send to a v4-mapped
 * address is udpv6_sendmsg → udp_sendmsg, whose hook is udp_sendmsg's).
 */
static void site_path(struct call *c, const struct path_hit *at, char *buf, size_t len)
{
	if (*buf && (!at || (at->fn != NT_TP_SOCK_SEND_LENGTH && at->fn != NT_TP_SOCK_RECV_LENGTH)))
		return;
	for (int callees = 1; callees >= 0; callees--)
		for (int i = 0; i < c->path.nhits; i++) {
			const struct path_hit *h = &c->path.hits[i];

			/* a callee left unnamed is no step */
			if (!h->site || !h->callee != !callees ||
			    (h->callee && !strcmp(h->name, "?")) || in_line(buf, h->name))
				continue;
			append(buf, len, *buf ? " → %s" : "%s", h->name);
		}
}

static void tcp_states(struct call *c)
{
	char *buf = c->path.states;
	size_t len = sizeof(c->path.states);
	const char *kept = NULL;
	int n = 0;

	buf[0] = 0;
	c->path.rst_sent = 0;
	for (int i = 0; i < c->path.nhits; i++) {
		const struct path_hit *h = &c->path.hits[i];
		const char *from, *to;

		c->path.rst_sent |= h->fn == NT_TP_TCP_SEND_RESET;
		if (h->fn != NT_TP_INET_SOCK_SET_STATE)
			continue;
		from = xlat_name(xlat_tcp_state, (h->val >> 8) & 0xff);
		to = xlat_name(xlat_tcp_state, h->val & 0xff);
		/* tcp_close in FIN_WAIT1 sets FIN_WAIT1 again: no change */
		if ((h->val >> 8 & 0xff) == (h->val & 0xff)) {
			kept = to ? to : "?";
			continue;
		}
		if (!n++)
			append(buf, len, "%s", from ? from : "?");
		append(buf, len, " → %s", to ? to : "?");
	}
	/*
	 * The path line ends in inet_sk_state_store either way; without the
	 * state it kept, the close in FIN_WAIT1 (the peer's ACK not yet in)
	 * looks like a change left unsaid.
	 */
	if (!n && kept)
		append(buf, len, "%s", kept);
}

static void stacks(const struct kpath_ctx *k, struct call *c)
{
	uint64_t frames[NT_STACK_DEPTH];
	const char *names[NT_STACK_DEPTH];
	char f[96];

	c->path.nstacks = 0;
	if (!k->want_stacks || !k->stack)
		return;
	for (int i = 0; i < c->path.nhits; i++) {
		const struct path_hit *h = &c->path.hits[i];
		char *out = c->path.stacks[c->path.nstacks];
		int n;

		if (h->stackid < 0)
			continue;
		n = k->stack(k->stack_ctx, h->stackid, frames, NT_STACK_DEPTH);
		if (n <= 0)
			continue;
		out[0] = 0;
		/*
		 * From the hooked function down: not the BPF program that took the
		 * stack, the tracepoint or trampoline that ran it, nor a trampoline
		 * an fexit left between two callers.
		 */
		frame_names(k->ksyms(k->stack_ctx), frames, n, names);
		for (int j = 0; j < n; j++) {
			if (!*out ? is_tracing_frame(names[j]) || !strcmp(names[j], "?")
				  : starts(names[j], "bpf_trampoline_") ||
					    starts(names[j], "bpf_prog_"))
				continue;
			ksyms__fmt(k->ksyms(k->stack_ctx), frames[j], f, sizeof(f));
			append(out, PATH_STACK_MAX, *out ? " ← %s" : "%s", f);
		}
		if (!*out)
			continue; /* nothing but the machinery */
		c->path.stack_hit[c->path.nstacks++] = i;
	}
}

void kpath_build(const struct kpath_ctx *k, struct call *c)
{
	int hook = c->req.is_req ? HOOK_URING : hook_of_sys(c->sys->id);

	c->path.line[0] = 0;
	c->path.note = NULL;
	if (hook < 0)
		return;
	name_callees(k, c);
	if (!function_path(c, c->path.line, sizeof(c->path.line))) {
		const struct path_hit *at = NULL;

		if (!stack_path(k, c, c->path.line, sizeof(c->path.line), &at) && c->req.is_req)
			point_path(c, c->path.line, sizeof(c->path.line));
		site_path(c, at, c->path.line, sizeof(c->path.line));
	}
	tcp_states(c);
	stacks(k, c);
	if (c->path.line[0])
		return;
	c->path.note = k->hook_note ? k->hook_note[hook] : NULL;
	if (c->began_before) /* what ran inside it ran before the hooks were there */
		c->path.note = "kernel path not visible: the call began before tracing did";
	/* the hits were there, their stacks had no names (asked only then: the
	 * symbols load on first need) */
	for (int i = 0; i < c->path.nhits && k->stack; i++)
		if (c->path.hits[i].stackid >= 0) {
			if (!k->ksyms(k->stack_ctx))
				c->path.note = k->no_ksyms_note ? k->no_ksyms_note
								: "kernel path not visible: the "
								  "kernel's symbols are "
								  "unreadable (/proc/kallsyms "
								  "gives them with CAP_SYSLOG)";
			break;
		}
}
