// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * --format json: JSON Lines, one object per record, so a stream cut off at
 * any point is still valid.  Every object has "type": "start", "call",
 * "fork", "exec", "exit" or "end".  Sample:
 *
 * {"type":"call","time_ns":104000,"pid":4242,"tid":4242,"comm":"curl","call":"connect",
 *  "category":"connect","args":{"fd":5,"addr":"127.0.0.1:8000"},"ret":-1,"errno":111,
 *  "errno_name":"ECONNREFUSED","dur_ns":41000,"sock":{"kind":"TCP",...}}
 */
#include <string.h>
#include "decode.h"
#include "json.h"
#include "unames.h"
#include "sink.h"

/* One writer per record: JSON Lines records share no state. */
static struct json *jw(struct sink *s)
{
	static struct json j;

	json_init(&j, s->out);
	return &j;
}

static void time_fields(struct sink *s, struct json *j, uint64_t ts)
{
	json_kv_uint(j, "time_ns", ts >= s->opts.t0_mono ? ts - s->opts.t0_mono : 0);
	if (s->opts.wall_time)
		json_kv_uint(j, "wall_ns", ts + s->opts.mono_to_real);
}

static void json_begin(struct sink *s, const struct trace_header *h)
{
	struct json *j = jw(s);

	json_obj_begin(j);
	json_kv_str(j, "type", "start");
	json_kv_str(j, "mode", h->mode);
	json_kv_str(j, "what", h->what);
	json_kv_str(j, "mechanism", h->mechanism);
	json_kv_str(j, "kernel_path", h->path);
	if (h->uring)
		json_kv_str(j, "io_uring", h->uring);
	json_key(j, "pids");
	json_arr_begin(j);
	for (int i = 0; i < h->npids; i++)
		json_uint(j, h->pids[i]);
	json_arr_end(j);
	json_kv_uint(j, "start_wall_ns", s->opts.t0_mono + s->opts.mono_to_real);
	json_obj_end(j);
	json_newline(j);
}

/* "kernel_path": {"line": "...", "tcp_states": "...", "hits": [{"fn": ...}, ...]} */
void json_user_frames(struct json *j, const struct call_user *u)
{
	json_key(j, "frames"); /* innermost first */
	json_arr_begin(j);
	for (int i = 0; i < u->nframes; i++) {
		const struct user_frame *f = &u->frames[i];

		json_obj_begin(j);
		json_kv_uint(j, "addr", f->addr);
		if (f->sym) {
			json_kv_str(j, "symbol", f->sym);
			json_kv_uint(j, "offset", f->off);
		}
		if (f->module)
			json_kv_str(j, "module", f->module);
		if (f->line) {
			json_kv_str(j, "file", f->file);
			json_kv_int(j, "line", f->line);
		}
		if (f->call_site)
			json_key(j, "call_site"), json_bool(j, 1);
		json_obj_end(j);
	}
	json_arr_end(j);
}

/* hits and states are named from our tables; the line and note may come from a recording */
static void json_path(struct json *j, const struct call_path *p)
{
	json_key(j, "kernel_path");
	json_obj_begin(j);
	json_kv_str(j, "line", p->line);
	if (*p->states)
		json_kv_name(j, "tcp_states", p->states);
	if (p->rst_sent)
		json_key(j, "rst_sent"), json_bool(j, 1);
	if (p->note && !*p->line)
		json_kv_str(j, "note", p->note);
	if (p->truncated)
		json_key(j, "truncated"), json_bool(j, 1);
	if (p->deferred)
		json_key(j, "deferred"), json_bool(j, 1);
	json_key(j, "hits");
	json_arr_begin(j);
	for (int i = 0; i < p->nhits; i++) {
		const struct path_hit *h = &p->hits[i];

		json_obj_begin(j);
		json_kv_name(j, "fn", h->name);
		json_kv_name(j, "kind",
			     h->callee	? "callee"
			     : h->site	? "cgroup_hook"
			     : h->point ? "tracepoint"
					: "function");
		json_kv_uint(j, "start_ns", h->start_ns);
		if (h->exited)
			json_kv_uint(j, "dur_ns", h->dur_ns);
		if (h->exited || h->point)
			json_kv_int(j, "val", h->val);
		json_kv_int(j, "depth", h->depth);
		for (int k = 0; k < p->nstacks; k++)
			if (p->stack_hit[k] == i)
				json_kv_str(j, "stack", p->stacks[k]);
		json_obj_end(j);
	}
	json_arr_end(j);
	json_obj_end(j);
}

void json_sock_names(struct json *j, const struct call_sock *sk)
{
	char bare[256];

	if (sk->local_name)
		json_kv_str(j, "local_name", unames_bare(sk->local_name, bare, sizeof(bare)));
	if (sk->peer_name)
		json_kv_str(j, "peer_name", unames_bare(sk->peer_name, bare, sizeof(bare)));
}

