// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * A traced session: check we may trace, pick the targets (launch a held
 * child, or resolve running processes), attach the probes, then drain the
 * ring buffer into the sink until the target ends, the time is up or a signal
 * comes.  BPF links are owned by this process, so every exit path - even a
 * crash - leaves nothing attached.
 *
 * `run` holds its child on a pipe until every probe is attached, so the very
 * first call the command makes is traced, and exits with the child's status.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/types.h>
#include "socktrace.h"
#include "batch.h"
#include "collect.h"
#include "decode.h"
#include "kpath.h"
#include "log.h"
#include "output.h"
#include "peers.h"
#include "pipeline.h"
#include "probes.h"
#include "record.h"
#include "record_meta.h"
#include "procs.h"
#include "session.h"
#include "sink.h"
#include "targets.h"
#include "unfinished.h"
#include "uframes.h"
#include "usyms.h"
#include "util.h"

#define SIGNAL_GRACE_NS                                                                            \
	500000000ull /* a signalled child gets this long to exit: all stops within 1 s */
#define LIVENESS_EVERY_NS  250000000ull
#define DEMO_SETTLE_NS	   1000000000ull /* a demo server's last closes: its listener left */
#define DEMO_TERM_AGAIN_NS 100000000ull	 /* its SIGTERM again, if it is still there */
#define BATCH_BYTES	   (1u << 20)

static volatile sig_atomic_t exiting;
static volatile sig_atomic_t forward; /* the signal was sent to us alone */

/* A terminal's Ctrl-C reaches the whole foreground group, the command too
 * (SI_KERNEL); a kill(1) of socktrace reaches only socktrace (SI_USER): only
 * that one is passed on, so the command never gets it twice. */
static void on_signal(int sig, siginfo_t *si, void *uctx)
{
	(void)uctx;
	exiting = sig;
	forward = si->si_code != SI_KERNEL;
}

struct session {
	const struct config *cfg;
	struct sink sink;
	FILE *out;
	struct probes *probes;
	struct collect *collect;
	struct batch *batch;		       /* one drain's records, put in time order */
	struct pipeline pipe;		       /* records -> model -> sink */
	struct targets live;		       /* attach, run's forks: processes still traced */
	int follow_live;		       /* track forks in live */
	uint64_t next_interval, last_interval; /* --interval */
	uint64_t interval_calls;	       /* --interval: the calls of the tables printed */
	const char *hook_note[HOOK_MAX];
	uint64_t unfinished_hidden; /* calls in flight at the stop that -Z or --min-duration hide */
	uint64_t lost_marked;	    /* records lost that the trace has said */
	uint64_t last_ts;	    /* the latest record handed on: a loss came after it */
	uint64_t settled_ns; /* for the drain's flush: what came before it is whole (sink.h) */
	/* --record: what of the stacks and callees met is in the file */
	uint8_t stacks_written[PIPE_STACK_IDS / 8];
	int callees_written;
	unsigned rec_blocks;
	int out_errno; /* the trace's first failed write */
	int failed;    /* the trace or the recording is not whole: exit 1 */
};

static void follow_fork(void *ctx, uint32_t pid)
{
	struct session *s = ctx;

	if (!s->follow_live)
		return;
	if (s->live.n == TARGETS_MAX) /* a command that forks thousands: drop those gone */
		targets_prune(&s->live);
	targets_add(&s->live, pid);
}

static void dispatch(void *ctx, const struct ev_hdr *h, size_t size)
{
	struct session *s = ctx;

	if (h->ts_ns > s->last_ts)
		s->last_ts = h->ts_ns;
	pipeline_record(&s->pipe, h, size);
}

/*
 * The kernel stacks and callee functions met since the last snapshot, and
 * the symbols of their frames (left NULL when there are none); 0 or -1.
 */
static int new_stacks(struct session *s, char **stacks, size_t *len, char **syms)
{
	uint8_t todo[PIPE_STACK_IDS / 8];
	uint64_t callees[64];
	int n = kpath_callees(s->pipe.kpath.cache, callees, sizeof(callees) / sizeof(callees[0]));
	int from = s->callees_written, any = n > from;

	for (size_t i = 0; i < sizeof(todo); i++) {
		todo[i] = s->pipe.stacks_seen[i] & ~s->stacks_written[i];
		s->stacks_written[i] |= todo[i];
		any |= todo[i];
	}
	if (!any)
		return 0;
	s->callees_written = n;
	return rec_snapshot(todo, PIPE_STACK_IDS, probes__stack, callees + from, n - from,
			    probes__ksyms(s->probes), s->probes, stacks, len, syms);
}

/*
 * What the records so far name and the recording lacks: kernel stacks,
 * their symbols, user frames.  With footer, the recording's end: it is
 * closed whatever happens.
 */
