// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * What a recording holds besides its records: the trace's header and footer
 * (key=value lines) and the snapshot of kernel stacks and symbols that lets
 * it render on another machine.  Written by the session, read by report.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include "record_meta.h"
#include "record.h"

/* one line per value: newlines in a value would end it early */
static void kv(FILE *f, const char *key, const char *val)
{
	fprintf(f, "%s=", key);
	for (; val && *val; val++)
		fputc(*val == '\n' ? ' ' : *val, f);
	fputc('\n', f);
}

char *rec_header_text(const struct trace_header *h, const struct sink_opts *o,
		      const char *const *notes)
{
	char key[16];
	struct utsname u;
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		return NULL;
	uname(&u);
	kv(f, "version", SOCKTRACE_VERSION);
	kv(f, "kernel", u.release);
	kv(f, "host", u.nodename);
	fprintf(f, "abi=%zu,%zu,%zu,%zu\n", sizeof(struct ev_call), sizeof(struct ev_ureq),
		sizeof(struct ev_proc), sizeof(struct nt_hit));
	kv(f, "mode", h->mode);
	kv(f, "what", h->what);
	kv(f, "mechanism", h->mechanism);
	kv(f, "path", h->path);
	if (h->uring)
		kv(f, "uring", h->uring);
	fprintf(f, "pids=");
	for (int i = 0; i < h->npids; i++)
		fprintf(f, "%s%u", i ? "," : "", h->pids[i]);
	fprintf(f,
		"\nt0_mono=%" PRIu64 "\nmono_to_real=%" PRId64
		"\ncloses_missing=%d\nkernel_stacks=%d\n",
		o->t0_mono, o->mono_to_real, h->closes_missing, h->kernel_stacks);
	for (int i = 0; i < HOOK_MAX; i++) {
		snprintf(key, sizeof(key), "note%d", i);
		kv(f, key, notes[i]);
	}
	fclose(f);
	return text;
}

int rec_header_read(const char *text, size_t len, struct rec_header *r, char *err, size_t errlen)
{
	char abi[64], want[64], num[32], pids[256], key[16];
	char *p;

	memset(r, 0, sizeof(*r));
	snprintf(want, sizeof(want), "%zu,%zu,%zu,%zu", sizeof(struct ev_call),
		 sizeof(struct ev_ureq), sizeof(struct ev_proc), sizeof(struct nt_hit));
	if (!rec_kv(text, len, "abi", abi, sizeof(abi)) || strcmp(abi, want)) {
		snprintf(err, errlen,
			 "the recording's record layout (%s) is not this socktrace's (%s): report "
			 "it "
			 "with the socktrace that made it",
			 rec_kv(text, len, "abi", abi, sizeof(abi)) ? abi : "none", want);
		return -1;
	}
	rec_kv(text, len, "mode", r->mode, sizeof(r->mode));
	rec_kv(text, len, "what", r->what, sizeof(r->what));
	rec_kv(text, len, "mechanism", r->mechanism, sizeof(r->mechanism));
	rec_kv(text, len, "path", r->path, sizeof(r->path));
	r->has_uring = rec_kv(text, len, "uring", r->uring, sizeof(r->uring)) != NULL;
	if (rec_kv(text, len, "t0_mono", num, sizeof(num)))
		r->t0_mono = strtoull(num, NULL, 10);
	if (rec_kv(text, len, "mono_to_real", num, sizeof(num)))
		r->mono_to_real = strtoll(num, NULL, 10);
	/* a recording from before the key had every close the trace showed */
	if (rec_kv(text, len, "closes_missing", num, sizeof(num)))
		r->closes_missing = atoi(num);
	r->kernel_stacks = rec_kv(text, len, "kernel_stacks", num, sizeof(num)) ? atoi(num) : -1;
	if (rec_kv(text, len, "pids", pids, sizeof(pids)))
		for (p = pids; *p && r->npids < REC_PIDS_MAX; p = *p ? p + 1 : p) {
			r->pids[r->npids++] = strtoul(p, &p, 10);
			if (*p && *p != ',')
				break;
		}
	for (int i = 0; i < HOOK_MAX; i++) {
		snprintf(key, sizeof(key), "note%d", i);
		r->note_ptrs[i] = rec_kv(text, len, key, r->notes[i], sizeof(r->notes[i]));
	}
	r->h = (struct trace_header){.what = r->what,
				     .mechanism = r->mechanism,
				     .path = r->path,
				     .uring = r->has_uring ? r->uring : NULL,
				     .mode = r->mode,
				     .npids = r->npids,
				     .pids = r->pids,
				     .closes_missing = r->closes_missing,
				     .kernel_stacks = r->kernel_stacks};
	return 0;
}

