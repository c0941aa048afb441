// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * --view gantt: one lane per thread on a time axis fitted to the terminal,
 * a letter where the thread was inside a call (which call: the legend says),
 * a dot where it ran in user space between its calls.  The blocking server's
 * threads parked in read, the epoll server's one thread busy: at a glance.
 *
 * THREAD                 |0          |25ms       |50ms       |75ms
 * epoll-server 4242      eeeeeeeeeeee·r·s·e·r·s·eeeeeeeeeeeeeeeeee
 * legend: e epoll_wait  r read  s sendto
 *
 * The whole trace is held (a few fields per call) and drawn at the end;
 * with --explain, what each call did is said under the legend.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "explain.h"
#include "sink.h"
#include "util.h"

#define LABEL_W 24
#define NAMES	64
#define SAID	64 /* --explain: the sentences kept for the end */

struct span {
	uint64_t start, end;
	uint32_t tid;
	uint8_t name; /* index into names */
};

struct lane {
	uint32_t pid, tid;
	char comm[17];
	uint64_t first, last;
};

struct gantt {
	struct span *spans;
	size_t n, cap;
	struct lane *lanes;
	int nlanes;
	const char *names[NAMES];
	char letter[NAMES];
	int nnames;
	struct explained explained; /* --explain */
	char *said[SAID];
	int nsaid;
};

static int name_index(struct gantt *g, const char *name)
{
	for (int i = 0; i < g->nnames; i++)
		if (!strcmp(g->names[i], name))
			return i;
	if (g->nnames == NAMES)
		return NAMES - 1; /* the rest share the last letter */
	g->names[g->nnames] = name;
	/* the first letter of the name no other call has taken, else a digit */
	g->letter[g->nnames] = '0' + g->nnames % 10;
	for (const char *p = name; *p; p++) {
		int taken = 0;

		if (*p < 'a' || *p > 'z')
			continue;
		for (int i = 0; i < g->nnames; i++)
			taken |= g->letter[i] == *p;
		if (!taken) {
			g->letter[g->nnames] = *p;
			break;
		}
	}
	return g->nnames++;
}

static struct lane *lane_of(struct gantt *g, uint32_t pid, uint32_t tid, const char *comm)
{
	struct lane *l;

	for (int i = 0; i < g->nlanes; i++)
		if (g->lanes[i].tid == tid)
			return &g->lanes[i];
	l = realloc(g->lanes, (g->nlanes + 1) * sizeof(*l));
	if (!l)
		return NULL;
	g->lanes = l;
	l = &g->lanes[g->nlanes++];
	memset(l, 0, sizeof(*l));
	l->pid = pid;
	l->tid = tid;
	snprintf(l->comm, sizeof(l->comm), "%s", comm);
	l->first = UINT64_MAX;
	return l;
}

static void gantt_begin(struct sink *s, const struct trace_header *h)
{
	s->priv = calloc(1, sizeof(struct gantt));
	if (!s->opts.quiet)
		fprintf(s->out, "socktrace: tracing %s via %s; %s\n", h->what, h->mechanism,
			h->path);
}

static void gantt_call(struct sink *s, const struct call *c)
{
	struct gantt *g = s->priv;
	struct lane *l;
	struct span *sp;

	/* a request runs in the kernel while its thread goes on: not the lane's time */
	if (!g || c->req.is_req || !(l = lane_of(g, c->pid, c->tid, c->comm)))
		return;
	if (g->n == g->cap) {
		size_t cap = g->cap ? 2 * g->cap : 1024;
		struct span *p = realloc(g->spans, cap * sizeof(*p));

		if (!p)
			return;
		g->spans = p;
		g->cap = cap;
	}
	sp = &g->spans[g->n++];
	sp->start = c->ts_ns;
	sp->end = c->ts_ns + c->dur_ns;
	sp->tid = c->tid;
	sp->name = name_index(g, c->sys->name);
	if (s->opts.explain) {
		char sentences[2][EXPLAIN_TEXT_MAX];
		int n = explain_new(&g->explained, c, sentences);

		/* under the legend, so each is named by its call */
		for (int i = 0; i < n && g->nsaid < SAID; i++)
			if (asprintf(&g->said[g->nsaid], "%s: %s", c->sys->name, sentences[i]) >= 0)
				g->nsaid++;
	}
	if (sp->start < l->first)
		l->first = sp->start;
	if (sp->end > l->last)
		l->last = sp->end;
}

static void gantt_proc(struct sink *s, const struct proc_event *p)
{
	(void)s;
	(void)p;
}

/* The time axis: a tick with its time every ~12 columns. */
static void axis(FILE *f, int cols, uint64_t span)
{
	char buf[32];
	int at = 0;

	fprintf(f, "%-*s ", LABEL_W, "THREAD");
	while (at < cols) {
		int w;

		fmt_dur((uint64_t)((double)at * span / cols), buf, sizeof(buf));
		w = fprintf(f, "|%s", at ? buf : "0");
		for (int i = w; i < 12 && at + i < cols; i++)
			fputc(' ', f);
		at += w > 12 ? w : 12;
	}
	fputc('\n', f);
}

