// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * --format perfetto: Chrome trace event JSON, which ui.perfetto.dev and
 * chrome://tracing open as a timeline.  A track per thread with a slice per
 * call (its arguments attached) and its kernel-path hits nested inside;
 * io_uring requests as async slices from submission to completion; flow
 * arrows from a connect to its accept and from a send to the recv that got it.
 *
 * {"displayTimeUnit":"ns","traceEvents":[
 * {"ph":"X","name":"sendto","cat":"send","pid":4242,"tid":4242,"ts":104.000,"dur":15.300,"args":{...}},
 * ...]}
 */
#include <stdlib.h>
#include <string.h>
#include "decode.h"
#include "json.h"
#include "peers.h"
#include "sink.h"
#include "xlat.h"

#define PENDING_MAX 4096
#define THREADS_MAX 4096
#define STARTS_MAX  4096 /* flows' starts by tag; older ones' ends are left out */

/* A recv or accept whose other end has not come yet: it is tried again after the next drain. */
struct pending {
	struct peer_call pc;
	uint64_t ts, end; /* end: less its stack walks, as the call's duration */
	uint32_t pid, tid;
	int tries;
};

/*
 * A flow's start, written with its end: a send whose recv was never traced
 * (demo's client, a peer elsewhere) would leave an arrow to nowhere.
 */
struct flow_start {
	int tag, written;
	uint32_t pid, tid;
	uint64_t ts;
};

struct perfetto {
	struct json j;
	struct peers *peers;
	struct flow_start starts[STARTS_MAX];
	struct pending pending[PENDING_MAX];
	int npending;
	struct thread {
		uint32_t pid, tid;
		char comm[17];
	} threads[THREADS_MAX];
	int nthreads;
};

static uint64_t rel(const struct sink *s, uint64_t ts)
{
	return ts >= s->opts.t0_mono ? ts - s->opts.t0_mono : 0;
}

/* Every event begins the same way. */
static void event(struct sink *s, struct perfetto *pf, const char *ph, const char *name,
		  const char *cat, uint32_t pid, uint32_t tid, uint64_t ts)
{
	struct json *j = &pf->j;

	fputs(",\n", s->out);
	json_init(j, s->out);
	json_obj_begin(j);
	json_kv_str(j, "ph", ph);
	json_kv_str(j, "name", name);
	if (cat)
		json_kv_str(j, "cat", cat);
	json_kv_uint(j, "pid", pid);
	json_kv_uint(j, "tid", tid);
	json_kv_us(j, "ts", rel(s, ts));
}

/* Threads are named at the end, after the name they last had (a server renames itself). */
static void name_thread(struct perfetto *pf, uint32_t pid, uint32_t tid, const char *comm)
{
	int i = 0;

	while (i < pf->nthreads && pf->threads[i].tid != tid)
		i++;
	if (i == pf->nthreads) {
		if (pf->nthreads == THREADS_MAX)
			return;
		pf->nthreads++;
	}
	pf->threads[i].tid = tid;
	pf->threads[i].pid = pid;
	snprintf(pf->threads[i].comm, sizeof(pf->threads[i].comm), "%s", comm);
}

static void thread_names(struct sink *s, struct perfetto *pf)
{
	struct json *j = &pf->j;

	for (int i = 0; i < pf->nthreads; i++) {
		const struct thread *t = &pf->threads[i];

		for (int proc = 0; proc <= (t->pid == t->tid); proc++) {
			event(s, pf, "M", proc ? "process_name" : "thread_name", NULL, t->pid,
			      t->tid, s->opts.t0_mono);
			json_key(j, "args");
			json_obj_begin(j);
			json_kv_str(j, "name", t->comm);
			json_obj_end(j);
			json_obj_end(j);
		}
	}
}

static void pf_begin(struct sink *s, const struct trace_header *h)
{
	struct perfetto *pf = calloc(1, sizeof(*pf));

	s->priv = pf;
	if (!pf || !(pf->peers = peers__new())) {
		free(pf);
		s->priv = NULL;
		return;
	}
	/* the metadata event first, so every later one can start with a comma */
	fprintf(s->out, "{\"displayTimeUnit\":\"ns\",\"traceEvents\":[\n");
	json_init(&pf->j, s->out);
	json_obj_begin(&pf->j);
	json_kv_str(&pf->j, "ph", "M");
	json_kv_str(&pf->j, "name", "socktrace");
	json_kv_uint(&pf->j, "pid", h->npids ? h->pids[0] : 0);
	json_key(&pf->j, "args");
	json_obj_begin(&pf->j);
	json_kv_str(&pf->j, "what", h->what);
	json_kv_str(&pf->j, "mechanism", h->mechanism);
	json_kv_str(&pf->j, "kernel_path", h->path);
	json_obj_end(&pf->j);
	json_obj_end(&pf->j);
}

