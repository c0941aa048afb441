// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
// A C++ program's socket call, from a method in a namespace that recursed to
// get there: its user stack names net::Client::send_all, demangled, and the
// recursion's frames once, with how many.
#include <sys/socket.h>
#include <unistd.h>

namespace net {
struct Client {
	int fd;
	__attribute__((noinline)) long send_all(int depth)
	{
		if (depth)
			return send_all(depth - 1) + 0; // not a tail call: a frame each
		return send(fd, "x", 1, 0);
	}
};
} // namespace net

int main()
{
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
		return 1;
	net::Client c{sv[0]};
	long n = c.send_all(4);

	usleep(500000); /* its mappings stay while its frames are named (as prog.c) */
	return n == 1 ? 0 : 1;
}
