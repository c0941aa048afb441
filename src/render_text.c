// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The list view: one line per call, fixed-width columns so a stream can be
 * printed as it arrives.  Sample:
 *
 * socktrace: tracing curl (pid 4242) via raw syscall tracepoints
 *     TIME(s)    PID    TID COMM            CALL                                             RESULT          DUR
 *    0.000000   4242   4242 curl            socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_TCP) = 5   8.2µs
 *    0.000104   4242   4242 curl            connect(5, 127.0.0.1:8000) 127.0.0.1:51234 → 127.0.0.1:8000 = 0  41.0µs
 * socktrace: curl exited 0 — 14 calls traced, 0 events lost
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <stdlib.h>
#include "explain.h"
#include "sink.h"
#include "util.h"

#define CALL_W	 52
#define RESULT_W 14
#define TIME_W	 11 /* "%11.6f" seconds; -t's wall clock is HH:MM:SS.uuuuuu */
#define WALL_W	 15
#define EPOCH_W	 17 /* -ttt: ten digits of seconds until 2286 */

#define C_RESET	 "\033[0m"
#define C_BOLD	 "\033[1m"
#define C_DIM	 "\033[2m"
#define C_RED	 "\033[31m"
#define C_CYAN	 "\033[36m"
#define C_YELLOW "\033[33m"

static const char *col(const struct sink *s, const char *c)
{
	return s->opts.color ? c : "";
}

char *fmt_wait_status(int status, char *buf, size_t len)
{
	if ((status & 0x7f) == 0) {
		snprintf(buf, len, "exited %d", (status >> 8) & 0xff);
	} else {
		const char *name = sigabbrev_np(status & 0x7f);

		snprintf(buf, len, "killed by SIG%s%s", name ? name : "?",
			 status & 0x80 ? " (core dumped)" : "");
	}
	return buf;
}

uint64_t sink_time_origin(struct sink *s, uint64_t ts)
{
	uint64_t from = s->opts.relative && s->prev_ts ? s->prev_ts : s->opts.t0_mono;

	if (s->opts.relative && ts >= from)
		s->prev_ts = ts;
	return from;
}

int sink_time_width(const struct sink *s)
{
	return s->opts.wall_time >= 3 ? EPOCH_W : s->opts.wall_time ? WALL_W : TIME_W;
}

/* Where a call's own lines (path, payload, stack, sentences) begin: past TIME, PID, TID, COMM. */
static int path_indent(const struct sink *s)
{
	return sink_time_width(s) + 31; /* " %6s %6s %-15s " */
}

size_t sink_fmt_time(struct sink *s, uint64_t ts, char *buf, size_t len)
{
	if (s->opts.wall_time >= 3) {
		uint64_t real = ts + s->opts.mono_to_real;

		snprintf(buf, len, "%llu.%06llu", (unsigned long long)(real / 1000000000ull),
			 (unsigned long long)(real % 1000000000ull / 1000));
		return strlen(buf);
	} else if (s->opts.wall_time) {
		uint64_t real = ts + s->opts.mono_to_real;
		time_t sec = real / 1000000000ull;
		struct tm tm;

		localtime_r(&sec, &tm);
		snprintf(buf, len, "%02d:%02d:%02d.%06llu", tm.tm_hour, tm.tm_min, tm.tm_sec,
			 (unsigned long long)(real % 1000000000ull / 1000));
		return strlen(buf);
	} else {
		uint64_t from = sink_time_origin(s, ts),
			 us = ts >= from ? (ts - from + 500) / 1000 : 0;
		char num[40];
		size_t n = 0, pad;

		/* "%11.6f" of the seconds, without floating point */
		buf_put_fixed(num, &n, sizeof(num), us, 6);
		pad = n < 11 ? 11 - n : 0;
		if (pad + n + 1 > len)
			pad = 0;
		memset(buf, ' ', pad);
		memcpy(buf + pad, num, n + 1);
		return pad + n;
	}
}

/* The list view's memory of what it said once and need not say again. */
struct text_said {
	struct explained explained;	  /* --explain: the sentences said */
	const char *note[NT_SYS_MAX + 1]; /* the path note last given in full, per call */
};