static int names_out(struct session *s, const char *footer)
{
	char *stacks = NULL, *syms = NULL;
	char *usyms = s->pipe.named ? uframes__text(s->pipe.named) : NULL;
	size_t len = 0;
	int ret = new_stacks(s, &stacks, &len, &syms);

	if (ret < 0 || (s->pipe.named && !usyms)) {
		ret = -ENOMEM;
		if (footer)
			record__abort(s->pipe.rec);
	} else if (footer)
		ret = record__finish(s->pipe.rec, stacks, len, syms, usyms, footer);
	else
		ret = record__names(s->pipe.rec, stacks, len, syms, usyms);
	free(stacks);
	free(syms);
	free(usyms);
	return ret;
}

/* A block went to the recording: what it names follows, so a killed socktrace's file shows it all. */
static void record_names(struct session *s)
{
	if (!s->pipe.rec || record__blocks(s->pipe.rec) == s->rec_blocks)
		return;
	s->rec_blocks = record__blocks(s->pipe.rec);
	names_out(s, NULL);
}

/*
 * Why the trace could not be written is kept for the end (finish): a closed
 * pipe is `| head` having what it wanted, anything else a trace cut short.
 * Kept here, as it happens: a stream that failed may flush clean afterwards.
 */
static void out_flush(struct session *s)
{
	if (fflush(s->out) && !s->out_errno)
		s->out_errno = errno;
}

/*
 * Records lost since the drain before: said where they were, after the
 * drain's calls (the ring was full behind them), not only in the footer.
 * The sequence view holds its rows a drain: the mark is held with them.
 */
static void mark_lost(struct session *s)
{
	uint64_t lost;

	if (!s->probes || s->cfg->summary)
		return;
	lost = probes__lost(s->probes);
	if (lost > s->lost_marked) {
		struct ev_lost ev = {
			.hdr = {.ts_ns = s->last_ts ? s->last_ts : mono_ns(),
				.type = EV_LOST,
				.size = sizeof(ev)},
			.count = lost - s->lost_marked,
		};

		pipeline_record(&s->pipe, &ev.hdr, sizeof(ev));
		s->lost_marked = lost;
	}
}

static void flush(struct session *s)
{
	batch__flush(s->batch, dispatch, s);
	pipeline_drain_end(&s->pipe, s->settled_ns);
	record_names(s);
	out_flush(s);
}

/* A trace that could not be written stops tracing (why: out_flush). */
static int out_failed(const struct session *s)
{
	return ferror_unlocked(s->out) || s->sink.write_errno ? -EPIPE : 0;
}

static int on_record(void *ctx, const struct ev_hdr *h, size_t size)
{
	struct session *s = ctx;

	if (s->pipe.usyms && h->type == EV_CALL && size >= sizeof(struct ev_call) &&
	    ((const struct ev_call *)h)->flags & NT_F_MAPS_NEW)
		usyms__snapshot(s->pipe.usyms, h->tgid);
	if (batch__add(s->batch, h, size)) {
		flush(s);
		batch__add(s->batch, h, size);
	}
	return out_failed(s);
}

/*
 * -c and friends: the kernel's counters as a table; with --interval, those of
 * the interval, each call in one table.  Returns the calls counted.
 */
static uint64_t print_summary(struct session *s, uint64_t interval_ns, uint64_t end)
{
	static struct nt_count counts[NT_COUNT_SLOTS];
	static struct summary sum;
	struct nt_conn *conns = NULL;
	int n;

	if (probes__counts(s->probes, counts))
		return 0;
	summary_build(&sum, counts, s->cfg->sort);
	sum.interval_ns = interval_ns;
	sum.interval_end = interval_ns ? end - s->sink.opts.t0_mono : 0;
	sum.histogram = s->cfg->histogram;
	sum.conns = NULL;
	sum.nconns = 0;
	sum.conns_evicted = 0;
	sum.conns_ended_before = 0;
	if (s->cfg->by_conn && (n = probes__conns(s->probes, &conns)) >= 0) {
		uint64_t st[NT_STAT_MAX] = {};

		summary_conns(&sum, conns, n);
		summary_conns_exited(&sum, s->pipe.exits.at, s->pipe.exits.n);
		/* a live profile of a server with churn: each table its own connections */
		if (interval_ns)
			summary_conns_since(&sum, end - interval_ns);
		probes__stats(s->probes, st);
		if (st[NT_STAT_CONNS] > (uint64_t)n)
			sum.conns_evicted = st[NT_STAT_CONNS] - n;
	}
	s->sink.ops->summary(&s->sink, &sum);
	free(conns);
	free(sum.conns);
	return sum.calls;
}

/* -C: the table of the calls the timeline showed, counted as they were (pipeline.c). */
static struct nt_count shown_counts[NT_COUNT_SLOTS];

