// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Summary rows from kernel counters; see summary.h.  Pure. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "decode.h"
#include "summary.h"
#include "xlat.h"

const char *const summary_sorts[] = {
	[SORT_TIME] = "time",	[SORT_CALLS] = "calls", [SORT_ERRORS] = "errors",
	[SORT_AVG] = "avg",	[SORT_P99] = "p99",	[SORT_MAX] = "max",
	[SORT_BYTES] = "bytes", [SORT_NAME] = "name",	NULL,
};

uint64_t hist_bucket_top(uint32_t b)
{
	uint32_t msb = b / NT_HIST_SUB, sub = b % NT_HIST_SUB;

	if (msb < 2) /* 0..3 hold their value; 4..7 are never used */
		return b;
	/* bucket b holds [(4 + sub) << (msb - 2), (4 + sub + 1) << (msb - 2)) */
	return ((uint64_t)(NT_HIST_SUB + sub + 1) << (msb - 2)) - 1;
}

uint64_t hist_quantile(const __u64 *hist, uint64_t n, double q, uint64_t max)
{
	uint64_t seen = 0, want = (uint64_t)(q * n + 0.999999);

	if (!n)
		return 0;
	if (want < 1)
		want = 1;
	for (uint32_t b = 0; b < NT_HIST_BUCKETS; b++) {
		seen += hist[b];
		if (seen >= want)
			return hist_bucket_top(b) < max ? hist_bucket_top(b) : max;
	}
	return max;
}

static int by_count(const void *pa, const void *pb)
{
	const struct errno_count *a = pa, *b = pb;

	if (!a->err != !b->err)
		return !a->err ? 1 : -1; /* the unnamed last */
	if (a->n != b->n)
		return a->n > b->n ? -1 : 1;
	return a->err - b->err;
}

/* A row's errors by errno, the most frequent first; past SUMMARY_ERRNOS - 1 of them, one "other". */
static void row_errnos(struct summary_row *r, const struct nt_count *c)
{
	struct errno_count all[NT_ERRNO_SLOTS];
	int n = 0;

	for (int e = 0; e < NT_ERRNO_SLOTS; e++)
		if (c->errnos[e])
			all[n++] = (struct errno_count){nt_slot_errno(e), c->errnos[e]};
	qsort(all, n, sizeof(all[0]), by_count);
	if (n > SUMMARY_ERRNOS) {
		for (int i = SUMMARY_ERRNOS; i < n; i++)
			all[SUMMARY_ERRNOS - 1].n += all[i].n;
		all[SUMMARY_ERRNOS - 1].err = 0;
		n = SUMMARY_ERRNOS;
	}
	memcpy(r->errnos, all, n * sizeof(all[0]));
	r->nerrnos = n;
}

static enum summary_sort sort_key;

static uint64_t key_of(const struct summary_row *r)
{
	switch (sort_key) {
	case SORT_CALLS:
		return r->calls;
	case SORT_ERRORS:
		return r->errors;
	case SORT_AVG:
		return r->avg_ns;
	case SORT_P99:
		return r->p99_ns;
	case SORT_MAX:
		return r->max_ns;
	case SORT_BYTES:
		return r->bytes;
	default:
		return r->total_ns;
	}
}

static int by_key(const void *pa, const void *pb)
{
	const struct summary_row *a = pa, *b = pb;
	uint64_t ka = key_of(a), kb = key_of(b);

	if (sort_key == SORT_NAME || ka == kb)
		return strcmp(a->name, b->name);
	return ka > kb ? -1 : 1; /* most first */
}