static void text_begin(struct sink *s, const struct trace_header *h)
{
	const char *uring;

	s->priv = calloc(1, sizeof(struct text_said));
	if (s->opts.quiet)
		return;
	/* io_uring is said only when its requests are not traced (JSON says it either way) */
	uring = h->uring && strcmp(h->uring, URING_TRACED) ? h->uring : NULL;
	fprintf(s->out, "socktrace: tracing %s via %s; %s%s%s\n", h->what, h->mechanism, h->path,
		uring ? "; " : "", uring ? uring : "");
	if (s->opts.summary)
		return; /* the table brings its own header */
	fprintf(s->out, "%s%*s %6s %6s %-15s %-*s %-*s %s%s\n", col(s, C_DIM), sink_time_width(s),
		s->opts.wall_time  ? "TIME"
		: s->opts.relative ? "DELTA(s)"
				   : "TIME(s)",
		"PID", "TID", "COMM", CALL_W, "CALL", RESULT_W, "RESULT", "DUR", col(s, C_RESET));
}

/*
 * The kernel path, under the call, from the CALL column:
 *                                          └ __sys_connect → inet_stream_connect → tcp_v4_connect; tcp CLOSE → SYN_SENT
 *                                            [inet_sock_set_state] tcp_set_state+0x5 ← tcp_v4_connect+0x2a1 ← ...   (-k)
 */
static void put_spaces(char *buf, size_t *o, size_t len, int n)
{
	size_t room = *o + 1 < len ? len - 1 - *o : 0, k = n > 0 ? (size_t)n : 0;

	if (k > room)
		k = room;
	memset(buf + *o, ' ', k);
	*o += k;
	buf[*o] = 0;
}

/* " %6u" */
static void put_padded(char *buf, size_t *o, size_t len, uint32_t v)
{
	char num[24];
	size_t n = fmt_u64(num, v);

	put_spaces(buf, o, len, 1 + (n < 6 ? 6 - (int)n : 0));
	buf_put_n(buf, o, len, num, n);
}

/*
 * Why a call shows no path, in full the first time for a kind of call (or
 * io_uring request), after that by reference: a server's every accept4
 * would repeat a line of 100 characters.
 */
static const char *path_note(struct sink *s, const struct call *c)
{
	struct text_said *said = s->priv;
	unsigned int k = c->req.is_req ? NT_SYS_MAX : c->sys->id;

	if (!said || k > NT_SYS_MAX || said->note[k] != c->path.note) {
		if (said && k <= NT_SYS_MAX)
			said->note[k] = c->path.note;
		return c->path.note;
	}
	return "kernel path not visible: as above";
}

int has_states(const struct call_path *p)
{
	return *p->states || p->rst_sent;
}

size_t format_states(const struct call_path *p, char *buf, size_t len)
{
	int n = snprintf(buf, len, "tcp %s%s%s%s",
			 !*p->states || strchr(p->states, ' ') ? "" : "stays ", p->states,
			 *p->states && p->rst_sent ? ", " : "", p->rst_sent ? "RST sent" : "");

	return n < 0 ? 0 : (size_t)n < len ? (size_t)n : len - 1;
}

static void text_path(struct sink *s, const struct call *c)
{
	const struct call_path *p = &c->path;

	if (!*p->line && !has_states(p) && !p->note)
		return;
	char row[2048];
	size_t o = 0;

	row[0] = 0;
	put_spaces(row, &o, sizeof(row), path_indent(s));
	buf_put(row, &o, sizeof(row), col(s, C_DIM));
	buf_put(row, &o, sizeof(row), "└ ");
	if (*p->line) {
		buf_put(row, &o, sizeof(row), p->line);
	} else if (!has_states(p)) {
		buf_put(row, &o, sizeof(row), "(");
		buf_put(row, &o, sizeof(row), path_note(s, c));
		buf_put(row, &o, sizeof(row), ")");
	}
	if (has_states(p)) {
		char states[sizeof(p->states) + 32];

		if (*p->line)
			buf_put(row, &o, sizeof(row), "; ");
		format_states(p, states, sizeof(states));
		buf_put(row, &o, sizeof(row), states);
	}
	if (p->deferred && *p->line)
		buf_put(row, &o, sizeof(row), " [after close returned]");
	if (p->truncated)
		buf_put(row, &o, sizeof(row), " ...");
	buf_put(row, &o, sizeof(row), col(s, C_RESET));
	buf_put(row, &o, sizeof(row), "\n");
	fwrite_unlocked(row, 1, o, s->out);
	for (int i = 0; i < p->nstacks; i++)
		fprintf(s->out, "%*s%s[%s] %s%s\n", path_indent(s) + 2, "", col(s, C_DIM),
			p->hits[p->stack_hit[i]].name, p->stacks[i], col(s, C_RESET));
}