static void print_shown_summary(struct session *s)
{
	static struct summary sum;

	summary_build(&sum, shown_counts, s->cfg->sort);
	sum.after_timeline = 1;
	s->sink.ops->summary(&s->sink, &sum);
}

/* --interval: a summary when the interval is up. */
static void maybe_interval(struct session *s)
{
	uint64_t now = mono_ns();

	if (!s->cfg->interval_ns || now < s->next_interval)
		return;
	if (s->next_interval)
		s->interval_calls += print_summary(s, now - s->last_interval, now);
	s->last_interval = now;
	s->next_interval = now + s->cfg->interval_ns;
}

static void earliest_start(void *ctx, uint32_t tid, const struct inflight *in)
{
	uint64_t *settled = ctx;

	(void)tid;
	if (peers__sys_may_start(in->sys) && in->p.ts < *settled)
		*settled = in->p.ts;
}

/*
 * settled_ns (sink.h) for the drain to come: now, or the start of the
 * earliest connect or send still in the kernel, which the sequence view
 * stands where it began; a second ago at the earliest (a send on a full
 * buffer may wait for ever).  Looked at before the drain, so a call that
 * returns after the look is in the ring when the drain reads it.
 */
static uint64_t settled_before_drain(const struct session *s)
{
	uint64_t now = mono_ns(), settled = now;

	if (!s->sink.ops->reads_settled || !s->probes)
		return now;
	probes__inflight(s->probes, earliest_start, &settled);
	return settled + SETTLE_MAX_NS < now ? now - SETTLE_MAX_NS : settled;
}

/* One drain cycle: wait briefly, read what came, print it in time order. */
static int poll_once(struct session *s)
{
	int r;

	s->settled_ns = settled_before_drain(s);
	r = collect__poll(s->collect);

	flush(s);
	mark_lost(s);
	maybe_interval(s);
	return r < 0 ? r : out_failed(s);
}

/* Both files before tracing begins: one that cannot be written stops it. */
static int open_output(struct session *s)
{
	if (output_open(s->cfg, &s->sink, &s->out))
		return -1;
	if (s->cfg->record && !(s->pipe.rec = record__open(s->cfg->record))) {
		err("cannot write the recording '%s': %s", s->cfg->record, strerror(errno));
		return -1;
	}
	return 0;
}

/* Nothing to do but be a handler: the drain's wait ends early when a command exits. */
static void on_child(int sig)
{
	(void)sig;
}

static void install_signals(void)
{
	struct sigaction sa = {.sa_sigaction = on_signal, .sa_flags = SA_SIGINFO};
	struct sigaction chld = {.sa_handler = on_child, .sa_flags = SA_RESTART | SA_NOCLDSTOP};

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	/*
	 * epoll_wait returns on any handled signal, restartable or not: a
	 * traced command's exit is seen at once, not at the next 10 ms drain.
	 * Other calls restart, so no write of the output is cut short.
	 */
	sigemptyset(&chld.sa_mask);
	sigaction(SIGCHLD, &chld, NULL);
	/* a closed output pipe is seen as a write error, and tracing stops cleanly */
	signal(SIGPIPE, SIG_IGN);
}

static int session_start(struct session *s, const uint32_t *pids, int npids)
{
	const struct config *cfg = s->cfg;
	struct probe_opts po = {
		.sys_on = cfg->sys_on,
		.follow = cfg->follow,
		.buffer_bytes = cfg->buffer_bytes,
		.tgids = pids,
		.ntgids = npids,
		.mechanism = cfg->mechanism,
		.uring = cfg->sys_on[NT_SYS_IO_URING_ENTER],
		.kstack = cfg->kstack,
		.ustack = cfg->ustack,
		.payload = cfg->payload,
		.count = cfg->summary,
		.conns = cfg->by_conn,
		.status = cfg->status,
		.min_dur_ns = cfg->min_dur_ns,
		.ports = cfg->ports,
		.nports = cfg->nports,
	};
	const struct probe_report *r;

	s->pipe.sink = &s->sink;
	s->pipe.summary = cfg->summary;
	s->pipe.track_exits = cfg->by_conn;
	if (cfg->with_summary) {
		s->pipe.agg = shown_counts;
		s->pipe.show_too = 1;
	}
	s->pipe.on_fork = follow_fork;
	s->pipe.usyms = cfg->ustack ? usyms__new(cfg->ustack > 1) : NULL;
	/* a recording keeps the names: report has neither the processes nor their files */
	s->pipe.named = cfg->ustack && cfg->record ? uframes__new() : NULL;
	s->pipe.stack_filter = cfg->stack_filter;
	s->pipe.ctx = s;
	procs__init(&s->pipe.procs, pids, npids, cfg->verbose > 0);
	s->probes = probes__new(&po);
	if (!s->probes)
		return -errno;
	r = probes__report(s->probes);
	for (int h = 0; h < HOOK_MAX; h++)
		s->hook_note[h] = r->hooks[h].note;
	s->pipe.kpath = (struct kpath_ctx){
		.ksyms = probes__ksyms,
		.stack = probes__stack,
		.stack_ctx = s->probes,
		.want_stacks = cfg->kstack,
		.hook_note = s->hook_note,
		.cache = kpath_cache_new(),
	};
	s->batch = batch__new(BATCH_BYTES);
	if (!s->batch)
		return -errno;
	s->collect = collect__new(probes__ringbuf_fd(s->probes), on_record, s);
	if (!s->collect)
		return -errno;
	return 0;
}

