// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Records -> model -> sink; see pipeline.h. */
#include "decode.h"
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

	n->calls++;
	n->errors += c->err != 0;
	n->ns += c->dur_ns;
	if (c->dur_ns > n->max_ns)
		n->max_ns = c->dur_ns;
	if (call_moves_bytes(c) && c->ret > 0)
		n->bytes += c->ret;
	n->hist[nt_hist_bucket(c->dur_ns)]++;
}

static void show(struct pipeline *p, struct call *c)
{
	if (p->agg) {
		aggregate(p->agg, c);
		return;
	}
	kpath_build(&p->kpath, c);
	for (int i = 0; p->rec && i < c->path.nhits; i++) {
		int id = c->path.hits[i].stackid;

		if (id >= 0 && id < PIPE_STACK_IDS)
			p->stacks_seen[id / 8] |= 1 << (id % 8);
	}
	procs__call(&p->procs, c->pid, emit_proc, p);
	p->sink->ops->call(p->sink, c);
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
		p->calls++;
		show(p, &c);
		break;
	case EV_UREQ:
		if (decode_ureq((const struct ev_ureq *)h, size, &c)) {
			p->bad++;
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
		if (e.kind == PROC_FORK && p->on_fork)
			p->on_fork(p->ctx, e.pid);
		if (!p->summary)
			procs__event(&p->procs, &e, emit_proc, p);
		break;
	default:
		p->bad++;
	}
}

void pipeline_drain_end(struct pipeline *p)
{
	if (p->rec)
		record__drain_end(p->rec);
	if (p->sink->ops->flush)
		p->sink->ops->flush(p->sink);
}
