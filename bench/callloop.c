// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * callloop N: what tracing adds to each call, without the scheduling of a
 * server and its client over two CPUs.  Once a line arrives on stdin (the
 * tracer has attached), N round trips of 64 B over a connected UDP pair on
 * 127.0.0.1 by this one thread, a send and a recv each; prints the
 * nanoseconds a call took on average.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>

static double now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e9 + t.tv_nsec;
}

int main(int argc, char **argv)
{
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof(sa);
	char buf[64] = {0}, line[16];
	long n = argc == 2 ? atol(argv[1]) : 0;
	int a = socket(AF_INET, SOCK_DGRAM, 0), b = socket(AF_INET, SOCK_DGRAM, 0);
	double t0;

	if (n <= 0) {
		fprintf(stderr, "usage: callloop N (round trips, after a line on stdin)\n");
		return 2;
	}
	if (a < 0 || b < 0 || bind(b, (struct sockaddr *)&sa, sizeof(sa)) ||
	    getsockname(b, (struct sockaddr *)&sa, &len) ||
	    connect(a, (struct sockaddr *)&sa, sizeof(sa))) {
		perror("callloop: sockets");
		return 1;
	}
	if (!fgets(line, sizeof(line), stdin))
		return 1;
	t0 = now_ns();
	for (long i = 0; i < n; i++)
		if (send(a, buf, sizeof(buf), 0) != sizeof(buf) ||
		    recv(b, buf, sizeof(buf), 0) < 0) {
			perror("callloop: send/recv");
			return 1;
		}
	printf("%.0f\n", (now_ns() - t0) / (2.0 * n));
	return 0;
}
