// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * socktrace report FILE: a recording rendered again, as live, through the
 * same pipeline and sinks.  Needs no root and no BPF: the kernel stacks and
 * their symbols travel in the file.  The file is checked whole before
 * anything is printed; one cut short shows what it holds, then says so.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "cmd_report.h"
#include "conntab.h"
#include "log.h"
#include "output.h"
#include "pipeline.h"
#include "record.h"
#include "record_meta.h"
#include "uframes.h"
#include "util.h"

#define REPORT_MAX (1ull << 32) /* a recording larger than this is refused */

struct report {
	struct rec_header hdr;
	struct rec_footer ftr;
	int have_header;
	char header_err[300];
	struct text {
		char *s;
		size_t len;
	} syms, usyms; /* the SYMS and USYMS chunks, until parsed into these: */
	struct ksyms *ksyms;
	struct uframes *named; /* -u: the user frames the trace named */
	uint64_t *stacks[PIPE_STACK_IDS];
	int nframes[PIPE_STACK_IDS];
	struct pipeline pipe;
	uint64_t last_ts; /* the latest record's time so far */
};

static void on_header(void *ctx, const char *text, size_t len)
{
	struct report *r = ctx;

	if (!r->have_header &&
	    !rec_header_read(text, len, &r->hdr, r->header_err, sizeof(r->header_err)))
		r->have_header = 1;
}

static void on_stacks(void *ctx, const uint8_t *data, size_t len)
{
	struct report *r = ctx;

	for (size_t o = 0; len - o >= 8;) {
		int32_t id;
		uint32_t n;

		memcpy(&id, data + o, 4);
		memcpy(&n, data + o + 4, 4);
		o += 8;
		if (id < 0 || id >= PIPE_STACK_IDS || n > NT_STACK_DEPTH || n * 8 > len - o)
			break; /* the rest is damaged: those stacks stay unnamed */
		free(r->stacks[id]);
		r->stacks[id] = malloc(n * 8 + 8);
		if (r->stacks[id])
			memcpy(r->stacks[id], data + o, n * 8);
		r->nframes[id] = r->stacks[id] ? (int)n : 0;
		o += n * 8;
	}
}

/* Each SYMS (USYMS) chunk names what the blocks before it met: all of them, together. */
static void append(struct text *t, const char *text, size_t len)
{
	char *more = realloc(t->s, t->len + len);

	if (!more)
		return;
	memcpy(more + t->len, text, len);
	t->s = more;
	t->len += len;
}

static void on_syms(void *ctx, const char *text, size_t len)
{
	append(&((struct report *)ctx)->syms, text, len);
}

static void on_usyms(void *ctx, const char *text, size_t len)
{
	append(&((struct report *)ctx)->usyms, text, len);
}

static void load_names(struct report *r)
{
	FILE *f = r->syms.len ? fmemopen(r->syms.s, r->syms.len, "r") : NULL;

	if (f) {
		r->ksyms = ksyms__parse(f);
		fclose(f);
	}
	if (r->usyms.len)
		r->named = uframes__parse(r->usyms.s, r->usyms.len);
}

static void on_footer(void *ctx, const char *text, size_t len)
{
	struct report *r = ctx;

	rec_footer_read(text, len, &r->ftr);
}

static void on_event(void *ctx, const void *rec, uint32_t size)
{
	struct report *r = ctx;

	if (size >= sizeof(struct ev_hdr) && ((const struct ev_hdr *)rec)->size == size) {
		if (((const struct ev_hdr *)rec)->ts_ns > r->last_ts)
			r->last_ts = ((const struct ev_hdr *)rec)->ts_ns;
		pipeline_record(&r->pipe, rec, size);
	} else
		r->pipe.bad++;
}

static void on_drain(void *ctx)
{
	struct report *r = ctx;

	/* a recording does not say which calls were in flight: as live, none holds back longer */
	pipeline_drain_end(&r->pipe, r->last_ts > SETTLE_MAX_NS ? r->last_ts - SETTLE_MAX_NS : 0);
}