static void set_clock(struct session *s)
{
	uint64_t best = UINT64_MAX;

	/* the realtime-monotonic offset, from the tightest of a few paired reads */
	for (int i = 0; i < 3; i++) {
		uint64_t m1 = mono_ns(), r = real_ns(), m2 = mono_ns();

		if (m2 - m1 < best) {
			best = m2 - m1;
			s->sink.opts.mono_to_real = (int64_t)(r - (m1 + m2) / 2);
		}
	}
	s->sink.opts.t0_mono = mono_ns();
	if (s->probes)
		probes__set_start(s->probes, s->sink.opts.t0_mono);
}

static void begin(struct session *s, const char *what, const uint32_t *pids, int npids)
{
	struct trace_header h = {
		.what = what,
		.mechanism = "raw syscall tracepoints",
		/* -c loads no path programs */
		.path = s->cfg->summary ? "counted in the kernel, no kernel paths"
					: probes__report(s->probes)->summary,
		.uring = probes__report(s->probes)->uring ? URING_TRACED
			 : *probes__report(s->probes)->uring_why
				 ? probes__report(s->probes)->uring_why
				 : NULL,
		.mode = s->cfg->cmd == CMD_ATTACH ? "attach"
			: s->cfg->cmd == CMD_DEMO ? "demo"
						  : "run",
		.pids = pids,
		.npids = npids,
		.closes_missing = !s->cfg->sys_on[NT_SYS_CLOSE] ||
				  s->cfg->status == NT_STATUS_FAILED || s->cfg->min_dur_ns,
		.kernel_stacks = s->cfg->kstack,
	};

	s->sink.ops->begin(&s->sink, &h);
	out_flush(s);
	/* as strace -o says it attached: a trace into a file leaves the terminal silent */
	if (s->out != stdout && !s->cfg->quiet)
		fprintf(stderr, "socktrace: tracing %s into '%s'%s%s\n", what, s->cfg->output,
			s->cfg->per_thread ? " and a file per thread beside it ('.TID' added)" : "",
			s->cfg->cmd == CMD_ATTACH && !s->cfg->duration_ns ? "; Ctrl-C to stop"
									  : "");
	if (s->pipe.rec) {
		char *text = rec_header_text(&h, &s->sink.opts, s->hook_note);
		int e = text ? record__start(s->pipe.rec, text) : -ENOMEM;

		if (e) {
			err("cannot write the recording '%s': %s", s->cfg->record, strerror(-e));
			s->failed = 1;
			record__abort(s->pipe.rec);
			s->pipe.rec = NULL;
		}
		free(text);
	}
}

/* The recording's end: the last of what its records name, the footer. */
static void record_end(struct session *s, const struct trace_footer *f)
{
	char *footer = rec_footer_text(f);
	int ret = -ENOMEM;

	if (footer)
		ret = names_out(s, footer);
	else
		record__abort(s->pipe.rec);
	s->pipe.rec = NULL;
	if (ret) {
		err("the recording '%s' is incomplete: %s", s->cfg->record,
		    strerror(ret < 0 ? -ret : EIO));
		s->failed = 1;
	}
	free(footer);
}

struct stopped {
	struct session *s;
	uint64_t now_ns;
};

/* A call still in flight when tracing stopped: shown as unfinished. */
static void add_unfinished(void *ctx, uint32_t tid, const struct inflight *in)
{
	struct stopped *st = ctx;
	struct unfinished_buf b;
	size_t n = unfinished_record(tid, in, st->now_ns, &b);
	const struct config *cfg = st->s->cfg;

	if (!n)
		return;
	/* it has not failed (yet), has lasted this long so far, and its socket is read at its end */
	if ((b.ev.flags & NT_F_UNFINISHED) &&
	    (cfg->status || b.ev.dur_ns < cfg->min_dur_ns || cfg->nports)) {
		st->s->unfinished_hidden++;
		return;
	}
	on_record(st->s, &b.ev.hdr, n);
}

struct seeding {
	struct session *s;
	uint32_t pid;
};

/* A call a thread of an attached process was in before tracing began. */
static void seed_call(void *ctx, uint32_t tid, long nr, const uint64_t args[6])
{
	struct seeding *sd = ctx;

	probes__seed_inflight(sd->s->probes, sd->pid, tid, nr, args, mono_ns());
}

