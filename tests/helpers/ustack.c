// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Known nested functions that make socket calls, for -u:
 * main -> serve_one -> handle_client -> reply -> send, and
 * main -> serve_one -> open_socket -> socket.  Built with frame pointers
 * (like every helper).  It waits a little before exiting, so its mappings
 * are still there when socktrace names its frames.
 */
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

__attribute__((noinline)) int open_socket(void);
__attribute__((noinline)) int reply(int fd);
__attribute__((noinline)) int handle_client(int fd);
__attribute__((noinline)) int serve_one(void);

__attribute__((noinline)) int open_socket(void)
{
	int fd = socket(AF_UNIX, SOCK_DGRAM, 0);

	__asm__ volatile("" ::: "memory"); /* keep the frame: not a tail call */
	return fd;
}

__attribute__((noinline)) int reply(int fd)
{
	int n = send(fd, "pong", 4, 0);

	__asm__ volatile("" ::: "memory");
	return n;
}

__attribute__((noinline)) int handle_client(int fd)
{
	int n = reply(fd);

	__asm__ volatile("" ::: "memory");
	return n;
}

__attribute__((noinline)) int serve_one(void)
{
	int sv[2], n;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
		return -1;
	n = handle_client(sv[0]);
	close(open_socket());
	close(sv[0]);
	close(sv[1]);
	return n;
}

int main(void)
{
	int n = serve_one();

	usleep(300000);
	return n == 4 ? 0 : 1;
}