static const struct ksyms *report_ksyms(void *ctx)
{
	return ((struct report *)ctx)->ksyms;
}

static int report_stack(void *ctx, int id, uint64_t *frames, int max)
{
	struct report *r = ctx;
	int n;

	if (id < 0 || id >= PIPE_STACK_IDS || !r->stacks[id])
		return -ENOENT;
	n = r->nframes[id] < max ? r->nframes[id] : max;
	memcpy(frames, r->stacks[id], n * sizeof(*frames));
	return n;
}

/*
 * Read to the end rather than by the size fstat gives: a recording may come
 * down a pipe (`ssh host cat t.rec | socktrace report -`) or still be growing.
 */
static uint8_t *slurp(const char *path, size_t *len)
{
	int fd = strcmp(path, "-") ? open(path, O_RDONLY | O_CLOEXEC) : STDIN_FILENO, e;
	uint8_t *buf = NULL;
	struct stat st;

	if (fd < 0)
		return NULL;
	if (!fstat(fd, &st)) {
		if (S_ISDIR(st.st_mode))
			errno = EISDIR;
		else /* a file's size known, read without growing */
			buf = read_to_end(fd, S_ISREG(st.st_mode) ? (size_t)st.st_size + 1 : 0,
					  REPORT_MAX, len);
	}
	e = errno;
	if (fd != STDIN_FILENO)
		close(fd);
	errno = e;
	return buf;
}