/* bind(3, 127.0.0.1:8080) and getsockname say the local end already */
static int end_in_args(const struct call *c, const char *end)
{
	for (int i = 0; i < c->nargs; i++)
		if (!c->args[i].hide && !strcmp(c->args[i].text, end))
			return 1;
	return 0;
}

/* " 127.0.0.1:51234 → 127.0.0.1:8080" (or the local end alone) after the call */
static size_t text_endpoints(const struct call *c, char *line, size_t o, size_t len)
{
	int local_left_out;

	if (o >= len || !c->sock.valid)
		return o;
	/*
	 * Without a peer the local end is left out when it says nothing new: a
	 * unix socket's bare inode, or the address an argument already shows.
	 */
	local_left_out = !c->sock.local_name &&
			 (!*c->sock.local || !c->sock.family || !strcmp(c->sock.family, "AF_UNIX"));
	if (!*c->sock.peer && !local_left_out)
		local_left_out = end_in_args(c, sock_local_shown(&c->sock));
	if (*c->sock.peer || !local_left_out) {
		buf_put(line, &o, len, " ");
		buf_put(line, &o, len, sock_local_shown(&c->sock));
	}
	if (*c->sock.peer) {
		buf_put(line, &o, len, " → ");
		buf_put(line, &o, len, sock_peer_shown(&c->sock));
	}
	return o;
}

/*
 * TIME PID TID COMM, the call as line (n bytes), its result and duration,
 * then its path.  Lengths are carried, not measured again: strlen was the
 * reader's hottest function.
 */
size_t format_result(const struct call *c, char *buf, size_t len, const char *red,
		     const char *reset)
{
	char num[24];
	size_t o = 0;

	buf[0] = 0;
	buf_put(buf, &o, len, "= ");
	if (c->unfinished) {
		/* as strace says it; DUR is its time in the kernel so far */
		buf_put(buf, &o, len, "? <unfinished>");
	} else if (c->err) {
		buf_put(buf, &o, len, red);
		buf_put(buf, &o, len, "-");
		buf_put(buf, &o, len, c->err_name ? c->err_name : "E?");
		buf_put(buf, &o, len, reset);
	} else { /* and what came back beside it: the ready fds, the accept queue */
		buf_put_n(buf, &o, len, num, fmt_i64(num, c->ret));
		if (*c->ret_detail) {
			buf_put(buf, &o, len, " ");
			buf_put(buf, &o, len, c->ret_detail);
		}
	}
	return o;
}

static void text_row(struct sink *s, const struct call *c, const char *line, size_t n)
{
	char t[32], res[CALL_TEXT_MAX + 64], dur[32], row[2048];
	size_t o = 0, tn = sink_fmt_time(s, c->ts_ns, t, sizeof(t)), cn = strlen(c->comm);
	size_t r = format_result(c, res, sizeof(res), col(s, C_RED), col(s, C_RESET));
	int w;

	fmt_dur(c->dur_ns, dur, sizeof(dur));

	/* "%s %6u %6u %-15s %s%*s %s%*s %s%s%s\n", without printf: the reader's hottest line */
	row[0] = 0;
	buf_put_n(row, &o, sizeof(row), t, tn);
	put_padded(row, &o, sizeof(row), c->pid);
	put_padded(row, &o, sizeof(row), c->tid);
	buf_put(row, &o, sizeof(row), " ");
	buf_put_n(row, &o, sizeof(row), c->comm, cn);
	put_spaces(row, &o, sizeof(row), 15 - utf8_width_n(c->comm, cn) + 1);
	buf_put_n(row, &o, sizeof(row), line, n);
	/* pad on visible width: colour codes and arrows take no columns */
	w = utf8_width_n(line, n) - (s->opts.color ? (int)(strlen(C_BOLD) + strlen(C_RESET)) : 0);
	put_spaces(row, &o, sizeof(row), (w < CALL_W ? CALL_W - w : 0) + 1);
	buf_put_n(row, &o, sizeof(row), res, r);
	w = utf8_width_n(res, r) -
	    (c->err && s->opts.color ? (int)(strlen(C_RED) + strlen(C_RESET)) : 0);
	put_spaces(row, &o, sizeof(row), (w < RESULT_W ? RESULT_W - w : 0) + 1);
	buf_put(row, &o, sizeof(row), col(s, c->dur_ns >= 1000000 ? C_YELLOW : C_DIM));
	if (c->unfinished || c->began_before)
		buf_put(row, &o, sizeof(row), "≥");
	buf_put(row, &o, sizeof(row), dur);
	buf_put(row, &o, sizeof(row), col(s, C_RESET));
	buf_put(row, &o, sizeof(row), "\n");
	fwrite_unlocked(row, 1, o, s->out);
}