/* "4M": a --buffer-size as the option takes it (a power of two from 8K) */
static void fmt_ring_size(uint64_t bytes, char *buf, size_t len)
{
	const char *unit = bytes >= 1u << 30 ? "G" : bytes >= 1u << 20 ? "M" : "K";
	int shift = *unit == 'G' ? 30 : *unit == 'M' ? 20 : 10;

	snprintf(buf, len, "%llu%s", (unsigned long long)(bytes >> shift), unit);
}

/* Calls lost to a full ring: what would keep them, said once at the end. */
static void ring_full_hint(uint32_t bytes, uint64_t lost)
{
	char now[16], bigger[16], more[64] = "";

	fmt_ring_size(bytes, now, sizeof(now));
	if (bytes < CLI_BUFFER_MAX) {
		fmt_ring_size(bytes < CLI_BUFFER_MAX / 4 ? (uint64_t)bytes * 4 : CLI_BUFFER_MAX,
			      bigger, sizeof(bigger));
		snprintf(more, sizeof(more), "give it more (--buffer-size %s), ", bigger);
	}
	warn("the ring buffer (--buffer-size %s) was full for %llu record%s: %strace less (-e, "
	     "--ports, -Z) or count in the kernel (-c)",
	     now, (unsigned long long)lost, plural(lost), more);
}

/* Detaches, drains what is left, shows the calls still in flight, writes the footer. */
static void finish(struct session *s, const char *what, int has_exit, int exit_status)
{
	uint64_t st[NT_STAT_MAX] = {};
	struct trace_footer f = {.what = what, .has_exit = has_exit, .exit_status = exit_status};
	int timeline = s->probes && !s->cfg->summary;

	if (s->collect) {
		/* detached first: no call returns between the last drain and the look */
		if (timeline)
			probes__detach(s->probes);
		collect__drain(s->collect);
		if (timeline) {
			struct stopped stop = {s, mono_ns()};

			probes__inflight(s->probes, add_unfinished, &stop);
		}
		s->settled_ns = UINT64_MAX;
		flush(s);
		mark_lost(s);
	}
	if (s->probes)
		probes__stats(s->probes, st);
	if (s->cfg->summary && s->probes && !ferror(s->out)) { /* and the interval cut short */
		uint64_t now = mono_ns();

		f.calls = s->interval_calls +
			  print_summary(s, s->last_interval ? now - s->last_interval : 0, now);
	} else {
		f.calls = s->pipe.calls;
	}
	if (s->cfg->with_summary && s->probes && !ferror(s->out))
		print_shown_summary(s);
	f.requests = s->pipe.requests;
	f.filtered = s->pipe.filtered;
	f.not_shown = st[NT_STAT_NOT_SHOWN] + s->unfinished_hidden;
	f.result_filter = cli_filters(s->cfg);
	f.lost_ureq = st[NT_STAT_LOST_UREQ] + st[NT_STAT_LOST_UREQ_RINGBUF];
	f.lost_ringbuf = st[NT_STAT_LOST_RINGBUF] + st[NT_STAT_LOST_UNAME];
	f.lost_inflight = st[NT_STAT_LOST_INFLIGHT];
	f.lost_proc = st[NT_STAT_LOST_PROC];
	f.follow_full = st[NT_STAT_FOLLOW_FULL];
	/* the same counters the marks in the trace count (nt_stat_is_loss) */
	f.lost = s->pipe.bad + (s->collect ? collect__bad(s->collect) : 0);
	for (uint32_t k = 0; k < NT_STAT_MAX; k++)
		f.lost += nt_stat_is_loss(k) ? st[k] : 0;
	if (s->probes) /* into a stream that failed too: the sink's state is freed there */
		s->sink.ops->end(&s->sink, &f);
	if (s->pipe.rec)
		record_end(s, &f);
	if (s->out != stdout && !s->cfg->quiet) {
		/* the footer again where the user is looking: its counts and losses */
		struct sink term = {.out = stderr};

		text_footer(&term, &f);
	} else if (f.lost && s->cfg->quiet)
		warn("%llu event%s lost (ring buffer full: %llu, calls in flight: %llu)",
		     (unsigned long long)f.lost, plural(f.lost), (unsigned long long)f.lost_ringbuf,
		     (unsigned long long)f.lost_inflight);
	if (f.lost_ringbuf && s->probes)
		ring_full_hint(s->cfg->buffer_bytes, f.lost_ringbuf);
	out_flush(s);
	if (ferror(s->out) && !s->out_errno)
		s->out_errno = EIO;
	if (s->out_errno && s->out_errno != EPIPE) {
		output_failed(s->cfg, "trace", s->out_errno);
		s->failed = 1;
	}
	if (s->sink.write_errno) /* -ff -o's files: said as it happened */
		s->failed = 1;
}

