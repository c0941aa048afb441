// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * --view sequence: the picture a teacher draws on the board.  The client on
 * the left, the server on the right, the kernel between them; each call is an
 * arrow from its process into the kernel, and a connect and the accept that
 * took it, or a send and the recv that got its bytes, carry one number across
 * the kernel lane:
 *
 *     TIME(s)                   client (user space) │  kernel  │ server (user space)
 *    0.001918                                       │          │ ◀── listen(3, 4096) = 0
 *    0.125636   connect(3, 127.0.0.1:38669) = 0 ──▶ │  ─(1)─▶  │
 *    0.125769                                       │  ─(1)─▶  │ ◀── accept4(3, NULL, 0) = 5
 *
 * A row stands where its arrow counts: a connect or a send when it began
 * (its bytes leave then), any other call when it returned (what it waited
 * for had come).  So a recv that waited for the send it got lands after it,
 * as on the board.  A call's record comes when it returns, so a send that
 * is still in the kernel when its recv returns comes after it: rows wait
 * until every call begun before them has come (the pipeline says when).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "explain.h"
#include "peers.h"
#include "sink.h"
#include "util.h"

#define HELD_MAX 4096
#define LANE_W	 10
/*
 * Rows wait this much longer: a recv's time, less its walks, can stand
 * before the time the pipeline called settled; and an io_uring send is no
 * call in flight (its record comes with its completion).
 */
#define HOLD_NS 20000000ull

/* A row waiting for its place: a call, or (call NULL) a process event or a loss */
struct held {
	struct call *call;
	char *note;  /* the process event's row */
	uint64_t ts; /* where it stands */
	int tag;     /* its flow's number; a note's: its side */
	int matched; /* a recv's tag is known (its flow finished) */
	struct peer_call pc;
};

struct seq {
	struct peers *peers;
	uint32_t left_pid; /* the client: left of the kernel (the command, the server, is right) */
	/* in time order: [0, nprev): held from before, [nprev, nheld): come since */
	struct held held[HELD_MAX];
	int nheld, nprev;
	/* copies printed, kept for the next calls: 22 KB each, a busy drain's
	 * hundreds freed and allocated again made the heap shrink and fault */
	struct call *spare[HELD_MAX];
	int nspare;
	int left_w, right_w;	    /* columns of each side; left_w 0 with no client */
	uint32_t first_pid;	    /* one side only: the first process seen, and */
	int many_pids;		    /* another since: each row says whose it is (as strace -f) */
	struct explained explained; /* --explain: the sentences said */
};

static const char *dim(const struct sink *s)
{
	return s->opts.color ? "\033[2m" : "";
}

static const char *cyan(const struct sink *s)
{
	return s->opts.color ? "\033[36m" : "";
}

static const char *reset(const struct sink *s)
{
	return s->opts.color ? "\033[0m" : "";
}

/* Cut s to at most w visible columns, with an ellipsis when cut. */
static void fit(char *s, int w)
{
	int cols = 0;

	for (char *p = s; *p; p++) {
		if (((unsigned char)*p & 0xc0) == 0x80)
			continue;
		if (++cols > w - 1 && utf8_width(p) > 1) {
			strcpy(p, "…");
			return;
		}
	}
}

static void seq_begin(struct sink *s, const struct trace_header *h)
{
	struct seq *q = calloc(1, sizeof(*q));

	s->priv = q;
	if (!q || !(q->peers = peers__new())) {
		free(q);
		s->priv = NULL;
		return;
	}
	/*
	 * A demo traces its server (pids[0]) and client (pids[1]).  Anything else
	 * runs on one side, unnamed, and has the width of both: no empty column.
	 */
	q->left_pid = h->npids > 1 ? h->pids[1] : 0;
	q->right_w = s->opts.width - sink_time_width(s) - 1 - LANE_W - 4;
	if (q->left_pid)
		q->right_w /= 2;
	if (q->right_w < 30)
		q->right_w = 30;
	q->left_w = q->left_pid ? q->right_w : 0;
	if (s->opts.quiet)
		return;
	fprintf(s->out, "socktrace: tracing %s via %s; %s\n", h->what, h->mechanism, h->path);
	fprintf(s->out, "%s%*s %*s │  kernel  │ %s%s\n", dim(s), sink_time_width(s),
		s->opts.wall_time  ? "TIME"
		: s->opts.relative ? "DELTA(s)"
				   : "TIME(s)",
		q->left_w, q->left_pid ? "client (user space)" : "",
		q->left_pid ? "server (user space)" : "user space", reset(s));
}