int cmd_report(const struct config *cfg)
{
	static const char no_syms[] =
		"kernel path not visible: the recording ends before its stack was written";
	static struct report r;
	static struct nt_count agg[NT_COUNT_SLOTS];
	struct rec_visitor meta = {.ctx = &r,
				   .header = on_header,
				   .stacks = on_stacks,
				   .syms = on_syms,
				   .usyms = on_usyms,
				   .footer = on_footer};
	struct rec_visitor events = {.ctx = &r, .event = on_event, .drain_end = on_drain};
	struct sink sink = {};
	char errbuf[200];
	size_t len = 0;
	uint8_t *buf = slurp(cfg->report, &len);
	FILE *out = NULL;
	int ret = 1, cut, e;

	if (!buf) {
		err("cannot read the recording '%s': %s", cfg->report, strerror(errno));
		return 1;
	}
	if (!len) {
		err("'%s' is empty: nothing was recorded in it", cfg->report);
		goto out;
	}
	/*
	 * The whole file first: a damaged one is refused before anything is
	 * shown; one cut short (its writer killed) shows what it holds.
	 */
	cut = record__parse(buf, len, &meta, errbuf, sizeof(errbuf));
	if (cut < 0 || (cut && !r.have_header)) {
		err("'%s' is not a usable recording: %s", cfg->report, errbuf);
		goto out;
	}
	if (!r.have_header) {
		err("'%s' is not a usable recording: %s", cfg->report,
		    *r.header_err ? r.header_err : "it has no header");
		goto out;
	}
	load_names(&r);
	if (cfg->ustack && !r.named) {
		err("'%s' has no user stacks: record with -u (or -uu) to name them later",
		    cfg->report);
		goto out;
	}
	if (cfg->kstack && !r.hdr.h.kernel_stacks) {
		err("'%s' has no kernel stacks: record with -k to show them later", cfg->report);
		goto out;
	}
	if (output_open(cfg, &sink, &out))
		goto out;
	sink.opts.t0_mono = r.hdr.t0_mono;
	sink.opts.mono_to_real = r.hdr.mono_to_real;
	r.pipe.sink = &sink;
	r.pipe.summary = cfg->summary;
	r.pipe.track_exits = cfg->by_conn;
	if (cfg->ustack) {
		r.pipe.named = r.named;
		r.pipe.user_lines = cfg->ustack > 1;
		r.pipe.stack_filter = cfg->stack_filter;
	}
	r.pipe.status = cfg->status;
	r.pipe.min_dur_ns = cfg->min_dur_ns;
	r.pipe.ports = cfg->ports;
	r.pipe.nports = cfg->nports;
	if (cfg->calls_given)
		r.pipe.sys_on = cfg->sys_on;
	if (cfg->summary || cfg->with_summary)
		r.pipe.agg = agg;
	if (cfg->by_conn && !(r.pipe.conns = conntab__new())) {
		err("out of memory");
		goto out;
	}
	r.pipe.show_too = cfg->with_summary;
	procs__init(&r.pipe.procs, r.hdr.pids, r.hdr.npids, cfg->verbose > 0);
	r.pipe.kpath = (struct kpath_ctx){.ksyms = report_ksyms,
					  .stack = report_stack,
					  .stack_ctx = &r,
					  .want_stacks = cfg->kstack,
					  .hook_note = r.hdr.note_ptrs,
					  .cache = kpath_cache_new(),
					  .no_ksyms_note = r.ftr.present ? NULL : no_syms};
	sink.ops->begin(&sink, &r.hdr.h);
	record__parse(buf, len, &events, errbuf, sizeof(errbuf));
	if (!r.ftr.present) {
		snprintf(r.ftr.what, sizeof(r.ftr.what), "the recording ends early");
		r.ftr.f.what = r.ftr.what;
		r.ftr.f.calls = r.pipe.calls;
		r.ftr.f.requests = r.pipe.requests;
	}
	if (cfg->summary || cfg->with_summary) {
		static struct summary sum;

		summary_build(&sum, agg, cfg->sort);
		sum.histogram = cfg->histogram;
		sum.after_timeline = cfg->with_summary;
		if (r.pipe.conns) {
			int n;
			struct conn_row *rows = conntab__rows(r.pipe.conns, &n);

			summary_conn_rows(&sum, rows, n);
			summary_conns_exited(&sum, r.pipe.exits.at, r.pipe.exits.n);
			sum.closes_missing = r.hdr.h.closes_missing;
		}
		sink.ops->summary(&sink, &sum);
		free(sum.conns);
		sum.conns = NULL;
		if (cfg->summary) {
			/* as live -c counts: the table's rows hold the io_uring requests */
			r.ftr.f.calls = sum.calls;
			r.ftr.f.requests = 0;
		}
	}
	r.ftr.f.lost += r.pipe.bad;
	r.ftr.f.filtered = r.pipe.filtered;
	/* the recording's count was of the calls it holds, before these filters */
	if ((cli_filters(cfg) || cfg->calls_given) && !cfg->summary) {
		r.ftr.f.calls = r.pipe.calls;
		r.ftr.f.requests = r.pipe.requests;
	}
	if (cli_filters(cfg)) {
		r.ftr.f.not_shown += r.pipe.not_shown;
		r.ftr.f.result_filter |= cli_filters(cfg);
	}
	sink.ops->end(&sink, &r.ftr.f);
	e = fflush(out) ? errno : ferror(out) ? EIO : 0;
	if (e)
		output_failed(cfg, "report", e);
	ret = e ? 1 : 0;
	if (cut) {
		err("'%s': %s: its writer stopped there, or is still writing; the calls before it "
		    "are shown",
		    cfg->report, errbuf);
		ret = 1;
	}
out:
	if (out && out != stdout)
		fclose(out);
	for (int i = 0; i < PIPE_STACK_IDS; i++)
		free(r.stacks[i]);
	ksyms__free(r.ksyms);
	free(r.syms.s);
	free(r.usyms.s);
	uframes__free(r.named);
	kpath_cache_free(r.pipe.kpath.cache);
	pipeline_free_exits(&r.pipe);
	conntab__free(r.pipe.conns);
	free(buf);
	return ret;
}
