// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* For -u: a function in a library the test program dlopens after its first calls. */
#include <sys/socket.h>

__attribute__((noinline)) int plugin_reply(int fd);
__attribute__((noinline)) int plugin_reply(int fd)
{
	char buf[8];
	int n = recv(fd, buf, sizeof(buf), MSG_WAITALL); /* the recv line */

	__asm__ volatile("" ::: "memory");
	return n;
}