/*
 * One CQE of an io_uring request, at the time its shot began (its
 * submission, or the previous CQE of a multishot request), DUR its latency:
 *    0.001200   4242   4242 server   io_uring RECV #7(fd 5, user_data 0x7) 127.0.0.1:8080 → ... = 64 F_MORE  35.0µs
 *                                          └ armed on poll → task work; CQE 2, more to come
 */
static size_t req_line(const struct call *c, char *line, size_t len, const char *bold,
		       const char *reset)
{
	const struct call_req *r = &c->req;
	char opnum[16];
	size_t o;

	snprintf(opnum, sizeof(opnum), "OP_%u", r->opcode);
	o = snprintf(line, len, "%sio_uring %s%s #%llu(", bold, r->op ? r->op : opnum, reset,
		     (unsigned long long)r->id);
	if ((r->fd >= 0 || r->fd == NT_UR_FD_UNKNOWN) && o < len)
		o += snprintf(line + o, len - o, "fd %s, ", c->args[0].text);
	if (o < len)
		o += snprintf(line + o, len - o, "user_data 0x%llx)",
			      (unsigned long long)r->user_data);
	return o < len ? o : len - 1;
}

size_t format_call(const struct call *c, char *line, size_t len, int color)
{
	const char *bold = color ? C_BOLD : "", *reset = color ? C_RESET : "";
	size_t o;
	int first = 1;

	if (c->req.is_req)
		return req_line(c, line, len, bold, reset);
	o = 0;
	line[0] = 0;
	buf_put(line, &o, len, bold);
	buf_put(line, &o, len, c->sys->name);
	buf_put(line, &o, len, reset);
	buf_put(line, &o, len, "(");
	for (int i = 0; i < c->nargs; i++) {
		if (c->args[i].hide)
			continue;
		if (!first)
			buf_put(line, &o, len, ", ");
		buf_put(line, &o, len, c->args[i].text);
		first = 0;
	}
	buf_put(line, &o, len, ")");
	return o;
}

/* what the kernel did for a kind of call, then what a kind of result means, once each */
static void text_explain(struct sink *s, const struct call *c)
{
	struct text_said *said = s->priv;
	char sentences[2][EXPLAIN_TEXT_MAX];
	int n;

	if (!s->opts.explain || !said)
		return;
	n = explain_new(&said->explained, c, sentences);
	for (int i = 0; i < n; i++)
		fprintf(s->out, "%*s%sⓘ %s%s\n", path_indent(s), "", col(s, C_CYAN), sentences[i],
			col(s, C_RESET));
}

static void text_payload(struct sink *s, const struct call *c);

static void text_req(struct sink *s, const struct call *c)
{
	const struct call_req *r = &c->req;
	char line[1024];
	size_t o;

	o = format_call(c, line, sizeof(line), s->opts.color);
	o = text_endpoints(c, line, o, sizeof(line));
	text_row(s, c, line, o);
	text_payload(s, c);
	fprintf(s->out, "%*s%s└ %s", path_indent(s), "", col(s, C_DIM), r->how);
	if (r->shot > 1 || r->more)
		fprintf(s->out, "; CQE %u%s", r->shot, r->more ? ", more to come" : ", the last");
	if (r->complete_tid != r->submit_tid)
		fprintf(s->out, "; completed on thread %u", r->complete_tid);
	fprintf(s->out, "%s\n", col(s, C_RESET));
	text_path(s, c);
	text_explain(s, c);
}

/* Frame k of u in the order shown. */
static const struct user_frame *shown_frame(const struct call_user *u, int outer_first, int k)
{
	return &u->frames[outer_first ? u->nframes - 1 - k : k];
}