/*
 * One row: the text on its side, its arrow into the kernel, the flow in the
 * kernel lane.  The colour goes around the text once it is fitted, so its
 * escape codes take no column and are never cut.
 */
static void row(struct sink *s, struct seq *q, const char *t, int right, const char *color,
		const char *text, const char *lane)
{
	char side[1200];
	int pad, lpad;
	const char *end = *color ? reset(s) : "";

	snprintf(side, sizeof(side), "%s", text);
	fit(side, right ? q->right_w : q->left_w);
	pad = right ? q->left_w : q->left_w - utf8_width(side);
	lpad = (LANE_W - utf8_width(lane)) / 2;
	fprintf(s->out, "%*s %*s%s%s%s │%*s%s%*s│ %s%s%s\n", sink_time_width(s), t ? t : "",
		pad > 0 ? pad : 0, "", right ? "" : color, right ? "" : side, right ? "" : end,
		lpad, "", lane, LANE_W - utf8_width(lane) - lpad, "", right ? color : "",
		right ? side : "", right ? end : "");
}

/* The length of the line of p that fits in w columns: cut at the last space that fits */
static int wrap_len(const char *p, int w)
{
	int n = (int)strlen(p), cut = w;

	if (n <= w)
		return n;
	while (cut > 0 && p[cut] != ' ')
		cut--;
	return cut > 0 ? cut : w; /* a longer word is cut by row() */
}

static const char *skip_spaces(const char *p)
{
	while (*p == ' ')
		p++;
	return p;
}

/*
 * --explain: a sentence in the call's own column, cut at spaces into its width.
 * On the client's side, right-aligned, its lines are padded to the longest so
 * they still begin in one column.
 */
static void seq_explain(struct sink *s, struct seq *q, int right, const char *sentence)
{
	int w = (right ? q->right_w - 4 : q->left_w) - 2, widest = 0;
	char line[EXPLAIN_TEXT_MAX + 64];
	const char *p;

	for (p = sentence; *p;) {
		int n = wrap_len(p, w);

		if (utf8_width_n(p, n) > widest)
			widest = utf8_width_n(p, n);
		p = skip_spaces(p + n);
	}
	for (p = sentence; *p;) {
		int n = wrap_len(p, w);

		snprintf(line, sizeof(line), "%s%s %.*s%*s", right ? "    " : "",
			 p == sentence ? "ⓘ" : " ", n, p, right ? 0 : widest - utf8_width_n(p, n),
			 "");
		row(s, q, NULL, right, cyan(s), line, "");
		p = skip_spaces(p + n);
	}
}

/* A line under a call, in its column: "    └ text" on the server's side, "text ┘" on the client's. */
static void detail_row(struct sink *s, struct seq *q, int right, const char *mark, const char *text)
{
	char line[2100];

	if (right)
		snprintf(line, sizeof(line), "    %s %s", mark, text);
	else
		snprintf(line, sizeof(line), "%s %s", text, mark);
	row(s, q, NULL, right, dim(s), line, "");
}

/*
 * What the list view shows under a call, in its column: -s's bytes, -u's
 * stack, the kernel path, and the TCP states on a row of their own (a
 * handshake, a teacher's point, would be cut off the end of a long path).
 */
static void seq_details(struct sink *s, struct seq *q, const struct call *c, int right)
{
	const struct call_path *p = &c->path;
	char text[2048];

	if (c->data.len) {
		format_payload_quoted(&c->data, s->opts.strings_hex, text, sizeof(text));
		detail_row(s, q, right, "»", text);
	}
	if (c->user.nframes) {
		format_user_stack(&c->user, s->opts.outer_first, text, sizeof(text));
		detail_row(s, q, right, "↳", text);
	}
	if (*p->line) {
		snprintf(text, sizeof(text), "%s%s%s", p->line,
			 p->deferred ? " [after close returned]" : "", p->truncated ? " ..." : "");
		detail_row(s, q, right, right ? "└" : "┘", text);
	}
	if (has_states(p)) {
		format_states(p, text, sizeof(text));
		detail_row(s, q, right, *p->line ? " " : right ? "└" : "┘", text);
	}
	for (int i = 0; i < p->nstacks; i++) {
		snprintf(text, sizeof(text), "[%s] %s", p->hits[p->stack_hit[i]].name,
			 p->stacks[i]);
		detail_row(s, q, right, " ", text);
	}
}

