/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Records reach the ring buffer when a call ends but are stamped when it
 * began, so calls of different threads arrive out of time order.  A batch
 * holds what one drain delivered and hands it on sorted by start time (ties
 * keep arrival order).  A call that blocked across drains still comes late,
 * with its true start time.
 */
#ifndef BATCH_H
#define BATCH_H

#include <stddef.h>
#include <stdint.h>
#include "poison.h"

struct ev_hdr;
struct batch;

typedef void (*batch_fn)(void *ctx, const struct ev_hdr *rec, size_t size);

struct batch *batch__new(size_t max_bytes);
void batch__free(struct batch *b);
/* Copies rec in; returns -ENOSPC when full (flush, then add again). */
int batch__add(struct batch *b, const struct ev_hdr *rec, size_t size);
/* Hands every record to fn in start-time order and empties the batch. */
void batch__flush(struct batch *b, batch_fn fn, void *ctx);

#endif /* BATCH_H */
