// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <linux/types.h>
#include "socktrace.h"
#include "batch.h"
#include "unit.h"

static char order[256];

static void out(void *ctx, const struct ev_hdr *h, size_t size)
{
	(void)ctx;
	snprintf(order + strlen(order), sizeof(order) - strlen(order), "%llu/%u/%zu ",
		 (unsigned long long)h->ts_ns, h->tid, size);
}

/* in time order, and equal times in arrival order (tid counts arrivals) */
static uint64_t last_ts;
static uint32_t last_tid, seen, disorder;

static void check_order(void *ctx, const struct ev_hdr *h, size_t size)
{
	(void)ctx;
	(void)size;
	if (seen && (h->ts_ns < last_ts || (h->ts_ns == last_ts && h->tid < last_tid)))
		disorder++;
	last_ts = h->ts_ns;
	last_tid = h->tid;
	seen++;
}

static struct ev_hdr rec(uint64_t ts, uint32_t tid)
{
	return (struct ev_hdr){.ts_ns = ts, .tid = tid, .size = sizeof(struct ev_hdr)};
}

int main(void)
{
	struct batch *b = batch__new(4 * sizeof(struct ev_hdr));
	struct ev_hdr r;

	t_check(b);
	r = rec(30, 1);
	t_check(batch__add(b, &r, sizeof(r)) == 0);
	r = rec(10, 2);
	t_check(batch__add(b, &r, sizeof(r)) == 0);
	r = rec(30, 3);
	t_check(batch__add(b, &r, sizeof(r)) == 0); /* tie: arrival order */
	r = rec(20, 4);
	t_check(batch__add(b, &r, 20) == 0); /* odd size stays aligned */
	r = rec(5, 5);
	t_check(batch__add(b, &r, sizeof(r)) == -ENOSPC);
	batch__flush(b, out, NULL);
	t_streq(order, "10/2/24 20/4/20 30/1/24 30/3/24 ");
	order[0] = 0;
	t_check(batch__add(b, &r, sizeof(r)) == 0); /* empty again after a flush */
	batch__flush(b, out, NULL);
	t_streq(order, "5/5/24 ");
	batch__free(b);
	batch__free(NULL);

	/*
	 * Nearly in order (the insertion sort), and reversed (past its budget
	 * of moves, qsort): both come out in order, ties in arrival order.
	 */
	for (int reversed = 0; reversed < 2; reversed++) {
		const uint32_t n = 1000;

		b = batch__new(n * sizeof(struct ev_hdr));
		t_check(b);
		for (uint32_t i = 0; i < n; i++) {
			uint64_t ts = reversed ? (n - i) / 2 : i / 2 + (i % 10 == 9 ? 0 : 3);

			r = rec(ts, i);
			t_check(batch__add(b, &r, sizeof(r)) == 0);
		}
		seen = disorder = 0;
		batch__flush(b, check_order, NULL);
		t_check(seen == n);
		t_check(disorder == 0);
		batch__free(b);
	}
	return t_done();
}
