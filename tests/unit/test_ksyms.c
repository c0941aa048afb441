// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include "ksyms.h"
#include "unit.h"

int main(void)
{
	static const char text[] = "ffffffff81000000 T _stext\n"
				   "ffffffff81a00100 t tcp_sendmsg_locked\n"
				   "ffffffff81a00000 T tcp_sendmsg\n"
				   "ffffffff82000000 D some_data\n"
				   "ffffffff81b00000 T __sys_sendto\n"
				   "ffffffffc0001000 t helper\t[mod]\n"
				   "garbage line\n";
	FILE *f = fmemopen((void *)text, sizeof(text) - 1, "r");
	struct ksyms *k = ksyms__parse(f);
	char buf[64];

	fclose(f);
	t_check(k != NULL);
	t_streq(ksyms__fmt(k, 0xffffffff81a0002c, buf, sizeof(buf)), "tcp_sendmsg+0x2c");
	t_streq(ksyms__fmt(k, 0xffffffff81a00100, buf, sizeof(buf)), "tcp_sendmsg_locked+0x0");
	t_streq(ksyms__fmt(k, 0xffffffff81b001e4, buf, sizeof(buf)), "__sys_sendto+0x1e4");
	t_streq(ksyms__fmt(k, 0xffffffffc0001010, buf, sizeof(buf)), "helper+0x10");
	t_streq(ksyms__fmt(k, 0x1000, buf, sizeof(buf)), "0x1000");
	/* far past the last symbol: unnamed code (a JIT'd program), not helper+0x3c8... */
	t_streq(ksyms__fmt(k, 0xffffffffc3c81000, buf, sizeof(buf)), "0xffffffffc3c81000");
	t_check(ksyms__has(k, "tcp_sendmsg"));
	t_check(!ksyms__has(k, "some_data")); /* data symbols are not functions */
	t_check(!ksyms__has(k, "tcp_sendms"));
	ksyms__free(k);

	/* addresses hidden by kptr_restrict: refused, not a table of zeros */
	static const char hidden[] = "0000000000000000 T _stext\n0000000000000000 T tcp_sendmsg\n";
	f = fmemopen((void *)hidden, sizeof(hidden) - 1, "r");
	errno = 0;
	t_check(ksyms__parse(f) == NULL && errno == EPERM);
	fclose(f);
	return t_done();
}
