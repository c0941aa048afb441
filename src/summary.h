/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * -c, --histogram, --by conn: the counters the kernel kept, made into rows.
 * Pure: percentiles from the log2 histogram (nt_hist_bucket), sorting, the
 * per-connection rows.  Rendered by render_summary.c.
 */
#ifndef SUMMARY_H
#define SUMMARY_H

#include <stdint.h>
#include <linux/types.h>
#include "socktrace.h"
#include "model.h"
#include "poison.h"

enum summary_sort {
	SORT_TIME,
	SORT_CALLS,
	SORT_ERRORS,
	SORT_AVG,
	SORT_P99,
	SORT_MAX,
	SORT_BYTES,
	SORT_NAME
};
extern const char *const summary_sorts[]; /* the --sort words, by enum summary_sort */

#define SUMMARY_ERRNOS 8
struct errno_count {
	int err; /* 0: the other errors, past the most frequent */
	uint64_t n;
};

struct summary_row {
	char name[32]; /* "sendto", or "io_uring RECV" */
	const struct nt_count *c;
	uint64_t calls, errors, total_ns, avg_ns, p50_ns, p99_ns, max_ns, bytes;
	struct errno_count errnos[SUMMARY_ERRNOS]; /* most frequent first */
	int nerrnos;
};

struct conn_row {
	struct call_sock sock; /* as decoded: its ends, and a unix socket's names */
	uint32_t pid;
	uint32_t last_pid; /* the process of its latest call */
	uint64_t calls, bytes_in, bytes_out, first_ns, last_ns;
	int closed;
	int at_exit;	   /* not closed, and last_pid exited after its latest call */
	uint64_t ended_ns; /* when it closed, or its process exited; 0: open */
};

struct summary {
	struct summary_row rows[NT_COUNT_SLOTS];
	int nrows;
	uint64_t calls, errors, total_ns, other_calls;
	struct conn_row *conns;
	int nconns;
	uint64_t
		conns_evicted; /* counted, but gone from the kernel's table (it keeps the newest) */
	uint64_t conns_ended_before; /* --interval: rows left out, ended before it began */
	uint64_t interval_ns;	     /* the span counted (--interval), 0: the whole trace */
	uint64_t interval_end;	     /* and when it ended: ns since tracing began */
	int histogram;		     /* --histogram: render the buckets */
	enum summary_sort sort;	     /* the rows' order, and the connections' where it applies */
	int after_timeline;	     /* -C: under the calls, set apart from them */
	int closes_missing;	     /* a recording without its closes: no row's STATE is known */
};

/* The upper bound of bucket b of nt_hist_bucket. */
uint64_t hist_bucket_top(uint32_t b);
/* The q-th quantile (0..1) of a histogram of n values, at most max. */
uint64_t hist_quantile(const __u64 *hist, uint64_t n, double q, uint64_t max);
/* Rows from the counters (NT_COUNT_SLOTS of them), sorted. */
void summary_build(struct summary *s, const struct nt_count *counts, enum summary_sort sort);
/* Connections, sorted by bytes moved, most first: the kernel's rows, or rows made here. */
void summary_conns(struct summary *s, const struct nt_conn *conns, int n);
/* A process's exit, as its record says. */
struct proc_exit_at {
	uint32_t pid;
	uint64_t ts;
};
/* Rows not closed whose last process exited after their latest call: the exit released them. */
void summary_conns_exited(struct summary *s, const struct proc_exit_at *exits, int n);
/*
 * --interval: leaves out the connections that ended (closed, or their
 * process exited) before start, a CLOCK_MONOTONIC ns, counting them.
 */
void summary_conns_since(struct summary *s, uint64_t start);
void summary_conn_rows(struct summary *s, const struct conn_row *rows, int n);

#endif /* SUMMARY_H */
