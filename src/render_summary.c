// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The summary views (-c, --histogram, --by conn) in text and JSON:
 *
 * CALL                 CALLS ERRORS      TOTAL        AVG        P50        P99        MAX     BYTES
 * sendto                 100      0     1.52ms     15.2µs     14.0µs     30.0µs     41.0µs      6400
 */
#include <stdio.h>
#include <string.h>
#include "json.h"
#include "sink.h"
#include "summary.h"
#include "util.h"
#include "xlat.h"

#define BAR_W 40

/* log2 buckets of whole microseconds, from the finer kernel buckets */
static int us_buckets(const __u64 *hist, uint64_t out[64])
{
	int top = -1;

	memset(out, 0, 64 * sizeof(out[0]));
	for (uint32_t b = 0; b < NT_HIST_BUCKETS; b++) {
		uint64_t us = hist_bucket_top(b) / 1000;
		int k = 0;

		while (us >> k)
			k++; /* [2^(k-1), 2^k) µs; k = 0: under 1 µs */
		out[k] += hist[b];
		if (hist[b] && k > top)
			top = k;
	}
	return top;
}

static void us_range(int k, char *buf, size_t len)
{
	if (!k)
		snprintf(buf, len, "[0, 1µs)");
	else
		snprintf(buf, len, "[%llu, %lluµs)", 1ull << (k - 1), 1ull << k);
}

static void text_histogram(FILE *f, const struct summary_row *r)
{
	uint64_t b[64], most = 0;
	int top = us_buckets(r->c->hist, b), first = -1, label_w;
	char range[48];

	for (int k = 0; k <= top; k++) {
		most = b[k] > most ? b[k] : most;
		if (b[k] && first < 0)
			first = k;
	}
	/* the widest range is the last one: the bars start in one column */
	us_range(top > 0 ? top : 0, range, sizeof(range));
	label_w = strlen(range) < 18 ? 18 : (int)strlen(range);
	fprintf(f, "\n%s: %llu call%s, latency\n", r->name, (unsigned long long)r->calls,
		plural(r->calls));
	for (int k = first; k >= 0 && k <= top; k++) {
		int w = most ? (int)(b[k] * BAR_W / most) : 0;

		us_range(k, range, sizeof(range));
		fprintf(f, "  %*s %10llu |", label_w, range, (unsigned long long)b[k]);
		for (int i = 0; i < BAR_W; i++)
			fputs(i < w ? "█" : " ", f);
		fputs("|\n", f);
	}
}

static const char *conn_kind(const struct conn_row *c)
{
	return c->sock.valid ? c->sock.kind : "?";
}

/* first_ns: when the connection's first traced call ended, "opened" as seen */
static void text_conns(FILE *f, const struct summary *s, uint64_t t0)
{
	char life[32], in[32], out[32], opened[32];

	fprintf(f, "\n%-49s %7s %7s %12s %12s %11s %11s %s\n", "CONNECTION (LOCAL → PEER)", "PID",
		"CALLS", "BYTES IN", "BYTES OUT", "OPENED(s)", "LIFETIME", "STATE");
	for (int i = 0; i < s->nconns; i++) {
		const struct conn_row *c = &s->conns[i];
		const char *local = sock_local_shown(&c->sock);
		char ends[320];

		/* a socket closed unbound has neither end */
		snprintf(ends, sizeof(ends), "%s %s → %s", conn_kind(c), *local ? local : "-",
			 *c->sock.peer ? sock_peer_shown(&c->sock) : "-");
		snprintf(in, sizeof(in), "%llu", (unsigned long long)c->bytes_in);
		snprintf(out, sizeof(out), "%llu", (unsigned long long)c->bytes_out);
		fmt_dur(c->last_ns - c->first_ns, life, sizeof(life));
		snprintf(opened, sizeof(opened), "%.6f",
			 c->first_ns > t0 ? (c->first_ns - t0) / 1e9 : 0.0);
		fprintf(f, "%-49s %7u %7llu %12s %12s %11s %11s %s\n", ends, c->pid,
			(unsigned long long)c->calls, in, out, opened, life,
			s->closes_missing ? "?"
			: c->closed	  ? "closed"
			: c->at_exit	  ? "at exit"
					  : "open");
	}
	if (!s->nconns && !s->conns_ended_before)
		fprintf(f, "(no connection made a traced call)\n");
	else if (s->closes_missing)
		fprintf(f,
			"(STATE ?: the recording holds no closes, made with -e without close, -Z "
			"or --min-duration: whether a connection closed is not known)\n");
	if (s->conns_evicted)
		fprintf(f,
			"(and %llu connection%s more, counted but no longer in the kernel's table, "
			"which keeps the newest)\n",
			(unsigned long long)s->conns_evicted, plural(s->conns_evicted));
	if (s->conns_ended_before)
		fprintf(f, "(and %llu connection%s that ended before this interval, not shown)\n",
			(unsigned long long)s->conns_ended_before, plural(s->conns_ended_before));
	if (s->interval_ns) /* the calls are the interval's, a connection's are its own */
		fprintf(f, "(each connection's counts are since tracing began)\n");
}

