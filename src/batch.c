// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* A per-drain reorder buffer; see batch.h.  Pure. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/types.h>
#include "socktrace.h"
#include "batch.h"

struct slot {
	uint64_t ts;
	uint32_t seq; /* arrival order, for a stable sort */
	uint32_t off;
	uint32_t size;
};

struct batch {
	unsigned char *data;
	size_t used, cap;
	struct slot *slots;
	size_t n, max_slots;
};

struct batch *batch__new(size_t max_bytes)
{
	struct batch *b = calloc(1, sizeof(*b));

	if (!b)
		return NULL;
	b->cap = max_bytes;
	b->max_slots = max_bytes / sizeof(struct ev_hdr);
	b->data = malloc(b->cap);
	b->slots = malloc(b->max_slots * sizeof(*b->slots));
	if (!b->data || !b->slots) {
		batch__free(b);
		errno = ENOMEM;
		return NULL;
	}
	return b;
}

void batch__free(struct batch *b)
{
	if (!b)
		return;
	free(b->data);
	free(b->slots);
	free(b);
}

int batch__add(struct batch *b, const struct ev_hdr *rec, size_t size)
{
	/* keep every record 8-byte aligned, as the decoders expect */
	size_t sz = (size + 7) & ~(size_t)7;

	if (b->used + sz > b->cap || b->n >= b->max_slots)
		return -ENOSPC;
	memcpy(b->data + b->used, rec, size);
	b->slots[b->n] = (struct slot){.ts = rec->ts_ns, .seq = b->n, .off = b->used, .size = size};
	b->n++;
	b->used += sz;
	return 0;
}

static int by_time(const void *pa, const void *pb)
{
	const struct slot *a = pa, *b = pb;

	if (a->ts != b->ts)
		return a->ts < b->ts ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/*
 * Records arrive nearly in time order (each CPU's in order; a call is
 * stamped when it starts and sent when it ends), so an insertion sort moves
 * few of them.  A batch far out of order goes to qsort after a bounded
 * number of moves.
 */
static void sort_slots(struct slot *s, size_t n)
{
	size_t budget = 4 * n + 64;

	for (size_t i = 1; i < n; i++) {
		struct slot x = s[i];
		size_t j = i;

		for (; j > 0 && s[j - 1].ts > x.ts; j--) {
			if (!budget--) {
				s[j] = x;
				qsort(s, n, sizeof(*s), by_time);
				return;
			}
			s[j] = s[j - 1];
		}
		s[j] = x;
	}
}

void batch__flush(struct batch *b, batch_fn fn, void *ctx)
{
	sort_slots(b->slots, b->n);
	for (size_t i = 0; i < b->n; i++)
		fn(ctx, (const struct ev_hdr *)(b->data + b->slots[i].off), b->slots[i].size);
	b->n = 0;
	b->used = 0;
}