/* A flow arrow's end, bound to the slice around ts on that thread. */
static void flow_event(struct sink *s, struct perfetto *pf, int start, int tag, uint32_t pid,
		       uint32_t tid, uint64_t ts)
{
	char id[32];

	snprintf(id, sizeof(id), "%d", tag);
	event(s, pf, start ? "s" : "f", "peer", "flow", pid, tid, ts);
	json_kv_str(&pf->j, "id", id);
	if (!start)
		json_kv_str(&pf->j, "bp", "e");
	json_obj_end(&pf->j);
}

static void flow_start(struct perfetto *pf, int tag, const struct call *c)
{
	pf->starts[tag % STARTS_MAX] = (struct flow_start){tag, 0, c->pid, c->tid, c->ts_ns};
}

/* The flow's end, and its start with the first of its ends (a send read in parts has more). */
static void flow_end(struct sink *s, struct perfetto *pf, int tag, uint32_t pid, uint32_t tid,
		     uint64_t ts)
{
	struct flow_start *st = &pf->starts[tag % STARTS_MAX];

	if (st->tag != tag)
		return;
	if (!st->written)
		flow_event(s, pf, 1, tag, st->pid, st->tid, st->ts);
	st->written = 1;
	flow_event(s, pf, 0, tag, pid, tid, ts);
}

static void hits(struct sink *s, struct perfetto *pf, const struct call *c)
{
	struct json *j = &pf->j;

	for (int i = 0; i < c->path.nhits; i++) {
		const struct path_hit *h = &c->path.hits[i];

		if (h->point) {
			event(s, pf, "i", h->name, "kernel", c->pid, c->tid,
			      c->ts_ns + h->start_ns);
			json_kv_str(j, "s", "t");
		} else {
			event(s, pf, "X", h->name, "kernel", c->pid, c->tid,
			      c->ts_ns + h->start_ns);
			/* a function whose exit was not seen ends with its call */
			json_kv_us(j, "dur",
				   h->exited		     ? h->dur_ns
				   : c->dur_ns > h->start_ns ? c->dur_ns - h->start_ns
							     : 0);
		}
		json_key(j, "args");
		json_obj_begin(j);
		json_kv_int(j, "val", h->val);
		json_kv_int(j, "depth", h->depth);
		json_obj_end(j);
		json_obj_end(j);
	}
}

static void call_args(struct json *j, const struct call *c)
{
	json_key(j, "args");
	json_obj_begin(j);
	for (int i = 0; i < c->nargs; i++)
		json_kv_str(j, c->args[i].name, c->args[i].text);
	if (c->unfinished)
		json_kv_str(j, "ret", "? (unfinished: still in the kernel when tracing stopped)");
	else
		json_kv_int(j, "ret", c->err ? -1 : c->ret);
	if (c->err)
		json_kv_str(j, "errno", c->err_name ? c->err_name : "");
	if (c->sock.valid && *c->sock.local)
		json_kv_str(j, "local", sock_local_shown(&c->sock));
	if (c->sock.valid && *c->sock.peer)
		json_kv_str(j, "peer", sock_peer_shown(&c->sock));
	if (*c->path.line)
		json_kv_str(j, "kernel_path", c->path.line);
	if (c->data.len) {
		char text[PAYLOAD_TEXT_MAX];

		format_payload(&c->data, HEX_BYTES, text, sizeof(text));
		json_kv_str(j, "data", text);
	}
	if (c->user.nframes) {
		char stack[2048];

		format_user_stack(&c->user, 1, stack, sizeof(stack));
		json_kv_str(j, "user_stack", stack);
		json_key(j, "user_stack_frames");
		json_obj_begin(j);
		json_user_frames(j, &c->user);
		json_obj_end(j);
	}
	json_obj_end(j);
}

static void request(struct sink *s, struct perfetto *pf, const struct call *c)
{
	const struct call_req *r = &c->req;
	struct json *j = &pf->j;
	char name[64], id[48];

	snprintf(name, sizeof(name), "%s #%llu", r->op ? r->op : "OP", (unsigned long long)r->id);
	snprintf(id, sizeof(id), "%llu.%u", (unsigned long long)r->id, r->shot);
	event(s, pf, "b", name, "io_uring", c->pid, c->tid, c->ts_ns);
	json_kv_str(j, "id", id);
	call_args(j, c);
	json_obj_end(j);
	event(s, pf, "e", name, "io_uring", c->pid, c->tid, c->ts_ns + c->dur_ns);
	json_kv_str(j, "id", id);
	json_key(j, "args");
	json_obj_begin(j);
	json_kv_int(j, "res", c->ret);
	json_kv_str(j, "how", r->how);
	json_kv_uint(j, "complete_tid", r->complete_tid);
	json_obj_end(j);
	json_obj_end(j);
}