size_t format_user_stack(const struct call_user *u, int outer_first, char *buf, size_t len)
{
	size_t o = 0;

	buf[0] = 0;
	/* the cut is at the outer end: first when reading from the outside in */
	if (u->cut && outer_first)
		o += snprintf(buf, len, "[%s] … → ", u->cut);
	for (int k = 0, run; k < u->nframes && o < len; k += run) {
		const struct user_frame *f = shown_frame(u, outer_first, k), *next;

		/* a recursion, an interpreter's frames: once, with how many */
		for (run = 1;
		     k + run < u->nframes && shown_frame(u, outer_first, k + run)->addr == f->addr;
		     run++)
			;
		next = k + run < u->nframes ? shown_frame(u, outer_first, k + run) : NULL;
		o += snprintf(buf + o, len - o, "%s", k ? " → " : "");
		if (o >= len)
			break;
		if (f->sym && f->off)
			o += snprintf(buf + o, len - o, "%s+0x%llx", f->sym,
				      (unsigned long long)f->off);
		else if (f->sym)
			o += snprintf(buf + o, len - o, "%s", f->sym);
		else
			o += snprintf(buf + o, len - o, "0x%llx", (unsigned long long)f->addr);
		if (o < len && run > 1)
			o += snprintf(buf + o, len - o, " ×%d", run);
		if (o < len && f->line)
			o += snprintf(buf + o, len - o, " %s:%d", f->file, f->line);
		/* the module where it changes, so a library's frames say which one */
		if (o < len && f->module &&
		    (!next || !next->module || strcmp(f->module, next->module)))
			o += snprintf(buf + o, len - o, " (%s)", f->module);
	}
	if (u->cut && !outer_first && o < len)
		o += snprintf(buf + o, len - o, " → … [%s]", u->cut);
	return o < len ? o : len - 1;
}

/* As strace -x decides: a byte past ASCII, or a control that is no white space */
static int has_binary(const struct call_data *d)
{
	for (int i = 0; i < d->len; i++)
		if (d->bytes[i] > 0x7e ||
		    (d->bytes[i] < ' ' && (unsigned)(d->bytes[i] - '\t') >= 5))
			return 1;
	return 0;
}

size_t format_payload(const struct call_data *d, int hex_mode, char *buf, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	int all = hex_mode == HEX_ALL || (hex_mode == HEX_NOT_TEXT && has_binary(d));
	size_t o = 0;

	/* strace's escapes: the bytes are recoverable, the text readable */
	for (int i = 0; i < d->len && o + 4 < len; i++) {
		uint8_t b = d->bytes[i];
		char e = all	     ? 0
			 : b == '\n' ? 'n'
			 : b == '\r' ? 'r'
			 : b == '\t' ? 't'
			 : b == '"'  ? '"'
			 : b == '\\' ? '\\'
				     : 0;

		if (e) {
			buf[o++] = '\\';
			buf[o++] = e;
		} else if (b >= 0x20 && b < 0x7f && !all) {
			buf[o++] = b;
		} else {
			buf[o++] = '\\';
			buf[o++] = 'x';
			buf[o++] = hex[b >> 4];
			buf[o++] = hex[b & 15];
		}
	}
	buf[o] = 0;
	return o;
}

/* -s: the payload, under the call */
size_t format_payload_quoted(const struct call_data *d, int hex, char *buf, size_t len)
{
	size_t o = 1;

	buf[0] = '"';
	o += format_payload(d, hex, buf + 1, len - 5);
	buf[o] = 0;
	buf_put(buf, &o, len, d->truncated ? "\"..." : "\"");
	return o;
}

static void text_payload(struct sink *s, const struct call *c)
{
	char text[PAYLOAD_QUOTED_MAX];

	if (!c->data.len)
		return;
	format_payload_quoted(&c->data, s->opts.strings_hex, text, sizeof(text));
	fprintf(s->out, "%*s%s» %s%s\n", path_indent(s), "", col(s, C_DIM), text, col(s, C_RESET));
}

/* -u: the user stack the call came from, under it */
static void text_user(struct sink *s, const struct call *c)
{
	char line[2048];

	if (!c->user.nframes)
		return;
	format_user_stack(&c->user, s->opts.outer_first, line, sizeof(line));
	fprintf(s->out, "%*s%s↳ %s%s\n", path_indent(s), "", col(s, C_DIM), line, col(s, C_RESET));
}