static const char *errno_shown(int err)
{
	return err ? errno_name(err) : "other";
}

/* Which errors: a non-blocking server's EAGAINs are not a client's ECONNREFUSEDs. */
static void text_errnos(FILE *f, const struct summary *s)
{
	fprintf(f, "\n%-22s %s\n", "CALL", "ERRORS BY ERRNO");
	for (int i = 0; i < s->nrows; i++) {
		const struct summary_row *r = &s->rows[i];

		if (!r->nerrnos)
			continue;
		fprintf(f, "%-22s", r->name);
		for (int e = 0; e < r->nerrnos; e++)
			fprintf(f, "%s%s %llu", e ? ", " : " ", errno_shown(r->errnos[e].err),
				(unsigned long long)r->errnos[e].n);
		fputc('\n', f);
	}
}

void summary_text(struct sink *sk, const struct summary *s)
{
	FILE *f = sk->out;
	char t[5][32];

	if (s->interval_ns) {
		/* when it ended, as the list view's TIME column counts */
		fmt_dur(s->interval_ns, t[0], sizeof(t[0]));
		fprintf(f, "\n--- %.6f s: the last %s ---\n", s->interval_end / 1e9, t[0]);
	} else if (s->after_timeline) {
		fputc('\n', f);
	}
	fprintf(f, "%-22s %9s %7s %11s %11s %11s %11s %11s %12s\n", "CALL", "CALLS", "ERRORS",
		"TOTAL", "AVG", "P50", "P99", "MAX", "BYTES");
	for (int i = 0; i < s->nrows; i++) {
		const struct summary_row *r = &s->rows[i];

		fmt_dur(r->total_ns, t[0], sizeof(t[0]));
		fmt_dur(r->avg_ns, t[1], sizeof(t[1]));
		fmt_dur(r->p50_ns, t[2], sizeof(t[2]));
		fmt_dur(r->p99_ns, t[3], sizeof(t[3]));
		fmt_dur(r->max_ns, t[4], sizeof(t[4]));
		fprintf(f, "%-22s %9llu %7llu %11s %11s %11s %11s %11s %12llu\n", r->name,
			(unsigned long long)r->calls, (unsigned long long)r->errors, t[0], t[1],
			t[2], t[3], t[4], (unsigned long long)r->bytes);
	}
	fmt_dur(s->total_ns, t[0], sizeof(t[0]));
	fprintf(f, "%-22s %9llu %7llu %11s\n", "total", (unsigned long long)s->calls,
		(unsigned long long)s->errors, t[0]);
	if (s->errors)
		text_errnos(f, s);
	if (s->histogram)
		for (int i = 0; i < s->nrows; i++)
			text_histogram(f, &s->rows[i]);
	if (s->conns)
		text_conns(f, s, sk->opts.t0_mono);
	fflush(f);
}