static void session_free(struct session *s)
{
	collect__free(s->collect);
	batch__free(s->batch);
	probes__free(s->probes);
	kpath_cache_free(s->pipe.kpath.cache);
	pipeline_free_exits(&s->pipe);
	usyms__free(s->pipe.usyms);
	uframes__free(s->pipe.named);
	record__abort(s->pipe.rec); /* tracing never began */
	if (s->out && s->out != stdout)
		fclose(s->out);
	else if (s->out)
		fflush(s->out);
}

/* The child: wait for the go byte, then become the command. */
static void __attribute__((noreturn)) child_exec(int gate, char **argv)
{
	char go;

	if (read(gate, &go, 1) != 1)
		_exit(1); /* socktrace went away before tracing began */
	close(gate);
	execvp(argv[0], argv);
	fprintf(stderr, "socktrace: %s: %s\n", argv[0],
		errno == ENOENT ? "command not found" : strerror(errno));
	_exit(errno == ENOENT ? 127 : 126);
}

static int wait_status_to_exit(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + WTERMSIG(status);
}

/* A child that waits on *gate_w's pipe, then execs argv (its stdout to out_fd if >= 0). */
static pid_t spawn_held(char **argv, int *gate_w, int out_fd)
{
	int gate[2];
	pid_t pid;

	if (pipe2(gate, O_CLOEXEC)) {
		err("failed to create a pipe: %s", strerror(errno));
		return -1;
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		err("failed to fork: %s", strerror(errno));
		close(gate[0]);
		close(gate[1]);
		return -1;
	}
	if (pid == 0) {
		close(gate[1]);
		/* the command gets the std fds socktrace was given: closed ones closed */
		for (int fd = 0; fd <= 2; fd++)
			if (std_fds_closed & (1u << fd))
				close(fd);
		if (out_fd >= 0 && dup2(out_fd, STDOUT_FILENO) < 0)
			_exit(1);
		child_exec(gate[0], argv);
	}
	close(gate[0]);
	*gate_w = gate[1];
	return pid;
}

static int release(int *gate_w)
{
	int ok = write(*gate_w, "g", 1) == 1;

	close(*gate_w);
	*gate_w = -1;
	return ok ? 0 : -1;
}

static const char *base_name(const char *path)
{
	return strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
}

/*
 * The demo's server and client speak on stdout: the server's first line says
 * it listens (the client is released then), the others are their summaries.
 * Passed on to stderr so they never mix with the trace, after the calls
 * traced so far: a client's report reads after the round trips it counts.
 */
static int pump_lines(struct session *s, int fd, char *buf, size_t *len, size_t cap)
{
	int lines = 0;
	ssize_t n;

	while ((n = read(fd, buf + *len, cap - 1 - *len)) > 0) {
		char *nl;

		*len += n;
		buf[*len] = 0;
		while ((nl = strchr(buf, '\n'))) {
			*nl = 0;
			if (!lines && s->collect) {
				collect__drain(s->collect);
				/* what came is shown before the report */
				s->settled_ns = UINT64_MAX;
				flush(s);
			}
			fprintf(stderr, "%s\n", buf);
			lines++;
			memmove(buf, nl + 1, *len - (nl + 1 - buf) + 1);
			*len -= nl + 1 - buf;
		}
		if (*len == cap - 1)
			*len = 0; /* a line too long to keep: dropped */
	}
	return lines;
}

/* "sleep, pid 7"; "pids 7, 8, 9, 10, ..." */
static const char *fmt_pids(const struct targets *t, char *buf, size_t len)
{
	size_t o = 0;
	char comm[32];

	if (t->n == 1) {
		proc_comm(t->pids[0], comm, sizeof(comm));
		o = snprintf(buf, len, "%s, ", printable(comm));
	}
	if (o < len)
		targets_fmt_pids(t, 4, buf + o, len - o);
	return buf;
}

/* The command exited and left processes running: say why tracing goes on. */
static void note_left_running(const struct session *s, const char *comm, int status)
{
	char st[64], pids[96];

	if (s->cfg->quiet)
		return;
	fprintf(stderr,
		"socktrace: %s %s; tracing what it left running (%s) until it exits; "
		"Ctrl-C stops\n",
		comm, fmt_wait_status(status, st, sizeof(st)),
		fmt_pids(&s->live, pids, sizeof(pids)));
}