/*
 * Every field is ours but a unix socket's names (escaped): names from
 * tables, addresses and inodes as decode.c wrote them.
 */
static void json_sock(struct json *j, const struct call_sock *sk)
{
	json_key(j, "sock");
	json_obj_begin(j);
	json_kv_name(j, "kind", sk->kind);
	if (sk->family)
		json_kv_name(j, "family", sk->family);
	if (sk->type)
		json_kv_name(j, "type", sk->type);
	if (*sk->local)
		json_kv_name(j, "local", sk->local);
	if (*sk->peer)
		json_kv_name(j, "peer", sk->peer);
	json_sock_names(j, sk);
	if (sk->state)
		json_kv_name(j, "state", sk->state);
	json_kv_uint(j, "ino", sk->ino);
	json_obj_end(j);
}

static void json_flag(struct json *j, const char *key, int on)
{
	if (on)
		json_key(j, key), json_bool(j, 1);
}

/* {"type":..., "time_ns":..., "pid":..., "tid":..., "comm":...: every call-like record begins so */
static struct json *json_head(struct sink *s, const char *type, const struct call *c)
{
	struct json *j = jw(s);

	json_obj_begin(j);
	json_kv_name(j, "type", type);
	time_fields(s, j, c->ts_ns);
	json_kv_uint(j, "pid", c->pid);
	json_kv_uint(j, "tid", c->tid);
	json_kv_str(j, "comm", c->comm);
	return j;
}

/* {"type":"io_uring","op":"RECV","id":7,...}: one CQE of a request */
/* accept, listen, an io_uring ACCEPT: the listener's queue after the call */
static void json_queue(struct json *j, const struct call *c)
{
	if (!c->queue.known)
		return;
	json_key(j, "accept_queue");
	json_obj_begin(j);
	json_kv_uint(j, "queued", c->queue.queued);
	json_kv_uint(j, "max", c->queue.max);
	json_obj_end(j);
}

/* -s: "data" escaped as the text view shows it, "data_hex" byte for byte */
static void json_data(struct json *j, const struct call_data *d)
{
	char text[PAYLOAD_TEXT_MAX], hex[NT_PAYLOAD_MAX * 2 + 1];

	if (!d->len)
		return;
	format_payload(d, HEX_BYTES, text, sizeof(text)); /* data_hex is all of it */
	for (int i = 0; i < d->len; i++)
		snprintf(hex + 2 * i, 3, "%02x", d->bytes[i]);
	json_kv_str(j, "data", text);
	json_kv_str(j, "data_hex", hex);
	if (d->truncated)
		json_key(j, "data_truncated"), json_bool(j, 1);
}

static void json_req(struct sink *s, const struct call *c)
{
	const struct call_req *r = &c->req;
	struct json *j = json_head(s, "io_uring", c);

	json_kv_uint(j, "id", r->id);
	if (r->op)
		json_kv_str(j, "op", r->op);
	json_kv_uint(j, "opcode", r->opcode);
	if (r->fd >= 0)
		json_kv_int(j, "fd", r->fd);
	json_flag(j, "fixed_file", r->fixed);
	json_kv_int(j, "ring_fd", r->ring_fd);
	json_kv_uint(j, "user_data", r->user_data);
	json_kv_uint(j, "submit_ns",
		     r->submit_ns >= s->opts.t0_mono ? r->submit_ns - s->opts.t0_mono : 0);
	json_kv_uint(j, "complete_ns",
		     r->complete_ns >= s->opts.t0_mono ? r->complete_ns - s->opts.t0_mono : 0);
	json_kv_uint(j, "latency_ns", r->complete_ns - r->submit_ns);
	json_kv_uint(j, "dur_ns", c->dur_ns);
	json_kv_int(j, "res", c->ret);
	if (c->err) {
		json_kv_int(j, "errno", c->err);
		json_kv_str(j, "errno_name", c->err_name ? c->err_name : "");
	}
	json_kv_uint(j, "cflags", r->cflags);
	if (*r->cflags_text)
		json_kv_str(j, "cflags_names", r->cflags_text);
	json_queue(j, c);
	json_key(j, "more"), json_bool(j, r->more);
	json_kv_uint(j, "shot", r->shot);
	json_kv_str(j, "how", r->how);
	json_key(j, "inline"), json_bool(j, !r->poll && !r->iowq && !r->taskwork);
	json_flag(j, "poll_armed", r->poll);
	json_flag(j, "task_work", r->taskwork);
	json_flag(j, "io_wq", r->iowq);
	json_key(j, "sqpoll"), json_bool(j, r->sqpoll);
	json_flag(j, "failed", r->failed);
	json_flag(j, "began_before_trace", r->before);
	if (r->link_id)
		json_kv_uint(j, "linked_after", r->link_id);
	json_kv_uint(j, "submit_tid", r->submit_tid);
	json_kv_uint(j, "complete_tid", r->complete_tid);
	if (c->path.nhits || *c->path.line || c->path.note)
		json_path(j, &c->path);
	if (c->sock.valid)
		json_sock(j, &c->sock);
	json_data(j, &c->data);
	json_obj_end(j);
	json_newline(j);
}

