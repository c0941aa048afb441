// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The kernel's histogram buckets and errno slots, percentiles, and the summary rows. */
#include <string.h>
#include "summary.h"
#include "unit.h"

static void test_buckets(void)
{
	/* every value falls in a bucket whose top is at least the value, within 25% */
	for (uint64_t v = 0; v < (1ull << 40); v = v * 5 / 4 + 1) {
		uint32_t b = nt_hist_bucket(v);

		t_check(b < NT_HIST_BUCKETS);
		t_check(hist_bucket_top(b) >= v);
		t_check(v < 4 || hist_bucket_top(b) <= v + v / 4);
		/* buckets are ordered */
		t_check(nt_hist_bucket(v + 1) >= b);
	}
	t_check(nt_hist_bucket(3) == 3 && nt_hist_bucket(4) == 8);
	t_check(nt_hist_bucket(~0ull) == NT_HIST_BUCKETS - 1);
}

static void test_quantiles(void)
{
	static struct nt_count counts[NT_COUNT_SLOTS];
	struct summary s = {};
	__u64 hist[NT_HIST_BUCKETS] = {};

	/* 100 values: 1..100 µs */
	for (int i = 1; i <= 100; i++)
		hist[nt_hist_bucket(i * 1000ull)]++;
	t_check(hist_quantile(hist, 100, 0.5, 100000) >= 50000);
	t_check(hist_quantile(hist, 100, 0.5, 100000) <= 62500);
	t_check(hist_quantile(hist, 100, 0.99, 100000) >= 99000);
	t_check(hist_quantile(hist, 100, 1.0, 100000) == 100000); /* capped at the max */
	t_check(hist_quantile(hist, 0, 0.5, 0) == 0);

	counts[NT_SYS_SENDTO] =
		(struct nt_count){.calls = 100, .ns = 5050000, .max_ns = 100000, .bytes = 6400};
	memcpy(counts[NT_SYS_SENDTO].hist, hist, sizeof(hist));
	counts[NT_SYS_RECVFROM] =
		(struct nt_count){.calls = 300, .errors = 2, .ns = 1000, .max_ns = 9};
	counts[NT_SYS_RECVFROM].hist[nt_hist_bucket(3)] = 300;
	summary_build(&s, counts, SORT_TIME);
	t_check(s.nrows == 2 && s.calls == 400 && s.errors == 2);
	t_streq(s.rows[0].name, "sendto");
	t_check(s.rows[0].avg_ns == 50500 && s.rows[0].bytes == 6400);
	t_check(s.rows[0].p50_ns <= s.rows[0].p99_ns && s.rows[0].p99_ns <= s.rows[0].max_ns);
	summary_build(&s, counts, SORT_CALLS);
	t_streq(s.rows[0].name, "recvfrom");
	summary_build(&s, counts, SORT_NAME);
	t_streq(s.rows[0].name, "recvfrom");
}

static void test_errnos(void)
{
	static struct nt_count counts[NT_COUNT_SLOTS];
	struct summary s = {};
	struct nt_count *c = &counts[NT_SYS_CONNECT];

	/* each errno its own slot, the restart codes after them, anything else slot 0 */
	t_check(nt_errno_slot(11) == 11 && nt_errno_slot(133) == 133);
	t_check(nt_errno_slot(512) == NT_ERRNO_USER);
	t_check(nt_errno_slot(512 + NT_ERRNO_SLOTS - NT_ERRNO_USER) == 0);
	t_check(nt_errno_slot(200) == 0 && nt_errno_slot(~0ull) == 0);
	for (__u32 slot = 1; slot < NT_ERRNO_SLOTS; slot++)
		t_check(nt_errno_slot(nt_slot_errno(slot)) == slot);

	/* ten errnos, 1..10 times each: the seven most frequent named, the rest "other" */
	c->calls = 100;
	c->hist[0] = 100;
	for (int e = 1; e <= 10; e++) {
		c->errnos[nt_errno_slot(100 + e)] = e;
		c->errors += e;
	}
	c->errnos[nt_errno_slot(512)] = 20;
	c->errors += 20;
	summary_build(&s, counts, SORT_TIME);
	t_check(s.nrows == 1 && s.rows[0].nerrnos == SUMMARY_ERRNOS);
	t_check(s.rows[0].errnos[0].err == 512 && s.rows[0].errnos[0].n == 20);
	t_check(s.rows[0].errnos[1].err == 110 && s.rows[0].errnos[1].n == 10);
	t_check(s.rows[0].errnos[6].err == 105);
	/* 101..104: 1 + 2 + 3 + 4 */
	t_check(s.rows[0].errnos[7].err == 0 && s.rows[0].errnos[7].n == 10);
}

int main(void)
{
	test_buckets();
	test_quantiles();
	test_errnos();
	return t_done();
}