int session_launch(const struct config *cfg, const struct launch *l)
{
	static struct session s;
	int gate = -1, cgate = -1, out[2] = {-1, -1}, status = 0, cstatus = 0, ret = 1;
	int child_done = 0, companion_done = !l->companion, npids = 1, cret = 0, failed,
	    client_held;
	uint64_t grace_end = 0, deadline = 0, settle_end = 0, next_check = 0, term_again = 0;
	char what[300], comm[64], st[64], lines[1024];
	size_t lines_len = 0;
	pid_t child, companion = -1, w = -1;
	uint32_t pids[2];

	s.cfg = cfg;
	/* as strace -f: what the command left running is traced until it exits */
	s.follow_live = cfg->follow && !l->companion;
	if (probes_check_host() || open_output(&s))
		goto cleanup;
	if (l->companion && pipe2(out, O_CLOEXEC | O_NONBLOCK)) {
		err("failed to create a pipe: %s", strerror(errno));
		goto cleanup;
	}
	child = spawn_held(l->argv, &gate, out[1]);
	if (child < 0)
		goto cleanup;
	pids[0] = child;
	if (l->companion) {
		/* the client's report goes with the server's lines, off the trace */
		companion = spawn_held(l->companion, &cgate, out[1]);
		close(out[1]);
		out[1] = -1;
		if (companion < 0) {
			close(gate);
			waitpid(child, NULL, 0);
			goto cleanup;
		}
		if (l->trace_companion)
			pids[npids++] = companion;
	}
	install_signals();
	if (session_start(&s, pids, npids)) {
		/* the held children exit without running anything */
		close(gate);
		waitpid(child, NULL, 0);
		if (cgate >= 0) {
			close(cgate);
			waitpid(companion, NULL, 0);
		}
		goto cleanup;
	}
	snprintf(comm, sizeof(comm), "%s", l->name ? l->name : base_name(l->argv[0]));
	printable(comm);
	if (npids > 1)
		snprintf(what, sizeof(what), "%s (pid %u) and its client (pid %u)", comm, pids[0],
			 pids[1]);
	else
		snprintf(what, sizeof(what), "%s (pid %u)", comm, pids[0]);
	set_clock(&s);
	begin(&s, what, pids, npids);
	if (cfg->duration_ns)
		deadline = mono_ns() + cfg->duration_ns;
	if (release(&gate)) {
		err("failed to release the command: %s", strerror(errno));
		goto cleanup;
	}

	for (;;) {
		int r = poll_once(&s);

		if (out[0] >= 0 && pump_lines(&s, out[0], lines, &lines_len, sizeof(lines)) &&
		    cgate >= 0 && release(&cgate))
			err("failed to start the client: %s", strerror(errno));
		if (!companion_done && waitpid(companion, &cstatus, WNOHANG) == companion) {
			companion_done = 1;
			cret = wait_status_to_exit(cstatus);
			settle_end = mono_ns() + DEMO_SETTLE_NS;
		}
		/* the client is done: so is the demo, once the server has closed
		 * what the client closed (the story ends with its closes) */
		if (settle_end && (proc_sockets(child) <= 1 || mono_ns() > settle_end)) {
			kill(child, SIGTERM);
			settle_end = 0;
			term_again = mono_ns() + DEMO_TERM_AGAIN_NS;
		}
		/* a SIGTERM that came between the server's look at its flag and its
		 * wait is spent, and the server waits on: another */
		if (term_again && !child_done && mono_ns() > term_again) {
			kill(child, SIGTERM);
			term_again = mono_ns() + DEMO_TERM_AGAIN_NS;
		}
		if (!child_done && waitpid(child, &status, WNOHANG) == child) {
			child_done = 1;
			if (!s.follow_live)
				break;
			/* its forks' records are in the buffer: read before looking */
			r = poll_once(&s);
		}
		if (child_done && mono_ns() >= next_check) {
			targets_prune(&s.live);
			if (!s.live.n)
				break;
			if (!next_check)
				note_left_running(&s, comm, status);
			next_check = mono_ns() + LIVENESS_EVERY_NS / 5;
		}
		if (r < 0 || (exiting && child_done))
			break; /* output gone, or a signal once the command is done: stop tracing */
		if (exiting && !grace_end) {
			if (forward && !child_done)
				kill(child, exiting);
			grace_end = mono_ns() + SIGNAL_GRACE_NS;
		}
		if (grace_end && mono_ns() > grace_end)
			break;
		if (deadline && mono_ns() > deadline)
			break;
	}
	/* the server never got ready, or tracing stopped first: the held client
	 * exits without running, and its status is not the demo's */
	if ((client_held = cgate >= 0)) {
		close(cgate);
		waitpid(companion, NULL, 0);
		companion_done = 1;
	}
	if (!companion_done && waitpid(companion, &cstatus, 0) == companion)
		cret = wait_status_to_exit(cstatus);
	if (out[0] >= 0)
		pump_lines(&s, out[0], lines, &lines_len, sizeof(lines));
	if (child_done) {
		ret = cret ? cret : wait_status_to_exit(status);
		snprintf(what, sizeof(what), "%s %s", comm,
			 fmt_wait_status(status, st, sizeof(st)));
		targets_prune(&s.live);
		if (s.live.n)
			snprintf(what + strlen(what), sizeof(what) - strlen(what),
				 "; what it left running goes on (%s)",
				 fmt_pids(&s.live, st, sizeof(st)));
		if (l->companion)
			snprintf(what + strlen(what), sizeof(what) - strlen(what), "; client %s",
				 client_held ? "not started"
					     : fmt_wait_status(cstatus, st, sizeof(st)));
		finish(&s, what, 1, ret);
		ret = s.failed ? 1 : ret;
		goto cleanup;
	}
	/* stopped before the command ended: detach and leave it running */
	snprintf(what, sizeof(what), "stopped tracing %s (pid %u, still running)", comm, pids[0]);
	finish(&s, what, 0, 0);
	failed = s.failed;
	session_free(&s);
	s = (struct session){0};
	if (out[0] >= 0)
		close(out[0]);
	/* --duration or output closed: still its status, unless a signal ends the wait */
	if (l->companion) /* a demo's server: its client is done, as at the end */
		w = stop_server_child(child, &status) ? -1 : child;
	else if (!exiting && !cfg->quiet)
		fprintf(stderr,
			"socktrace: waiting for %s (pid %u) to exit; Ctrl-C stops waiting\n", comm,
			pids[0]);
	while (!l->companion && !exiting && (w = waitpid(child, &status, 0)) < 0 && errno == EINTR)
		;
	ret = exiting ? 128 + exiting : w == child ? wait_status_to_exit(status) : 1;
	/* a demo's server stopped by us before its handler was in: no failure of its own */
	if (l->companion && !exiting && w == child && WIFSIGNALED(status) &&
	    WTERMSIG(status) == SIGTERM)
		ret = 0;
	return failed ? 1 : cret ? cret : ret;
cleanup:
	if (out[0] >= 0)
		close(out[0]);
	if (out[1] >= 0)
		close(out[1]);
	session_free(&s);
	return ret;
}

