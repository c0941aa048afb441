// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Records -> model -> sink; see pipeline.h. */
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include "conntab.h"
#include "decode.h"
#include "uframes.h"
#include "usyms.h"
#include "pipeline.h"
#include "record.h"

static void emit_proc(void *ctx, const struct proc_event *e)
{
	struct pipeline *p = ctx;

	p->sink->ops->proc(p->sink, e);
}

/* report -c: what the kernel's counting would have made of a call */
static void aggregate(struct nt_count *agg, const struct call *c)
{
	unsigned int slot = c->req.is_req ? NT_SYS_MAX + (c->req.opcode & 63) : c->sys->id;
	struct nt_count *n = &agg[slot];

	if (c->unfinished || req_is_notif(&c->req))
		return; /* the kernel counts a call when it returns, a send once */
	n->calls++;
	if (c->err) {
		n->errors++;
		n->errnos[nt_errno_slot((uint64_t)c->err)]++;
	}
	n->ns += c->dur_ns;
	if (c->dur_ns > n->max_ns)
		n->max_ns = c->dur_ns;
	n->bytes += call_bytes(c);
	n->hist[nt_hist_bucket(c->dur_ns)]++;
}

/* Where a program's stack starts: a chain that reaches one of these is whole. */
static int is_root(const char *sym)
{
	return sym && (!strcmp(sym, "_start") || !strcmp(sym, "__libc_start_call_main") ||
		       !strcmp(sym, "__libc_start_main") || !strcmp(sym, "start_thread") ||
		       !strcmp(sym, "clone3") || !strcmp(sym, "clone"));
}

/* A frame already named. */
static void keep_frame(struct call *c, const struct uframe *uf, int call_site)
{
	struct call_user *u = &c->user;

	if (u->nframes < (int)(sizeof(u->frames) / sizeof(u->frames[0])))
		u->frames[u->nframes++] = (struct user_frame){
			uf->addr, uf->sym, uf->off, uf->module, uf->file, uf->line, call_site};
}

/* Live, from the process's files (and kept for a recording); in report, from the recording. */
static void resolve(struct pipeline *p, uint32_t pid, uint64_t addr, struct uframe *out)
{
	if (p->usyms) {
		usyms__resolve(p->usyms, pid, addr, out);
		if (p->named)
			uframes__add(p->named, pid, out);
	} else if (!uframes__get(p->named, pid, addr, out)) {
		*out = (struct uframe){.addr = addr};
	} else if (!p->user_lines) {
		out->line = 0;
	}
}

static void add_frame(struct pipeline *p, struct call *c, uint64_t addr)
{
	struct uframe uf;

	resolve(p, c->pid, addr, &uf);
	keep_frame(c, &uf, 0);
}

/*
 * -u: name the user frames.  The first is where the syscall instruction is
 * (a libc wrapper); a wrapper built without a frame pointer leaves its
 * caller's return address at the stack pointer, not in the chain: it is
 * taken from there (the call site).  The chain then goes as far as frame
 * pointers go; where they stop short of the program's start, the stack is cut
 * and says why.
 */
static void user_stack(struct pipeline *p, struct call *c)
{
	struct call_user *u = &c->user;
	struct uframe uf;

	if (!u->nfp)
		return;
	add_frame(p, c, u->fp[0]);
	for (int i = 0; i < u->nsp; i++) {
		resolve(p, c->pid, u->sp[i], &uf);
		if (uf.sym && (!u->frames[0].sym || strcmp(uf.sym, u->frames[0].sym)) &&
		    (u->nfp < 2 || u->sp[i] != u->fp[1])) {
			keep_frame(c, &uf, 1); /* named just now: not again */
			break;
		}
	}
	for (int i = 1; i < u->nfp; i++) {
		add_frame(p, c, u->fp[i]);
		/* in no file's code: the chain went astray (an unnamed frame in a file is kept) */
		if (!u->frames[u->nframes - 1].module) {
			u->nframes--;
			u->cut = "no frame pointer past here (code built without them)";
			return;
		}
	}
	if (u->nfp == NT_USER_FRAMES)
		u->cut = "deeper frames not kept";
	else if (!is_root(u->frames[u->nframes - 1].sym))
		u->cut = "no frame pointer past here (code built without them)";
}

/* --stack-filter: does a frame's function match one of the patterns? */
static int stack_matches(const char *patterns, const struct call_user *u)
{
	char pat[256];

	for (const char *s = patterns; *s;) {
		size_t n = strcspn(s, ",");

		snprintf(pat, sizeof(pat), "%.*s", (int)n, s);
		for (int i = 0; *pat && i < u->nframes; i++)
			if (u->frames[i].sym && !fnmatch(pat, u->frames[i].sym, 0))
				return 1;
		s += n + (s[n] == ',');
	}
	return 0;
}