static void seq_print(struct sink *s, struct seq *q, const struct call *c, uint64_t ts,
		      enum peer_end end, int tag)
{
	char t[32], text[1100], res[400], head[40] = "", lane[32] = "", line[1600];
	int right = c->pid != q->left_pid, room;

	format_call(c, text, sizeof(text), 0);
	res[0] = ' ';
	format_result(c, res + 1, sizeof(res) - 1, "", "");
	/* a flow runs client to server (left to right) or back */
	if (tag)
		snprintf(lane, sizeof(lane), (end == PEER_FROM) != right ? "─(%d)─▶" : "◀─(%d)─",
			 tag);
	sink_fmt_time(s, ts, t, sizeof(t));
	if (!q->left_pid && q->many_pids)
		snprintf(head, sizeof(head), "◀── [pid %u] ", c->pid);
	else if (right)
		snprintf(head, sizeof(head), "◀── ");
	/* too wide: the arguments give way, so the result stays in sight */
	room = (right ? q->right_w : q->left_w) - utf8_width(head) - utf8_width(res) -
	       (right ? 0 : 4);
	if (room >= 16 && utf8_width(text) > room)
		fit(text, room);
	snprintf(line, sizeof(line), right ? "%s%s%s" : "%s%s%s ──▶", head, text, res);
	row(s, q, t, right, "", line, lane);
	seq_details(s, q, c, right);
	if (s->opts.explain) {
		char sentences[2][EXPLAIN_TEXT_MAX];
		int n = explain_new(&q->explained, c, sentences);

		for (int i = 0; i < n; i++)
			seq_explain(s, q, right, sentences[i]);
	}
}

/*
 * A recv's time is its return less the stack walks socktrace made inside it
 * (a sleep's): where that puts it before the send it got, the recv moves
 * down to just after the send, at the send's time; the rows between keep
 * their places, and the order of times holds.  Returns 1 if it moved.
 */
static int recv_after_send(struct seq *q, int i)
{
	struct held to = q->held[i];

	for (int j = i + 1; j < q->nheld && q->held[j].ts <= to.ts + PEER_WALK_MAX_NS; j++) {
		const struct held *from = &q->held[j];

		if (!from->call || from->pc.end != PEER_FROM || from->tag != to.tag)
			continue;
		to.ts = from->ts;
		memmove(&q->held[i], &q->held[i + 1], (j - i) * sizeof(q->held[0]));
		q->held[j] = to;
		return 1;
	}
	return 0;
}

/*
 * The rows come since take their places among the held ones, and their
 * sends are counted; then the rows before cut are matched and printed, and
 * at least the first min of them (room for more).
 */
static void release_rows(struct sink *s, struct seq *q, uint64_t cut, int min)
{
	int upto = 0;

	for (int i = q->nprev; i < q->nheld; i++) {
		struct held *h = &q->held[i];

		if (h->call) /* a note's tag holds its side */
			h->tag = peers__start(q->peers, &h->pc);
		/* in their places: nearly in order already (an insertion sort's case) */
		for (int j = i; j > 0 && q->held[j - 1].ts > q->held[j].ts; j--) {
			struct held t = q->held[j];

			q->held[j] = q->held[j - 1];
			q->held[j - 1] = t;
		}
	}
	while (upto < q->nheld && (upto < min || q->held[upto].ts < cut)) {
		struct held *h = &q->held[upto];

		if (h->call && h->pc.end == PEER_TO && !h->matched) {
			h->tag = peers__finish(q->peers, &h->pc);
			h->matched = 1;
			if (recv_after_send(q, upto))
				continue; /* the row after it is here now */
		}
		if (h->call) {
			seq_print(s, q, h->call, h->ts, h->pc.end, h->tag);
			q->spare[q->nspare++] = h->call;
		} else {
			char t[32];

			sink_fmt_time(s, h->ts, t, sizeof(t));
			row(s, q, t, h->tag, "", h->note, "");
			free(h->note);
		}
		upto++;
	}
	memmove(q->held, q->held + upto, (q->nheld - upto) * sizeof(q->held[0]));
	q->nheld -= upto;
	q->nprev = q->nheld;
}

