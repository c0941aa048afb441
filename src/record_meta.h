/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* A recording's header, footer and stack snapshot; see record_meta.c. */
#ifndef RECORD_META_H
#define RECORD_META_H

#include <stddef.h>
#include <stdint.h>
#include <linux/types.h>
#include "socktrace.h"
#include "hooks.h"
#include "ksyms.h"
#include "sink.h"

#define REC_PIDS_MAX 64

/* The header as read back, with the storage its strings point into. */
struct rec_header {
	struct trace_header h;
	char mode[16], what[300], mechanism[64], path[400], uring[200];
	int has_uring;
	uint32_t pids[REC_PIDS_MAX];
	int npids;
	uint64_t t0_mono;
	int64_t mono_to_real;
	int closes_missing, kernel_stacks;
	char notes[HOOK_MAX][200]; /* why a hook showed no path, as the live trace said */
	const char *note_ptrs[HOOK_MAX];
};

struct rec_footer {
	struct trace_footer f;
	char what[300];
	int present;
};

/* malloc'd key=value text */
char *rec_header_text(const struct trace_header *h, const struct sink_opts *o,
		      const char *const *notes);
char *rec_footer_text(const struct trace_footer *f);
/* 0, or -1 with the reason (a layout this socktrace cannot read) in err */
int rec_header_read(const char *text, size_t len, struct rec_header *r, char *err, size_t errlen);
void rec_footer_read(const char *text, size_t len, struct rec_footer *r);

/*
 * The stacks whose ids are set in seen (a bitmap of nids), as the STACKS
 * chunk, and their frames' functions and the nfns functions at fns as
 * kallsyms lines (SYMS); both malloc'd.
 */
int rec_snapshot(const uint8_t *seen, int nids, int (*stack)(void *, int, uint64_t *, int),
		 const uint64_t *fns, int nfns, const struct ksyms *ks, void *ctx, char **stacks,
		 size_t *stacks_len, char **syms);

#endif /* RECORD_META_H */