char *rec_footer_text(const struct trace_footer *ft)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		return NULL;
	kv(f, "what", ft->what);
	fprintf(f,
		"has_exit=%d\nexit_status=%d\ncalls=%" PRIu64 "\nrequests=%" PRIu64
		"\nlost=%" PRIu64 "\nlost_ureq=%" PRIu64 "\nlost_ringbuf=%" PRIu64
		"\nlost_inflight=%" PRIu64 "\nlost_proc=%" PRIu64 "\nfollow_full=%" PRIu64
		"\nnot_shown=%" PRIu64 "\nresult_filter=%d\n",
		ft->has_exit, ft->exit_status, ft->calls, ft->requests, ft->lost, ft->lost_ureq,
		ft->lost_ringbuf, ft->lost_inflight, ft->lost_proc, ft->follow_full, ft->not_shown,
		ft->result_filter);
	fclose(f);
	return text;
}

static uint64_t num_of(const char *text, size_t len, const char *key)
{
	char v[32];

	return rec_kv(text, len, key, v, sizeof(v)) ? strtoull(v, NULL, 10) : 0;
}

void rec_footer_read(const char *text, size_t len, struct rec_footer *r)
{
	struct trace_footer *f = &r->f;

	memset(r, 0, sizeof(*r));
	rec_kv(text, len, "what", r->what, sizeof(r->what));
	f->what = r->what;
	f->has_exit = num_of(text, len, "has_exit");
	f->exit_status = num_of(text, len, "exit_status");
	f->calls = num_of(text, len, "calls");
	f->requests = num_of(text, len, "requests");
	f->lost = num_of(text, len, "lost");
	f->lost_ureq = num_of(text, len, "lost_ureq");
	f->lost_ringbuf = num_of(text, len, "lost_ringbuf");
	f->lost_inflight = num_of(text, len, "lost_inflight");
	f->lost_proc = num_of(text, len, "lost_proc");
	f->follow_full = num_of(text, len, "follow_full");
	f->not_shown = num_of(text, len, "not_shown");
	f->result_filter = num_of(text, len, "result_filter");
	r->present = 1;
}

int rec_snapshot(const uint8_t *seen, int nids, int (*stack)(void *, int, uint64_t *, int),
		 const uint64_t *fns, int nfns, const struct ksyms *ks, void *ctx, char **stacks,
		 size_t *stacks_len, char **syms)
{
	size_t slen = 0, ylen = 0;
	FILE *sf = open_memstream(stacks, &slen), *yf = open_memstream(syms, &ylen);
	uint64_t frames[NT_STACK_DEPTH];

	if (!sf || !yf) {
		if (sf)
			fclose(sf);
		if (yf)
			fclose(yf);
		return -1;
	}
	for (int id = 0; id < nids; id++) {
		int32_t sid = id;
		int n;

		if (!(seen[id / 8] & (1 << (id % 8))) ||
		    (n = stack(ctx, id, frames, NT_STACK_DEPTH)) <= 0)
			continue;
		uint32_t un = n;

		fwrite(&sid, sizeof(sid), 1, sf);
		fwrite(&un, sizeof(un), 1, sf);
		fwrite(frames, sizeof(frames[0]), n, sf);
		/* each frame's function, as kallsyms says it (report renders with these) */
		for (int i = 0; i < n; i++) {
			const struct ksym *s = ks ? ksyms__find(ks, frames[i]) : NULL;

			if (s)
				fprintf(yf, "%016" PRIx64 " T %s\n", s->addr, s->name);
		}
	}
	for (int i = 0; ks && i < nfns; i++) {
		const struct ksym *s = ksyms__find(ks, fns[i]);

		if (s)
			fprintf(yf, "%016" PRIx64 " T %s\n", s->addr, s->name);
	}
	fclose(sf);
	fclose(yf);
	*stacks_len = slen;
	return 0;
}
