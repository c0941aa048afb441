// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* For -u: a function in a shared library the test program links. */
#include <sys/socket.h>
#include <sys/uio.h>

__attribute__((noinline)) int lib_reply(int fd);
__attribute__((noinline)) int lib_reply(int fd)
{
	struct iovec iov = {.iov_base = "ping", .iov_len = 4};
	struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1};
	int n = sendmsg(fd, &msg, 0); /* the sendmsg line */

	__asm__ volatile("" ::: "memory");
	return n;
}
