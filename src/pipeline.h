/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * model -> render: raw records in the order they are shown become calls and
 * process events (decoded, their kernel path built) and go to the sink.  The
 * live session and `report` run the same pipeline, so a recording renders
 * as the trace did.
 */
#ifndef PIPELINE_H
#define PIPELINE_H

#include <stddef.h>
#include <stdint.h>
#include <linux/types.h>
#include "socktrace.h"
#include "kpath.h"
#include "procs.h"
#include "sink.h"

struct recorder;
struct usyms;
struct uframes;

#define PIPE_STACK_IDS 8192 /* the stacks map's max_entries */

struct pipeline {
	struct sink *sink;
	struct procs procs;	  /* which process events are shown */
	struct kpath_ctx kpath;	  /* how hits become a kernel path */
	int summary;		  /* -c: the tables alone, no process events */
	struct nt_count *agg;	  /* report -c, -C: counted here, as the kernel would */
	int show_too;		  /* -C: the calls counted are shown as well */
	struct conntab *conns;	  /* report --by conn: counted here, as the kernel would */
	struct recorder *rec;	  /* --record: every record, as shown */
	struct usyms *usyms;	  /* -u: user frames named (NULL: not asked) */
	struct uframes *named;	  /* -u: frames named live, kept for --record; report's source */
	int user_lines;		  /* report -uu: keep the recorded file:line */
	const char *stack_filter; /* --stack-filter: patterns, comma-separated */
	uint8_t stacks_seen[PIPE_STACK_IDS / 8]; /* --record: the stacks to snapshot */
	uint64_t calls, requests, bad;
	uint64_t filtered; /* calls not shown: no frame matched --stack-filter */
	/* report -Z or -z, --min-duration (a live trace has them dropped in the kernel) */
	int status;
	uint64_t min_dur_ns;
	const struct nt_port_range *ports; /* report --ports */
	int nports;
	const unsigned char *sys_on; /* report -e: the calls shown (NULL: all) */
	uint64_t not_shown;	     /* calls and completions they dropped */
	/* --by conn: the processes that exited, and when: their rows still open were
	 * released by the exit */
	int track_exits;
	struct pipe_exits {
		struct proc_exit_at *at;
		int n, cap;
	} exits;
	void (*on_fork)(void *ctx, uint32_t pid); /* attach: follow the new process */
	void *ctx;
};

void pipeline_record(struct pipeline *p, const struct ev_hdr *h, size_t size);
void pipeline_free_exits(struct pipeline *p);
/* A drain is over. */
void pipeline_drain_end(struct pipeline *p, uint64_t settled_ns);

#endif /* PIPELINE_H */
