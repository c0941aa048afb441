// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libFuzzer target for what `socktrace report` reads: the recording's
 * chunks, its compressed blocks, every record in them (decoded as report
 * would), the header, footer, stacks, kernel symbols and named user frames.  Nothing may crash, hang
 * or leak whatever the bytes.  Seeds: tests/fuzz/corpus/ (real recordings).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/types.h>
#include "socktrace.h"
#include "decode.h"
#include "ksyms.h"
#include "record.h"
#include "record_meta.h"
#include "uframes.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void on_text(void *ctx, const char *text, size_t len)
{
	struct rec_header h;
	struct rec_footer f;
	char err[200];

	(void)ctx;
	rec_header_read(text, len, &h, err, sizeof(err));
	rec_footer_read(text, len, &f);
}

static void on_event(void *ctx, const void *rec, uint32_t size)
{
	static struct call c;
	struct proc_event p;
	const struct ev_hdr *h = rec;

	(void)ctx;
	if (size < sizeof(*h))
		return;
	if (h->type == EV_CALL)
		decode_call(rec, size, &c);
	else if (h->type == EV_UREQ)
		decode_ureq(rec, size, &c);
	else if (h->type == EV_PROC)
		decode_proc(rec, size, &p);
	else if (h->type == EV_UNAME)
		decode_uname(rec, size);
}

static void on_syms(void *ctx, const char *text, size_t len)
{
	FILE *f = len ? fmemopen((void *)text, len, "r") : NULL;
	struct ksyms *k;

	(void)ctx;
	if (!f)
		return;
	k = ksyms__parse(f);
	fclose(f);
	ksyms__find(k, 0xffffffff81000000ull);
	ksyms__free(k);
}

static void on_usyms(void *ctx, const char *text, size_t len)
{
	struct uframes *t = uframes__parse(text, len);
	struct uframe f;
	char *again;

	(void)ctx;
	if (!t)
		return;
	uframes__get(t, 1, 0x401000, &f);
	again = uframes__text(t);
	free(again);
	uframes__free(t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rec_visitor v = {.header = on_text,
				.event = on_event,
				.syms = on_syms,
				.usyms = on_usyms,
				.footer = on_text};
	char err[200];

	record__parse(data, size, &v, err, sizeof(err));
	return 0;
}