static void draw(struct sink *s, struct gantt *g)
{
	uint64_t t0 = UINT64_MAX, t1 = 0, span;
	int cols = s->opts.width - LABEL_W - 2;
	char col[1024], scale[32];
	unsigned char who[1024]; /* the name drawn in each column */
	size_t calls[NAMES] = {0};
	int drawn[NAMES] = {0}, hidden = 0;
	uint64_t *best = calloc(cols > 0 ? cols : 1, sizeof(*best));

	if (!g->nlanes) /* said, or the empty chart reads as a failure */
		fprintf(s->out, "(no traced call: no lane to draw)\n");
	if (!best || !g->nlanes)
		goto out;
	if (cols > (int)sizeof(col) - 1)
		cols = sizeof(col) - 1;
	for (int i = 0; i < g->nlanes; i++) {
		t0 = g->lanes[i].first < t0 ? g->lanes[i].first : t0;
		t1 = g->lanes[i].last > t1 ? g->lanes[i].last : t1;
	}
	span = t1 > t0 ? t1 - t0 : 1;
	fmt_dur(span / cols ? span / cols : 1, scale, sizeof(scale));
	fprintf(s->out,
		"one column = %s; a letter: inside that call (legend below); ·: running "
		"between calls\n",
		scale);
	axis(s->out, cols, span);
	for (int i = 0; i < g->nlanes; i++) {
		struct lane *l = &g->lanes[i];
		char label[64];
		int first = (int)((double)(l->first - t0) * cols / span),
		    last = (int)((double)(l->last - t0) * cols / span);

		memset(col, ' ', cols);
		col[cols] = 0;
		memset(best, 0, cols * sizeof(*best));
		for (int c = first; c <= last && c < cols; c++)
			col[c] = '.';
		/* each column shows the call it spent most of its time in */
		for (size_t k = 0; k < g->n; k++) {
			struct span *sp = &g->spans[k];
			int a, b;

			if (sp->tid != l->tid)
				continue;
			a = (int)((double)(sp->start - t0) * cols / span);
			b = (int)((double)(sp->end - t0) * cols / span);
			for (int c = a; c <= b && c < cols; c++) {
				uint64_t lo = t0 + (uint64_t)((double)c * span / cols),
					 hi = t0 + (uint64_t)((double)(c + 1) * span / cols);
				uint64_t in = (sp->end < hi ? sp->end : hi) -
					      (sp->start > lo ? sp->start : lo);

				if (sp->end <= lo || sp->start >= hi || in <= best[c])
					continue;
				best[c] = in;
				col[c] = g->letter[sp->name];
				who[c] = sp->name;
			}
		}
		for (int c = 0; c < cols; c++)
			if (best[c])
				drawn[who[c]] = 1;
		snprintf(label, sizeof(label), "%s %u", l->comm, l->tid);
		/* padded by what shows: a comm in UTF-8 takes fewer columns than bytes */
		fprintf(s->out, "%s%*s ", label, LABEL_W - utf8_width(label), "");
		for (int c = 0; c < cols; c++)
			fputs(col[c] == '.' ? "·" : (char[2]){col[c], 0}, s->out);
		fputc('\n', s->out);
	}
	fprintf(s->out, "legend:");
	for (int k = 0; k < g->nnames; k++)
		if (drawn[k])
			fprintf(s->out, "  %c %s", g->letter[k], g->names[k]);
		else
			hidden++;
	fputc('\n', s->out);
	/* a call named in the legend but in no column would be looked for in vain */
	if (hidden) {
		for (size_t k = 0; k < g->n; k++)
			calls[g->spans[k].name]++;
		fprintf(s->out, "shorter than a column, under the longer calls beside them:");
		for (int k = 0; k < g->nnames; k++)
			if (!drawn[k])
				fprintf(s->out, "  %s ×%zu", g->names[k], calls[k]);
		fputc('\n', s->out);
	}
	for (int k = 0; k < g->nsaid; k++)
		fprintf(s->out, "%sⓘ %s%s\n", s->opts.color ? "\033[36m" : "", g->said[k],
			s->opts.color ? "\033[0m" : "");
out:
	free(best);
}

static void gantt_end(struct sink *s, const struct trace_footer *f)
{
	struct gantt *g = s->priv;

	if (g) {
		draw(s, g);
		for (int k = 0; k < g->nsaid; k++)
			free(g->said[k]);
		free(g->spans);
		free(g->lanes);
		free(g);
		s->priv = NULL;
	}
	text_footer(s, f);
}

const struct sink_ops gantt_sink_ops = {
	.begin = gantt_begin,
	.call = gantt_call,
	.proc = gantt_proc,
	.end = gantt_end,
	.summary = summary_text,
};
