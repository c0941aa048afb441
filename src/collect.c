// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Ring-buffer drain loop around libbpf's ring_buffer; see collect.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/libbpf.h>
#include <linux/types.h>
#include "socktrace.h"
#include "collect.h"
#include "log.h"

/* a call with the most aux and hits; every other record is smaller */
#define REC_MAX                                                                                    \
	(sizeof(struct ev_call) + NT_AUX_MAX + 3 + NT_HITS_MAX * sizeof(struct nt_hit) + 7 +       \
	 (NT_USER_SP + NT_USER_FRAMES) * sizeof(__u64))

struct collect {
	struct ring_buffer *rb;
	collect_fn fn;
	void *ctx;
	uint64_t bad;
};

static int on_sample(void *ctx, void *data, size_t size)
{
	struct collect *c = ctx;
	const struct ev_hdr *h = data;

	if (size < sizeof(*h) || size > REC_MAX || h->size != size) {
		c->bad++;
		return 0;
	}
	/* the ring keeps records 8-byte aligned, and the handler copies what it keeps */
	return c->fn(c->ctx, h, size);
}

struct collect *collect__new(int ringbuf_fd, collect_fn fn, void *ctx)
{
	struct collect *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->fn = fn;
	c->ctx = ctx;
	c->rb = ring_buffer__new(ringbuf_fd, on_sample, c, NULL);
	if (!c->rb) {
		int e = errno;

		err("failed to set up the ring buffer reader: %s", strerror(e));
		free(c);
		errno = e;
		return NULL;
	}
	return c;
}

void collect__free(struct collect *c)
{
	if (!c)
		return;
	ring_buffer__free(c->rb);
	free(c);
}

int collect__poll(struct collect *c)
{
	int n = ring_buffer__poll(c->rb, COLLECT_DRAIN_MS);

	if (n < 0 && n != -EINTR)
		return n;
	/* without wakeups, poll returns on its timeout with the ring unread */
	return collect__drain(c);
}

int collect__drain(struct collect *c)
{
	int n = ring_buffer__consume(c->rb);

	return n == -EINTR ? 0 : n;
}

uint64_t collect__bad(const struct collect *c)
{
	return c->bad;
}