/* A row more, with the held rows full: the older half goes out, whatever the time. */
static void make_room(struct sink *s, struct seq *q)
{
	if (q->nheld == HELD_MAX)
		release_rows(s, q, 0, HELD_MAX / 2);
}

static void seq_flush(struct sink *s, uint64_t settled_ns)
{
	if (s->priv)
		release_rows(s, s->priv, settled_ns > HOLD_NS ? settled_ns - HOLD_NS : 0, 0);
}

static void see_pid(struct seq *q, uint32_t pid)
{
	if (!q->first_pid)
		q->first_pid = pid;
	else if (pid != q->first_pid)
		q->many_pids = 1;
}

static void seq_call(struct sink *s, const struct call *c)
{
	struct seq *q = s->priv;
	struct call *copy;
	struct held *h;

	if (!q)
		return;
	make_room(s, q);
	copy = q->nspare ? q->spare[--q->nspare] : malloc(sizeof(*copy));
	if (!copy)
		return;
	call_copy(copy, c);
	see_pid(q, c->pid);
	h = &q->held[q->nheld++];
	h->call = copy;
	h->note = NULL;
	h->matched = 0;
	/* a connect or send stands where it began: its bytes left then */
	h->ts = peers__describe(c, &h->pc) == PEER_FROM ? c->ts_ns : c->ts_ns + c->dur_ns;
}

/* A line that is no call (a process event, a loss), held in order with the calls. */
static void hold_note(struct seq *q, const char *text, uint64_t ts, int right)
{
	struct held *h = &q->held[q->nheld];

	h->call = NULL;
	h->matched = 0;
	h->pc.end = PEER_NONE;
	h->note = strdup(text);
	h->ts = ts;
	h->tag = right; /* a note's tag: its side */
	if (h->note)
		q->nheld++;
}

static void seq_proc(struct sink *s, const struct proc_event *p)
{
	struct seq *q = s->priv;
	char text[160], st[64];

	if (!q)
		return;
	make_room(s, q);
	if (p->kind == PROC_EXEC)
		snprintf(text, sizeof(text), "+++ %s %u: exec %s +++", p->comm, p->pid, p->path);
	else if (p->kind == PROC_FORK)
		snprintf(text, sizeof(text), "+++ %s %u: forked from %u +++", p->comm, p->pid,
			 p->ppid);
	else
		snprintf(text, sizeof(text), "+++ %s %u: %s +++", p->comm, p->pid,
			 fmt_wait_status(p->exit_code, st, sizeof(st)));
	see_pid(q, p->pid);
	hold_note(q, text, p->ts_ns, p->pid != q->left_pid);
}

static void seq_lost(struct sink *s, uint64_t ts, uint64_t n)
{
	struct seq *q = s->priv;
	char text[80];

	if (!q)
		return;
	make_room(s, q);
	snprintf(text, sizeof(text), "--- %llu event%s lost here ---", (unsigned long long)n,
		 n == 1 ? "" : "s");
	hold_note(q, text, ts, 1); /* on the traced process's side */
}

static void seq_end(struct sink *s, const struct trace_footer *f)
{
	struct seq *q = s->priv;

	if (q) {
		release_rows(s, q, UINT64_MAX, HELD_MAX);
		while (q->nspare)
			free(q->spare[--q->nspare]);
		peers__free(q->peers);
		free(q);
		s->priv = NULL;
	}
	text_footer(s, f);
}

const struct sink_ops sequence_sink_ops = {
	.begin = seq_begin,
	.call = seq_call,
	.proc = seq_proc,
	.lost = seq_lost,
	.flush = seq_flush,
	.end = seq_end,
	.summary = summary_text,
	.reads_settled = 1,
};