static int port_shown(const struct pipeline *p, const struct call_sock *s)
{
	if (!p->nports)
		return 1;
	for (int i = 0; s->valid && i < p->nports; i++)
		if (nt_port_in(p->ports[i], s->local_port) || nt_port_in(p->ports[i], s->peer_port))
			return 1;
	return 0;
}

/* As the kernel decides for a live trace (result_shown, port_shown in common.bpf.h). */
static int result_shown(struct pipeline *p, const struct call *c)
{
	/* an unfinished call has neither failed nor succeeded yet */
	if ((p->status && (c->unfinished || !nt_status_shows(p->status, c->ret))) ||
	    c->dur_ns < p->min_dur_ns ||
	    (p->nports && (c->unfinished || !port_shown(p, &c->sock)))) {
		p->not_shown++;
		return 0;
	}
	return 1;
}

static void show(struct pipeline *p, struct call *c)
{
	if (p->agg && !p->show_too) {
		aggregate(p->agg, c);
		if (p->conns)
			conntab__add(p->conns, c);
		return;
	}
	kpath_build(&p->kpath, c);
	if (p->usyms || p->named)
		user_stack(p, c);
	if (p->stack_filter && !stack_matches(p->stack_filter, &c->user)) {
		p->filtered++;
		return;
	}
	for (int i = 0; p->rec && i < c->path.nhits; i++) {
		int id = c->path.hits[i].stackid;

		if (id >= 0 && id < PIPE_STACK_IDS)
			p->stacks_seen[id / 8] |= 1 << (id % 8);
	}
	procs__call(&p->procs, c->pid, emit_proc, p);
	p->sink->ops->call(p->sink, c);
	if (p->agg) /* -C: the table counts what the timeline showed */
		aggregate(p->agg, c);
}

/* An exit, kept; a table that cannot grow keeps what it has (a row then stays "open"). */
static void note_exit(struct pipe_exits *x, uint32_t pid, uint64_t ts)
{
	if (x->n == x->cap) {
		int cap = x->cap ? 2 * x->cap : 64;
		struct proc_exit_at *more = realloc(x->at, cap * sizeof(*more));

		if (!more)
			return;
		x->at = more;
		x->cap = cap;
	}
	x->at[x->n++] = (struct proc_exit_at){pid, ts};
}

void pipeline_record(struct pipeline *p, const struct ev_hdr *h, size_t size)
{
	struct call c;
	struct proc_event e;

	if (p->rec)
		record__event(p->rec, h, size);
	switch (h->type) {
	case EV_CALL:
		if (decode_call((const struct ev_call *)h, size, &c)) {
			p->bad++;
			break;
		}
		/* as if -e had been given live: not traced, so not counted either */
		if ((p->sys_on && !p->sys_on[c.sys->id]) || !result_shown(p, &c)) {
			if (p->conns)
				conntab__close_uncounted(p->conns, &c);
			break;
		}
		p->calls++;
		show(p, &c);
		break;
	case EV_UREQ:
		if (decode_ureq((const struct ev_ureq *)h, size, &c)) {
			p->bad++;
			break;
		}
		if ((p->sys_on && !p->sys_on[NT_SYS_IO_URING_ENTER]) || !result_shown(p, &c)) {
			if (p->conns)
				conntab__close_uncounted(p->conns, &c);
			break;
		}
		p->requests++;
		show(p, &c);
		break;
	case EV_PROC:
		if (decode_proc((const struct ev_proc *)h, size, &e)) {
			p->bad++;
			break;
		}
		if (e.kind == PROC_EXIT && p->track_exits)
			note_exit(&p->exits, e.pid, e.ts_ns);
		if (e.kind == PROC_FORK && p->on_fork)
			p->on_fork(p->ctx, e.pid);
		if (e.kind == PROC_EXEC && p->usyms)
			usyms__forget(p->usyms, e.pid, e.ts_ns); /* a new program: new mappings */
		if (!p->summary)
			procs__event(&p->procs, &e, emit_proc, p);
		break;
	case EV_UNAME:
		if (decode_uname((const struct ev_uname *)h, size))
			p->bad++;
		break;
	case EV_LOST:
		if (size < sizeof(struct ev_lost)) {
			p->bad++;
			break;
		}
		if (!p->summary && p->sink->ops->lost)
			p->sink->ops->lost(p->sink, h->ts_ns, ((const struct ev_lost *)h)->count);
		break;
	default:
		p->bad++;
	}
}

void pipeline_free_exits(struct pipeline *p)
{
	free(p->exits.at);
	memset(&p->exits, 0, sizeof(p->exits));
}

void pipeline_drain_end(struct pipeline *p, uint64_t settled_ns)
{
	if (p->rec)
		record__drain_end(p->rec);
	if (p->sink->ops->flush)
		p->sink->ops->flush(p->sink, settled_ns);
}
