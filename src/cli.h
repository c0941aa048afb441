/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Command-line parsing for every command into one struct config, validated
 * here.  Pure (no kernel access): tests/unit/test_cli.c drives it.
 */
#ifndef CLI_H
#define CLI_H

#include <stddef.h>
#include <stdint.h>
#include "poison.h"
#include <linux/types.h>
#include "socktrace.h"
#include "hooks.h"

#define EXIT_USAGE 2

enum cmd { CMD_RUN, CMD_ATTACH, CMD_PROBES, CMD_SERVE, CMD_LOAD, CMD_DEMO, CMD_REPORT };
enum out_format { FMT_TEXT, FMT_JSON, FMT_PERFETTO };
enum view { VIEW_LIST, VIEW_SEQUENCE, VIEW_GANTT };
enum color_mode { COLOR_AUTO, COLOR_ALWAYS, COLOR_NEVER };

struct config {
	enum cmd cmd;
	char **command; /* run: argv of the command */
	char **targets; /* attach: PID or NAME words */
	int ntargets;
	const char *output; /* -o */
	const char *record; /* --record FILE */
	const char *report; /* report: the recording */
	enum out_format format;
	enum color_mode color;
	int wall_time;		  /* -t and -tt: HH:MM:SS.uuuuuu; -ttt: epoch seconds */
	int relative_time;	  /* -r */
	int quiet;		  /* -q */
	int verbose;		  /* -v, -vv */
	int follow;		  /* children of traced processes are traced too */
	int per_thread;		  /* -ff -o: each thread's calls in a file of its own */
	int nfollow;		  /* how many -f: two are -ff */
	uint64_t duration_ns;	  /* --duration, 0 = until the end */
	uint32_t buffer_bytes;	  /* --buffer-size: the ring buffer */
	enum mech mechanism;	  /* --mechanism: MECH_AUTO unless forced */
	int kstack;		  /* -k: kernel stacks */
	int ustack;		  /* -u: user stacks (2: -uu, with lines) */
	const char *stack_filter; /* --stack-filter: fnmatch patterns, comma-separated */
	int payload;		  /* -s N: payload bytes kept per call, 0: none */
	int stack_outer_first;	  /* --stack-order outer */
	int stack_order_set;
	int strings_hex; /* -x: HEX_* (sink.h) */
	int strings_hex_set;
	unsigned char sys_on[NT_SYS_MAX]; /* -e: the calls traced */
	int calls_given;		  /* -e was given (report: filter the recording) */
	enum view view;			  /* --view */
	int summary;			  /* -c */
	int with_summary;		  /* -C: the timeline, then a table counted from it */
	int histogram;			  /* --histogram */
	int by_conn;			  /* --by conn */
	int sort;			  /* --sort: enum summary_sort */
	int sort_set;			  /* --sort given: a table must be asked for */
	uint64_t interval_ns;		  /* --interval: print the summary every so often */
	int status;			  /* -Z, -z: enum nt_status */
	uint64_t min_dur_ns;		  /* --min-duration: only calls at least this long */
	struct nt_port_range ports[NT_PORTS_MAX]; /* --ports: only calls on sockets in these */
	int nports;

	/* serve, load and demo */
	const char *backend; /* serve, demo: blocking, select, poll, epoll, io_uring */
	const char *host;    /* --bind (serve, demo) / --host (load) */
	int port;
	int edge, udp, sqpoll;
	int backlog;
	int accept_delay_ms;
	int connections;
	int idle;	   /* --idle: silent connections opened first (load, demo) */
	uint32_t size;	   /* --size: bytes per message */
	uint64_t requests; /* --requests: round trips per connection */
	int slow_ms;	   /* --slow, -1 when not given */
	int trace_client;  /* demo: trace the client too */
	int backlog_set;
	int explain;	  /* demo: a sentence under each new call */
	int compare;	  /* demo --compare */
	int duration_set; /* --duration was given */
};

/*
 * Parses argv (argv[0] is the command name, e.g. "run").  Returns 0, or the
 * exit status to leave with: 0 after --help, EXIT_USAGE after a bad option
 * (argp has printed the message and the usage line).
 */
int cli_parse(enum cmd cmd, int argc, char **argv, struct config *cfg, int *exit_now);
/*
 * ~17k calls: 140 ms of a busy server's (the reader drains every 10 ms).  The
 * kernel maps a ring twice, pages and all, so it is most of the tracer's RSS.
 */
#define CLI_BUFFER_DEFAULT (4u << 20)
#define CLI_BUFFER_MIN	   (8u << 10)
#define CLI_BUFFER_MAX	   (1u << 30)

/* "64K", "16M", "1G" or bytes: a power of two within the limits above; 0 or -EINVAL/-ERANGE */
int cli_parse_size(const char *s, uint32_t *out);
/* --ports LIST ("5432,6379,8000-8099") into ports: their count; -E2BIG for too many,
 * -EINVAL (bad holding the port that is not one, or empty for an empty list) */
int cli_parse_ports(const char *list, struct nt_port_range ports[NT_PORTS_MAX], char *bad,
		    size_t badlen);
/*
 * -e LIST added to sys_on, in strace's syntax too: an optional "trace=", a
 * leading "!" for every call but LIST, "%network" (every call socktrace
 * knows is a network call).  0, or -EINVAL: a word that is neither a
 * category nor a call (copied to bad), or nothing selected (bad left "").
 */
int cli_parse_calls(const char *list, unsigned char *sys_on, char *bad, size_t badlen);
void config_defaults(struct config *cfg, enum cmd cmd);
/* The filters -Z, --min-duration and --ports asked for, as FILTER_* bits (sink.h). */
int cli_filters(const struct config *cfg);

extern const char *const cli_formats[], *const cli_colors[], *const cli_views[];

#endif /* CLI_H */