int session_run(const struct config *cfg)
{
	const char *cmd = cfg->command[0];
	struct stat st;

	/* as the shell says it, and before anything is loaded: there is nothing to trace */
	if (!command_exists(cmd)) {
		err("%s: command not found", cmd);
		return 127;
	}
	/* a path execvp cannot run (PATH's it skips, and says nothing) */
	if (strchr(cmd, '/') && !stat(cmd, &st) && (S_ISDIR(st.st_mode) || access(cmd, X_OK))) {
		err("%s: %s", cmd, S_ISDIR(st.st_mode) ? "Is a directory" : strerror(EACCES));
		return 126;
	}
	/* data read by a program: what the command prints itself would break it */
	if (cfg->format != FMT_TEXT && !cfg->output && !cfg->quiet && !isatty(STDOUT_FILENO))
		warn("%s shares its standard output with the JSON: -o FILE keeps them apart", cmd);
	return session_launch(cfg, &(struct launch){.argv = cfg->command});
}

int session_attach(const struct config *cfg)
{
	static struct session s;
	s.cfg = cfg;
	s.follow_live = cfg->follow;
	struct targets t;
	uint64_t deadline = 0, next_check = 0;
	char what[300];
	int ret = 1;

	if (probes_check_host() || targets_resolve(cfg->targets, cfg->ntargets, &t) ||
	    open_output(&s))
		goto cleanup;
	if (*t.note && !cfg->quiet)
		fprintf(stderr, "socktrace: %s\n", t.note);
	install_signals();
	if (session_start(&s, t.pids, t.n))
		goto cleanup;
	s.live = t;
	targets_prune(&s.live);
	if (!s.live.n) {
		err("%s exited before tracing began", t.desc);
		goto cleanup;
	}
	set_clock(&s);
	/* -c counts calls that began in the trace only, as it always did */
	for (int i = 0; i < s.live.n && !cfg->summary; i++) {
		struct seeding sd = {&s, s.live.pids[i]};

		syscalls_in_progress(sd.pid, seed_call, &sd);
	}
	begin(&s, t.desc, t.pids, t.n);
	if (cfg->duration_ns)
		deadline = mono_ns() + cfg->duration_ns;

	snprintf(what, sizeof(what), "detached from %s", t.desc);
	while (!exiting) {
		uint64_t now;

		if (poll_once(&s) < 0)
			break;
		now = mono_ns();
		if (deadline && now > deadline)
			break;
		if (now > next_check) {
			targets_prune(&s.live);
			next_check = now + LIVENESS_EVERY_NS;
			if (!s.live.n) {
				snprintf(what, sizeof(what), "%s exited", t.desc);
				break;
			}
		}
	}
	finish(&s, what, 0, 0);
	ret = s.failed;
cleanup:
	session_free(&s);
	return ret;
}
