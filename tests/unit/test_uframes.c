// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Named user frames survive a recording: kept once per (pid, address), written once, read back. */
#include <stdlib.h>
#include "uframes.h"
#include "unit.h"

int main(void)
{
	struct uframes *t = uframes__new(), *back;
	struct uframe a = {0x401136, "reply", 0x17, "ustack", "prog.c", 34};
	struct uframe b = {0x7f0000001000, NULL, 0, "libc.so.6", NULL, 0}, got;
	char *text;

	/* enough to grow the table several times */
	for (uint32_t pid = 1; pid <= 2000; pid++)
		t_check(!uframes__add(t, pid, &a));
	t_check(!uframes__add(t, 7, &b));
	t_check(!uframes__add(t, 7, &a)); /* kept once */
	text = uframes__text(t);
	t_check(text != NULL);
	back = uframes__parse(text, text ? strlen(text) : 0);
	t_check(uframes__get(back, 2000, 0x401136, &got));
	t_streq(got.sym, "reply");
	t_streq(got.module, "ustack");
	t_streq(got.file, "prog.c");
	t_check(got.off == 0x17 && got.line == 34);
	t_check(uframes__get(back, 7, 0x7f0000001000, &got));
	t_check(!got.sym && !got.file && got.line == 0);
	t_streq(got.module, "libc.so.6");
	t_check(!uframes__get(back, 2001, 0x401136, &got));
	free(text);
	uframes__free(back);
	/* each frame is given once: the next text holds only what came since */
	text = uframes__text(t);
	t_streq(text, "");
	free(text);
	t_check(!uframes__add(t, 2001, &a));
	text = uframes__text(t);
	t_streq(text, "2001 401136 17 34\tustack\treply\tprog.c\n");
	free(text);
	/* damaged lines are skipped, the good ones kept */
	{
		const char *damaged = "garbage\n1 zz\n3 10 2 5\tm\ts\tf\n\t\t\t\n9 1";

		back = uframes__parse(damaged, strlen(damaged));
	}
	t_check(uframes__get(back, 3, 0x10, &got) && got.line == 5);
	uframes__free(back);
	uframes__free(t);
	return t_done();
}