static void json_call(struct sink *s, const struct call *c)
{
	struct json *j;

	if (c->req.is_req) {
		json_req(s, c);
		return;
	}
	j = json_head(s, "call", c);
	json_kv_name(j, "call", c->sys->name);
	json_kv_name(j, "category", cat_names[call_category(c)]);
	json_key(j, "args");
	json_obj_begin(j);
	for (int i = 0; i < c->nargs; i++) {
		if (c->args[i].is_num)
			json_kv_int(j, c->args[i].name, c->args[i].num);
		else
			json_kv_str(j, c->args[i].name, c->args[i].text);
	}
	json_obj_end(j);
	if (c->unfinished) {
		json_key(j, "ret"), json_null(j);
		json_key(j, "unfinished"), json_bool(j, 1);
	} else {
		json_kv_int(j, "ret", c->err ? -1 : c->ret);
	}
	if (c->err) {
		json_kv_int(j, "errno", c->err);
		json_kv_str(j, "errno_name", c->err_name ? c->err_name : "");
	}
	if (*c->ret_detail)
		json_kv_str(j, "returned", c->ret_detail);
	json_queue(j, c);
	json_kv_uint(j, "dur_ns", c->dur_ns);
	if (c->began_before)
		json_key(j, "began_before_trace"), json_bool(j, 1);
	if (c->truncated)
		json_key(j, "truncated"), json_bool(j, 1);
	if (c->fault)
		json_key(j, "fault"), json_bool(j, 1);
	if (c->path.nhits || *c->path.line || c->path.note)
		json_path(j, &c->path);
	if (c->sock.valid)
		json_sock(j, &c->sock);
	json_data(j, &c->data);
	if (c->user.nframes) {
		json_key(j, "user_stack");
		json_obj_begin(j);
		json_user_frames(j, &c->user);
		if (c->user.cut)
			json_kv_str(j, "cut", c->user.cut);
		json_obj_end(j);
	}
	json_obj_end(j);
	json_newline(j);
}

static void json_proc(struct sink *s, const struct proc_event *p)
{
	static const char *const kinds[] = {
		[PROC_FORK] = "fork", [PROC_EXEC] = "exec", [PROC_EXIT] = "exit"};
	struct json *j = jw(s);
	char st[64];

	json_obj_begin(j);
	json_kv_str(j, "type", kinds[p->kind]);
	time_fields(s, j, p->ts_ns);
	json_kv_uint(j, "pid", p->pid);
	json_kv_uint(j, "tid", p->tid);
	json_kv_str(j, "comm", p->comm);
	if (p->kind == PROC_FORK)
		json_kv_uint(j, "ppid", p->ppid);
	if (p->kind == PROC_EXEC)
		json_kv_str(j, "path", p->path);
	if (p->kind == PROC_EXIT) {
		json_kv_int(j, "wait_status", p->exit_code);
		json_kv_str(j, "status", fmt_wait_status(p->exit_code, st, sizeof(st)));
	}
	json_obj_end(j);
	json_newline(j);
}

static void json_lost(struct sink *s, uint64_t ts, uint64_t n)
{
	struct json *j = jw(s);

	json_obj_begin(j);
	json_kv_str(j, "type", "lost");
	time_fields(s, j, ts);
	json_kv_uint(j, "count", n);
	json_obj_end(j);
	json_newline(j);
}

static void json_end(struct sink *s, const struct trace_footer *f)
{
	struct json *j = jw(s);

	json_obj_begin(j);
	json_kv_str(j, "type", "end");
	json_kv_str(j, "what", f->what);
	if (f->has_exit)
		json_kv_int(j, "exit_status", f->exit_status);
	json_kv_uint(j, "calls", f->calls);
	json_kv_uint(j, "io_uring_completions", f->requests);
	json_kv_uint(j, "not_shown_by_stack_filter", f->filtered);
	json_kv_uint(j, "not_shown_by_result_filter", f->not_shown);
	json_kv_uint(j, "lost", f->lost);
	json_key(j, "lost_by_cause");
	json_obj_begin(j);
	json_kv_uint(j, "ring_buffer_full", f->lost_ringbuf);
	json_kv_uint(j, "inflight_full", f->lost_inflight);
	json_kv_uint(j, "process_events", f->lost_proc);
	json_kv_uint(j, "io_uring_completions", f->lost_ureq);
	json_obj_end(j);
	json_kv_uint(j, "children_not_followed", f->follow_full);
	json_obj_end(j);
	json_newline(j);
}

const struct sink_ops json_sink_ops = {
	.begin = json_begin,
	.call = json_call,
	.proc = json_proc,
	.lost = json_lost,
	.end = json_end,
	.summary = summary_json,
};