void summary_json(struct sink *sk, const struct summary *s)
{
	struct json j;

	json_init(&j, sk->out);
	json_obj_begin(&j);
	json_kv_str(&j, "type", "summary");
	if (s->interval_ns) {
		json_kv_uint(&j, "time_ns", s->interval_end);
		json_kv_uint(&j, "interval_ns", s->interval_ns);
	}
	json_key(&j, "calls");
	json_arr_begin(&j);
	for (int i = 0; i < s->nrows; i++) {
		const struct summary_row *r = &s->rows[i];

		json_obj_begin(&j);
		json_kv_str(&j, "call", r->name);
		json_kv_uint(&j, "calls", r->calls);
		json_kv_uint(&j, "errors", r->errors);
		json_kv_uint(&j, "total_ns", r->total_ns);
		json_kv_uint(&j, "avg_ns", r->avg_ns);
		json_kv_uint(&j, "p50_ns", r->p50_ns);
		json_kv_uint(&j, "p99_ns", r->p99_ns);
		json_kv_uint(&j, "max_ns", r->max_ns);
		json_kv_uint(&j, "bytes", r->bytes);
		if (r->nerrnos) {
			json_key(&j, "errnos");
			json_obj_begin(&j);
			for (int e = 0; e < r->nerrnos; e++)
				json_kv_uint(&j, errno_shown(r->errnos[e].err), r->errnos[e].n);
			json_obj_end(&j);
		}
		if (s->histogram) {
			uint64_t b[64];
			int top = us_buckets(r->c->hist, b);

			json_key(&j, "histogram_us");
			json_arr_begin(&j);
			for (int k = 0; k <= top; k++) {
				if (!b[k])
					continue;
				json_obj_begin(&j);
				json_kv_uint(&j, "lo", k ? 1ull << (k - 1) : 0);
				json_kv_uint(&j, "hi", 1ull << k);
				json_kv_uint(&j, "count", b[k]);
				json_obj_end(&j);
			}
			json_arr_end(&j);
		}
		json_obj_end(&j);
	}
	json_arr_end(&j);
	json_kv_uint(&j, "other_syscalls", s->other_calls);
	if (s->conns) {
		json_key(&j, "connections");
		json_arr_begin(&j);
		for (int i = 0; i < s->nconns; i++) {
			const struct conn_row *c = &s->conns[i];

			json_obj_begin(&j);
			json_kv_str(&j, "kind", conn_kind(c));
			json_kv_str(&j, "local", c->sock.local);
			json_kv_str(&j, "peer", c->sock.peer);
			json_sock_names(&j, &c->sock);
			json_kv_uint(&j, "pid", c->pid);
			json_kv_uint(&j, "calls", c->calls);
			json_kv_uint(&j, "bytes_in", c->bytes_in);
			json_kv_uint(&j, "bytes_out", c->bytes_out);
			json_kv_uint(&j, "opened_ns",
				     c->first_ns > sk->opts.t0_mono ? c->first_ns - sk->opts.t0_mono
								    : 0);
			json_kv_uint(&j, "lifetime_ns", c->last_ns - c->first_ns);
			json_key(&j, "closed"), json_bool(&j, c->closed && !s->closes_missing);
			json_key(&j, "at_exit"), json_bool(&j, c->at_exit && !s->closes_missing);
			json_obj_end(&j);
		}
		json_arr_end(&j);
		json_kv_uint(&j, "connections_evicted", s->conns_evicted);
		if (s->interval_ns)
			json_kv_uint(&j, "connections_ended_before", s->conns_ended_before);
		/* false: closed and at_exit say nothing (a recording without its closes) */
		json_key(&j, "closes_seen"), json_bool(&j, !s->closes_missing);
	}
	json_obj_end(&j);
	json_newline(&j);
}
