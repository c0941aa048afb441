/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * A call's hook hits -> its kernel path, as a user reads it:
 * "__sys_connect → inet_stream_connect → tcp_v4_connect", the TCP state
 * changes, and with -k every hit's symbolized stack.  Function hits
 * (fentry/kprobe) name themselves; tracepoint hits carry a kernel stack,
 * from which the frames between the syscall and the tracepoint are taken.
 * Pure: the stacks come through a callback, the symbols from a ksyms table.
 */
#ifndef KPATH_H
#define KPATH_H

#include "ksyms.h"
#include "model.h"

/* Fills frames (innermost first) for a stack id; returns how many, or < 0. */
typedef int (*kpath_stack_fn)(void *ctx, int stackid, uint64_t *frames, int max);

struct kpath_cache;

struct kpath_ctx {
	/* the symbols, asked for only when a stack is met (NULL: unnamed) */
	const struct ksyms *(*ksyms)(void *ctx);
	kpath_stack_fn stack;
	void *stack_ctx;	      /* for both callbacks */
	int want_stacks;	      /* -k */
	const char *const *hook_note; /* [HOOK_MAX]: why a hook shows no path, or NULL */
	struct kpath_cache *cache;    /* frame names by stack id, filled as met; NULL: none */
	const char *no_ksyms_note;    /* why stacks go unnamed without ksyms; NULL: kallsyms */
};

/* Stack ids name stacks for good: each one's frames are named once (kpath_cache). */
struct kpath_cache *kpath_cache_new(void);
void kpath_cache_free(struct kpath_cache *c);
/* The callee functions met so far (their addresses, up to max), for a recording's symbols. */
int kpath_callees(const struct kpath_cache *c, uint64_t *out, int max);

void kpath_build(const struct kpath_ctx *k, struct call *c);

/* The frame names of a stack between the syscall and the hook, outermost
 * first; returns how many were written to names (each up to 64 bytes). */
int kpath_frames(const struct ksyms *ks, const uint64_t *frames, int n, char (*names)[64], int max,
		 int *in_softirq);

#endif /* KPATH_H */