static void pf_call(struct sink *s, const struct call *c)
{
	struct perfetto *pf = s->priv;
	struct peer_call pc;
	int tag;

	if (!pf)
		return;
	name_thread(pf, c->pid, c->tid, c->comm);
	if (c->req.is_req) {
		request(s, pf, c);
	} else {
		event(s, pf, "X", c->sys->name, cat_names[call_category(c)], c->pid, c->tid,
		      c->ts_ns);
		json_kv_us(&pf->j, "dur", c->dur_ns);
		call_args(&pf->j, c);
		json_obj_end(&pf->j);
		hits(s, pf, c);
	}
	switch (peers__describe(c, &pc)) {
	case PEER_FROM:
		if ((tag = peers__start(pf->peers, &pc)))
			flow_start(pf, tag, c);
		break;
	case PEER_TO:
		if ((tag = peers__finish(pf->peers, &pc)))
			flow_end(s, pf, tag, c->pid, c->tid, c->ts_ns);
		else if (pf->npending < PENDING_MAX) /* its send may come in a later record */
			pf->pending[pf->npending++] = (struct pending){
				pc, c->ts_ns, c->ts_ns + c->dur_ns, c->pid, c->tid, 0};
		break;
	default:
		break;
	}
}

/*
 * After a drain every send of it is known: the recvs waiting for theirs try
 * again.  A recv gives up after three drains, but not while a send begun
 * before it ended may still come (settled_ns).
 */
static void pf_flush(struct sink *s, uint64_t settled_ns)
{
	struct perfetto *pf = s->priv;
	int keep = 0;

	if (!pf)
		return;
	for (int i = 0; i < pf->npending; i++) {
		struct pending *p = &pf->pending[i];
		int tag = peers__finish(pf->peers, &p->pc);

		if (tag)
			flow_end(s, pf, tag, p->pid, p->tid, p->ts);
		else if (++p->tries < 3 || p->end + PEER_WALK_MAX_NS >= settled_ns)
			pf->pending[keep++] = *p;
	}
	pf->npending = keep;
}

static void pf_proc(struct sink *s, const struct proc_event *p)
{
	static const char *const kinds[] = {
		[PROC_FORK] = "fork", [PROC_EXEC] = "exec", [PROC_EXIT] = "exit"};
	struct perfetto *pf = s->priv;

	if (!pf)
		return;
	name_thread(pf, p->pid, p->tid, p->comm);
	event(s, pf, "i", kinds[p->kind], "process", p->pid, p->tid, p->ts_ns);
	json_kv_str(&pf->j, "s", "p");
	json_key(&pf->j, "args");
	json_obj_begin(&pf->j);
	if (p->kind == PROC_EXEC)
		json_kv_str(&pf->j, "path", p->path);
	if (p->kind == PROC_FORK)
		json_kv_uint(&pf->j, "ppid", p->ppid);
	if (p->kind == PROC_EXIT)
		json_kv_int(&pf->j, "wait_status", p->exit_code);
	json_obj_end(&pf->j);
	json_obj_end(&pf->j);
}

/* A loss: an instant across the whole timeline, so no process's track hides it. */
static void pf_lost(struct sink *s, uint64_t ts, uint64_t n)
{
	struct perfetto *pf = s->priv;

	if (!pf)
		return;
	event(s, pf, "i", "events lost", "lost", 0, 0, ts);
	json_kv_str(&pf->j, "s", "g");
	json_key(&pf->j, "args");
	json_obj_begin(&pf->j);
	json_kv_uint(&pf->j, "count", n);
	json_obj_end(&pf->j);
	json_obj_end(&pf->j);
}

static void pf_end(struct sink *s, const struct trace_footer *f)
{
	struct perfetto *pf = s->priv;

	if (!pf)
		return;
	pf_flush(s, UINT64_MAX);
	thread_names(s, pf);
	fprintf(s->out, "\n],\"otherData\":{\"what\":");
	json_init(&pf->j, s->out);
	json_str(&pf->j, f->what);
	fprintf(s->out, ",\"calls\":%llu,\"lost\":%llu}}\n", (unsigned long long)f->calls,
		(unsigned long long)f->lost);
	{
		peers__free(pf->peers);
		free(pf);
		s->priv = NULL;
	}
}

const struct sink_ops perfetto_sink_ops = {
	.begin = pf_begin,
	.call = pf_call,
	.proc = pf_proc,
	.lost = pf_lost,
	.flush = pf_flush,
	.end = pf_end,
	.summary = summary_json,
	.reads_settled = 1,
};
