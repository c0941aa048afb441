/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The one interface between the model and the output: a sink gets the
 * session's header, then calls and process events in order, then the footer.
 * The text and JSON sinks implement it; neither touches BPF.
 */
#ifndef SINK_H
#define SINK_H

#include <stdint.h>
#include <stdio.h>
#include "model.h"
#include "summary.h"
#include "poison.h"

/* The header's word that io_uring requests are traced (recordings hold it too). */
#define URING_TRACED "io_uring requests via io_uring:* tracepoints"

struct trace_header {
	const char *what;      /* "curl (pid 4242)" */
	const char *mechanism; /* "raw syscall tracepoints" */
	const char *path;      /* "kernel path via tracepoints (fentry: ...)" */
	const char *uring;     /* URING_TRACED, or why not; NULL: not asked */
	const char *mode;      /* "run" or "attach" */
	int npids;
	const uint32_t *pids;
	int closes_missing; /* -e, -Z or --min-duration left the closes out of the records */
	int kernel_stacks;  /* -k: 1 each hit's stack is in the records, 0 not, -1 not said */
};

enum { FILTER_FAILED = 1, FILTER_MIN_DUR = 2, FILTER_PORTS = 4, FILTER_SUCCEEDED = 8 };

struct trace_footer {
	const char *what; /* "curl exited 0", "detached from nginx" */
	int has_exit;
	int exit_status; /* run: what socktrace exits with */
	uint64_t calls;
	uint64_t requests;  /* io_uring completions */
	uint64_t filtered;  /* calls not shown: --stack-filter */
	uint64_t not_shown; /* calls dropped in the kernel by -Z, -z, --min-duration or --ports */
	int result_filter;  /* which of those was asked: FILTER_* */
	uint64_t lost;	    /* every lost record, whatever the cause */
	uint64_t lost_ureq; /* io_uring completions: table or ring buffer full */
	uint64_t lost_ringbuf, lost_inflight, lost_proc, follow_full;
};

struct sink_opts {
	int wall_time; /* -t and -tt: HH:MM:SS.uuuuuu; -ttt: epoch seconds */
	int relative;  /* -r: TIME is the time since the line before */
	int color;
	int quiet;	      /* -q: the trace only, no header/footer */
	int explain;	      /* --explain: a sentence under each new kind of call */
	int strings_hex;      /* -x: HEX_* of format_payload */
	int summary;	      /* -c: tables at the end, no timeline */
	int outer_first;      /* -u: user stacks from main inward */
	int width;	      /* columns of the terminal (views that fill it) */
	uint64_t t0_mono;     /* relative times count from here */
	int64_t mono_to_real; /* add to a CLOCK_MONOTONIC ns for wall time */
};

#define SETTLE_MAX_NS 1000000000ull /* the longest a call in flight holds back settled_ns */

struct sink;
struct sink_ops {
	void (*begin)(struct sink *s, const struct trace_header *h);
	void (*call)(struct sink *s, const struct call *c);
	void (*proc)(struct sink *s, const struct proc_event *p);
	/*
	 * A drain is over (may be NULL).  Each call that returned before
	 * settled_ns has come (but for one whose record is still being
	 * written), and no connect or send begun before it is still in the
	 * kernel (but for one there over a second): a view that holds rows to
	 * put them in order may show those some way before it.
	 */
	void (*flush)(struct sink *s, uint64_t settled_ns);
	/* n records were lost since the last drain: marked after its calls (may be NULL) */
	void (*lost)(struct sink *s, uint64_t ts, uint64_t n);
	void (*summary)(struct sink *s, const struct summary *sum); /* -c and friends */
	void (*end)(struct sink *s, const struct trace_footer *f);
	int reads_settled; /* flush's settled_ns is worth a look at the calls in flight */
};

struct sink {
	const struct sink_ops *ops;
	FILE *out;
	struct sink_opts opts;
	void *priv;	  /* the sink's own state, from begin to end */
	int write_errno;  /* a file of the sink's own could not be written (-ff -o's) */
	uint64_t prev_ts; /* -r: the time of the line before */
};

extern const struct sink_ops text_sink_ops;
extern const struct sink_ops json_sink_ops;

extern const struct sink_ops sequence_sink_ops;
extern const struct sink_ops gantt_sink_ops;
extern const struct sink_ops perfetto_sink_ops;

void summary_text(struct sink *s, const struct summary *sum);
/* The text views' last line: what ended the trace, the calls, what was lost. */
void text_footer(struct sink *s, const struct trace_footer *f);
/*
 * -s: the payload bytes escaped as strace does (\r, \n, \", \xNN), at most
 * 4 per byte; or all as \xNN, as strace -x does (hex HEX_NOT_TEXT: those
 * with a byte that is neither text nor white space) and -xx (HEX_ALL)
 */
enum { HEX_BYTES, HEX_NOT_TEXT, HEX_ALL };
#define PAYLOAD_TEXT_MAX (NT_PAYLOAD_MAX * 4 + 1)
size_t format_payload(const struct call_data *d, int hex, char *buf, size_t len);
/* the same in quotes, '...' after them when the call moved more: "GET / HTTP/1.1\r\n"... */
#define PAYLOAD_QUOTED_MAX (PAYLOAD_TEXT_MAX + 5)
size_t format_payload_quoted(const struct call_data *d, int hex, char *buf, size_t len);
/* "= 5 (queue: 0 of 4096)", "= -EAGAIN" (between red and reset), "= ? <unfinished>" */
size_t format_result(const struct call *c, char *buf, size_t len, const char *red,
		     const char *reset);
/*
 * "tcp SYN_SENT → ESTABLISHED", "tcp stays FIN_WAIT1", "tcp ESTABLISHED →
 * CLOSE, RST sent": the states a call's socket went through, if has_states
 */
int has_states(const struct call_path *p);
size_t format_states(const struct call_path *p, char *buf, size_t len);
/* "main → serve → send+0x1c (libc.so.6)": a call's user frames in the order asked */
size_t format_user_stack(const struct call_user *u, int outer_first, char *buf, size_t len);
void summary_json(struct sink *s, const struct summary *sum);
struct json;
/* "frames": [{addr, symbol, offset, module, file, line, call_site}...], innermost first */
void json_user_frames(struct json *j, const struct call_user *u);
/* "local_name", "peer_name": a unix socket's bound names, bare, where known */
void json_sock_names(struct json *j, const struct call_sock *sk);

/* "connect(3, 127.0.0.1:8080)": a call (or io_uring request) and its arguments */
size_t format_call(const struct call *c, char *line, size_t len, int color);
/*
 * Where the TIME of a line at ts counts from: tracing's start, or with -r the
 * line before (a call still in the kernel at the end, before it: its TIME is 0).
 */
uint64_t sink_time_origin(struct sink *s, uint64_t ts);

/* A line's TIME (seconds, -r's delta or -t's wall clock), right-aligned; its length */
size_t sink_fmt_time(struct sink *s, uint64_t ts, char *buf, size_t len);
/* the TIME column's width */
int sink_time_width(const struct sink *s);

/* "exited 0", "killed by SIGTERM" */
char *fmt_wait_status(int status, char *buf, size_t len);

#endif /* SINK_H */