void summary_build(struct summary *s, const struct nt_count *counts, enum summary_sort sort)
{
	s->sort = sort;
	s->nrows = 0;
	s->calls = s->errors = s->total_ns = 0;
	s->other_calls = counts[0].calls;
	for (int i = 1; i < NT_COUNT_SLOTS; i++) {
		const struct nt_count *c = &counts[i];
		struct summary_row *r = &s->rows[s->nrows];
		const char *op;

		if (!c->calls)
			continue;
		if (i < NT_SYS_MAX) {
			snprintf(r->name, sizeof(r->name), "%s", sys_by_id(i)->name);
		} else {
			op = xlat_name(xlat_uring_op, i - NT_SYS_MAX);
			snprintf(r->name, sizeof(r->name), "io_uring %s", op ? op : "?");
		}
		r->c = c;
		r->calls = c->calls;
		r->errors = c->errors;
		r->total_ns = c->ns;
		r->avg_ns = c->ns / c->calls;
		r->max_ns = c->max_ns;
		r->p50_ns = hist_quantile(c->hist, c->calls, 0.50, c->max_ns);
		r->p99_ns = hist_quantile(c->hist, c->calls, 0.99, c->max_ns);
		r->bytes = c->bytes;
		row_errnos(r, c);
		s->calls += c->calls;
		s->errors += c->errors;
		s->total_ns += c->ns;
		s->nrows++;
	}
	sort_key = sort;
	qsort(s->rows, s->nrows, sizeof(s->rows[0]), by_key);
}

static int by_first(const struct conn_row *a, const struct conn_row *b)
{
	return a->first_ns < b->first_ns ? -1 : a->first_ns > b->first_ns;
}

static int by_bytes(const void *pa, const void *pb)
{
	const struct conn_row *a = pa, *b = pb;
	uint64_t ka = a->bytes_in + a->bytes_out, kb = b->bytes_in + b->bytes_out;

	if (ka != kb)
		return ka > kb ? -1 : 1;
	return by_first(a, b);
}

static int by_conn_calls(const void *pa, const void *pb)
{
	const struct conn_row *a = pa, *b = pb;

	if (a->calls != b->calls)
		return a->calls > b->calls ? -1 : 1;
	return by_bytes(a, b);
}

/* by the ends as shown, numbers as numbers (port 9000 before 45675): a server's rows together */
static int by_ends(const void *pa, const void *pb)
{
	const struct conn_row *a = pa, *b = pb;
	int d = strverscmp(sock_local_shown(&a->sock), sock_local_shown(&b->sock));

	if (!d)
		d = strverscmp(sock_peer_shown(&a->sock), sock_peer_shown(&b->sock));
	return d ? d : by_first(a, b);
}

/* --sort calls and name order the connections too; other keys have no column there */
static void sort_conns(struct summary *s)
{
	qsort(s->conns, s->nconns, sizeof(s->conns[0]),
	      s->sort == SORT_CALLS  ? by_conn_calls
	      : s->sort == SORT_NAME ? by_ends
				     : by_bytes);
}

void summary_conn_rows(struct summary *s, const struct conn_row *rows, int n)
{
	s->conns = malloc((n ? n : 1) * sizeof(*s->conns));
	s->nconns = s->conns ? n : 0;
	if (!s->conns)
		return;
	memcpy(s->conns, rows, n * sizeof(*rows));
	sort_conns(s);
}

void summary_conns_exited(struct summary *s, const struct proc_exit_at *exits, int n)
{
	for (int i = 0; i < s->nconns; i++) {
		struct conn_row *r = &s->conns[i];

		for (int k = 0; k < n && !r->closed; k++)
			if (exits[k].pid == r->last_pid && exits[k].ts >= r->last_ns) {
				r->at_exit = 1;
				r->ended_ns = exits[k].ts;
			}
	}
}

void summary_conns_since(struct summary *s, uint64_t start)
{
	int kept = 0;

	for (int i = 0; i < s->nconns; i++) {
		if (s->conns[i].ended_ns && s->conns[i].ended_ns < start) {
			s->conns_ended_before++;
			continue;
		}
		s->conns[kept++] = s->conns[i];
	}
	s->nconns = kept;
}

void summary_conns(struct summary *s, const struct nt_conn *conns, int n)
{
	s->conns = calloc(n ? n : 1, sizeof(*s->conns));
	s->nconns = 0;
	if (!s->conns)
		return;
	for (int i = 0; i < n; i++) {
		const struct nt_conn *c = &conns[i];
		struct conn_row *r = &s->conns[s->nconns++];

		decode_sock(&c->sock, &r->sock);
		r->pid = c->pid;
		r->last_pid = c->last_pid ? c->last_pid : c->pid;
		r->calls = c->calls;
		r->bytes_in = c->bytes_in;
		r->bytes_out = c->bytes_out;
		r->first_ns = c->first_ns;
		r->last_ns = c->last_ns;
		r->closed = c->closed;
		r->ended_ns = c->closed ? c->last_ns : 0;
	}
	sort_conns(s);
}
