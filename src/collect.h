/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The ring-buffer reader.  The BPF side never wakes it per record; it drains
 * on a short timer (COLLECT_DRAIN_MS), so a busy target pays for no wakeups
 * and the terminal still sees a call within milliseconds.  Records are
 * checked, then handed over where they lie in the ring (8-byte aligned): the
 * handler copies what it keeps before it returns.
 */
#ifndef COLLECT_H
#define COLLECT_H

#include <stddef.h>
#include <stdint.h>
#include "poison.h"

#define COLLECT_DRAIN_MS 10

struct collect;
struct ev_hdr;

/* Called for each well-formed record; returns 0, or < 0 to stop the drain. */
typedef int (*collect_fn)(void *ctx, const struct ev_hdr *rec, size_t size);

struct collect *collect__new(int ringbuf_fd, collect_fn fn, void *ctx);
void collect__free(struct collect *c);
/* Waits up to COLLECT_DRAIN_MS (less if woken), then drains everything ready. */
int collect__poll(struct collect *c);
/* Drains what is there without waiting. */
int collect__drain(struct collect *c);
/* Records that were malformed (size or type): never silently dropped. */
uint64_t collect__bad(const struct collect *c);

#endif /* COLLECT_H */