static void text_call(struct sink *s, const struct call *c)
{
	char line[1024];
	size_t o;

	if (c->req.is_req) {
		text_req(s, c);
		return;
	}
	o = format_call(c, line, sizeof(line), s->opts.color);
	o = text_endpoints(c, line, o, sizeof(line));
	text_row(s, c, line, o);
	text_payload(s, c);
	text_user(s, c);
	text_path(s, c);
	text_explain(s, c);
}

static void text_proc(struct sink *s, const struct proc_event *p)
{
	char t[32], st[64];

	sink_fmt_time(s, p->ts_ns, t, sizeof(t));
	fprintf(s->out, "%s %6u %6u %s%*s%s", t, p->pid, p->tid, p->comm, 16 - utf8_width(p->comm),
		"", col(s, C_CYAN));
	if (p->kind == PROC_FORK)
		fprintf(s->out, "+++ forked from pid %u +++", p->ppid);
	else if (p->kind == PROC_EXEC)
		fprintf(s->out, "+++ exec %s +++", p->path);
	else
		fprintf(s->out, "+++ %s +++", fmt_wait_status(p->exit_code, st, sizeof(st)));
	fprintf(s->out, "%s\n", col(s, C_RESET));
}

static void text_lost(struct sink *s, uint64_t ts, uint64_t n)
{
	char t[32];

	sink_fmt_time(s, ts, t, sizeof(t));
	fprintf(s->out, "%s %*s%s--- %llu event%s lost here ---%s\n", t,
		path_indent(s) - (int)strlen(t) - 1, "", col(s, C_YELLOW), (unsigned long long)n,
		plural(n), col(s, C_RESET));
}

/* The filters that left calls out, as the footer names them: why, for one alone. */
static void why_not_shown(int filters, char *buf, size_t len)
{
	static const struct {
		int bit;
		const char *opt, *why;
	} filter[] = {
		{FILTER_FAILED, "-Z", "did not fail: -Z"},
		{FILTER_SUCCEEDED, "-z", "failed: -z"},
		{FILTER_MIN_DUR, "--min-duration", "shorter than --min-duration"},
		{FILTER_PORTS, "--ports", "not on --ports"},
	};
	size_t n = 0;

	*buf = 0;
	for (size_t i = 0; i < ARRAY_SIZE(filter); i++)
		if (filters == filter[i].bit)
			snprintf(buf, len, "%s", filter[i].why);
		else if ((filters & filter[i].bit) && n < len)
			n += snprintf(buf + n, len - n, "%s%s", n ? ", " : "", filter[i].opt);
}

void text_footer(struct sink *s, const struct trace_footer *f)
{
	unsigned long long calls = f->calls, reqs = f->requests, lost = f->lost;

	if (s->opts.quiet)
		return;
	fprintf(s->out, "socktrace: %s — %llu call%s traced, ", f->what, calls, plural(calls));
	if (reqs)
		fprintf(s->out, "%llu io_uring completion%s, ", reqs, plural(reqs));
	if (f->filtered)
		fprintf(s->out, "%llu not shown (no --stack-filter function on their stack), ",
			(unsigned long long)f->filtered);
	if (f->result_filter) {
		char why[64];

		why_not_shown(f->result_filter, why, sizeof(why));
		fprintf(s->out, "%llu not shown (%s), ", (unsigned long long)f->not_shown, why);
	}
	fprintf(s->out, "%llu event%s lost", lost, plural(lost));
	if (lost)
		fprintf(s->out,
			" (ring buffer full: %llu, too many calls in flight: %llu, process events: "
			"%llu)",
			(unsigned long long)f->lost_ringbuf, (unsigned long long)f->lost_inflight,
			(unsigned long long)f->lost_proc);
	if (f->lost_ureq)
		fprintf(s->out, " (io_uring completions: %llu)", (unsigned long long)f->lost_ureq);
	if (f->follow_full)
		fprintf(s->out, "; %llu child process%s not followed (table full)",
			(unsigned long long)f->follow_full, f->follow_full == 1 ? "" : "es");
	fputc('\n', s->out);
}

static void text_end(struct sink *s, const struct trace_footer *f)
{
	free(s->priv);
	s->priv = NULL;
	text_footer(s, f);
}

const struct sink_ops text_sink_ops = {
	.begin = text_begin,
	.call = text_call,
	.proc = text_proc,
	.lost = text_lost,
	.end = text_end,
	.summary = summary_text,
};
