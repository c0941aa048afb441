// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * A scripted server/client pair in one process, so the order of calls is
 * fixed: socket, bind, listen, connect, accept4, send, recv, shutdown, close
 * over TCP/IPv4, TCP/IPv6, a unix path, an abstract unix name, or UDP.
 * With -o FILE it writes, as JSON Lines, each call it made and its result:
 * the oracle the tests compare socktrace's output with.
 *
 *   peerpair tcp4|tcp6|unix|abstract|udp|fork [-o FILE]
 *   peerpair splice        TCP/IPv4: sendfile of a memfd to the client's socket, then
 *                          the server's socket -> a pipe -> the server's socket
 *   peerpair reset         TCP/IPv4: a close with bytes unread, one with SO_LINGER 0 (both
 *                          send a RST: the client's next send fails), one with neither
 *   peerpair demo          a forked client and server, 2 connections x 3 messages
 *   peerpair burst N       N getsockname calls as fast as it can (to overflow a ring)
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

static FILE *oracle;

static long note(const char *call, int fd, long ret)
{
	if (oracle) {
		fprintf(oracle, "{\"call\":\"%s\",\"fd\":%d,\"ret\":%ld", call, fd,
			ret < 0 ? -1 : ret);
		if (ret < 0)
			fprintf(oracle, ",\"errno\":%d", errno);
		fprintf(oracle, "}\n");
	}
	if (ret < 0 && errno != ECONNREFUSED && errno != ECONNRESET) {
		fprintf(stderr, "peerpair: %s: %s\n", call, strerror(errno));
		exit(1);
	}
	return ret;
}

static socklen_t make_addr(const char *mode, struct sockaddr_storage *ss, int *family)
{
	memset(ss, 0, sizeof(*ss));
	if (!strcmp(mode, "tcp6")) {
		struct sockaddr_in6 *a = (void *)ss;

		a->sin6_family = *family = AF_INET6;
		a->sin6_addr = in6addr_loopback;
		return sizeof(*a);
	}
	if (!strcmp(mode, "unix") || !strcmp(mode, "abstract")) {
		struct sockaddr_un *a = (void *)ss;

		a->sun_family = *family = AF_UNIX;
		if (!strcmp(mode, "unix")) {
			snprintf(a->sun_path, sizeof(a->sun_path), "/tmp/peerpair-%d.sock",
				 getpid());
			unlink(a->sun_path);
			return offsetof(struct sockaddr_un, sun_path) + strlen(a->sun_path) + 1;
		}
		snprintf(a->sun_path + 1, sizeof(a->sun_path) - 1, "peerpair-%d", getpid());
		return offsetof(struct sockaddr_un, sun_path) + 1 + strlen(a->sun_path + 1);
	}
	struct sockaddr_in *a = (void *)ss;

	a->sin_family = *family = AF_INET;
	a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return sizeof(*a);
}

static void stream_pair(const char *mode)
{
	struct sockaddr_storage ss;
	socklen_t len, alen;
	int family, srv, cli, acc;
	char buf[64];

	len = make_addr(mode, &ss, &family);
	srv = note("socket", -1, socket(family, SOCK_STREAM, 0));
	note("bind", srv, bind(srv, (void *)&ss, len));
	note("listen", srv, listen(srv, 8));
	alen = sizeof(ss);
	note("getsockname", srv, getsockname(srv, (void *)&ss, &alen));
	cli = note("socket", -1, socket(family, SOCK_STREAM, 0));
	note("connect", cli, connect(cli, (void *)&ss, alen));
	alen = sizeof(ss);
	acc = note("accept4", srv, accept4(srv, (void *)&ss, &alen, SOCK_CLOEXEC));
	note("sendto", cli, send(cli, "ping", 4, 0));
	note("recvfrom", acc, recv(acc, buf, sizeof(buf), 0));
	note("sendto", acc, send(acc, "pong!", 5, MSG_NOSIGNAL));
	note("recvfrom", cli, recv(cli, buf, sizeof(buf), 0));
	note("shutdown", cli, shutdown(cli, SHUT_WR));
	note("recvfrom", acc, recv(acc, buf, sizeof(buf), 0));
	note("close", acc, close(acc));
	note("close", cli, close(cli));
	note("close", srv, close(srv));
	if (family == AF_UNIX && ((struct sockaddr_un *)&ss)->sun_path[0])
		unlink(((struct sockaddr_un *)&ss)->sun_path);
}

static void udp_pair(void)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	struct sockaddr_in from;
	socklen_t alen = sizeof(a), flen = sizeof(from);
	char buf[64];
	int srv, cli;

	srv = note("socket", -1, socket(AF_INET, SOCK_DGRAM, 0));
	note("bind", srv, bind(srv, (void *)&a, sizeof(a)));
	note("getsockname", srv, getsockname(srv, (void *)&a, &alen));
	cli = note("socket", -1, socket(AF_INET, SOCK_DGRAM, 0));
	note("sendto", cli, sendto(cli, "datagram", 8, 0, (void *)&a, sizeof(a)));
	note("recvfrom", srv, recvfrom(srv, buf, sizeof(buf), 0, (void *)&from, &flen));
	note("close", cli, close(cli));
	note("close", srv, close(srv));
}

/* Bytes the process never holds: a file sent by the kernel, a socket spliced through a pipe. */
static void splice_pair(void)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t alen = sizeof(a);
	static char page[4096];
	int srv, cli, acc, mem, p[2];
	off_t off = 0;

	srv = note("socket", -1, socket(AF_INET, SOCK_STREAM, 0));
	note("bind", srv, bind(srv, (void *)&a, sizeof(a)));
	note("listen", srv, listen(srv, 8));
	note("getsockname", srv, getsockname(srv, (void *)&a, &alen));
	cli = note("socket", -1, socket(AF_INET, SOCK_STREAM, 0));
	note("connect", cli, connect(cli, (void *)&a, sizeof(a)));
	acc = note("accept4", srv, accept4(srv, NULL, NULL, 0));
	mem = memfd_create("peerpair", 0);
	if (mem < 0 || write(mem, page, sizeof(page)) != sizeof(page) || pipe(p)) {
		perror("peerpair splice");
		exit(1);
	}
	note("sendfile", cli, sendfile(cli, mem, &off, sizeof(page)));
	note("splice", acc, splice(acc, NULL, p[1], NULL, sizeof(page), 0));
	note("splice", acc, splice(p[0], NULL, acc, NULL, sizeof(page), SPLICE_F_MOVE));
	note("close", acc, close(acc));
	note("close", cli, close(cli));
	note("close", srv, close(srv));
}

/* A refused connect: the error path, with errno. */
static void refused(void)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t alen = sizeof(a);
	int s = note("socket", -1, socket(AF_INET, SOCK_STREAM, 0)), c;

	/* a port that was just free: bind to find one, close, then connect to it */
	note("bind", s, bind(s, (void *)&a, sizeof(a)));
	note("getsockname", s, getsockname(s, (void *)&a, &alen));
	note("close", s, close(s));
	c = note("socket", -1, socket(AF_INET, SOCK_STREAM, 0));
	note("connect", c, connect(c, (void *)&a, sizeof(a)));
	note("close", c, close(c));
}

/*
 * Three connections the server closes: with the client's bytes unread, with
 * SO_LINGER 0, and plainly (a FIN).  Each time the client then sends.
 */
static void reset(void)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t alen = sizeof(a);
	struct linger off = {.l_onoff = 1, .l_linger = 0};
	int srv = note("socket", -1, socket(AF_INET, SOCK_STREAM, 0));

	note("bind", srv, bind(srv, (void *)&a, sizeof(a)));
	note("listen", srv, listen(srv, 8));
	note("getsockname", srv, getsockname(srv, (void *)&a, &alen));
	for (int how = 0; how < 3; how++) {
		int cli = note("socket", -1, socket(AF_INET, SOCK_STREAM, 0)), acc;

		note("connect", cli, connect(cli, (void *)&a, sizeof(a)));
		acc = note("accept", srv, accept(srv, NULL, NULL));
		if (how == 0)
			note("sendto", cli, send(cli, "unread", 6, 0));
		if (how == 1)
			note("setsockopt", acc,
			     setsockopt(acc, SOL_SOCKET, SO_LINGER, &off, sizeof(off)));
		/* the RST or FIN goes out on close's way back, before the send */
		note("close", acc, close(acc));
		note("sendto", cli, send(cli, "x", 1, MSG_NOSIGNAL));
		note("close", cli, close(cli));
	}
	note("close", srv, close(srv));
}

/* The classroom story: a server process and a client process. */
static void demo(int conns, int msgs)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t alen = sizeof(a);
	int srv = socket(AF_INET, SOCK_STREAM, 0), one = 1;
	char buf[64];
	pid_t pid;

	setsockopt(srv, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(srv, (void *)&a, sizeof(a)) || listen(srv, 8) ||
	    getsockname(srv, (void *)&a, &alen)) {
		perror("peerpair demo: server");
		exit(1);
	}
	pid = fork();
	if (pid == 0) {
		close(srv);
		for (int c = 0; c < conns; c++) {
			int s = socket(AF_INET, SOCK_STREAM, 0);

			/* the server is parked in accept by then: its path shows where it slept */
			usleep(20000);
			if (connect(s, (void *)&a, sizeof(a)))
				_exit(1);
			for (int m = 0; m < msgs; m++) {
				if (send(s, "hello", 5, 0) != 5 ||
				    recv(s, buf, sizeof(buf), 0) != 5)
					_exit(1);
			}
			close(s);
		}
		_exit(0);
	}
	for (int c = 0; c < conns; c++) {
		int s = accept(srv, NULL, NULL);
		ssize_t n;

		while ((n = recv(s, buf, sizeof(buf), 0)) > 0)
			send(s, buf, n, 0);
		close(s);
	}
	close(srv);
	waitpid(pid, NULL, 0);
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "tcp4";

	if (argc > 3 && !strcmp(argv[2], "-o")) {
		oracle = fopen(argv[3], "w");
		if (!oracle) {
			perror(argv[3]);
			return 2;
		}
		setvbuf(oracle, NULL, _IOLBF, 0);
	}
	if (!strcmp(mode, "udp"))
		udp_pair();
	else if (!strcmp(mode, "refused"))
		refused();
	else if (!strcmp(mode, "reset"))
		reset();
	else if (!strcmp(mode, "splice"))
		splice_pair();
	else if (!strcmp(mode, "demo"))
		demo(2, 3);
	else if (!strcmp(mode, "burst") && argc > 2) {
		struct sockaddr_in a;
		socklen_t alen;
		int s = socket(AF_INET, SOCK_DGRAM, 0), n = atoi(argv[2]);

		for (int i = 0; i < n; i++) {
			alen = sizeof(a);
			getsockname(s, (void *)&a, &alen);
		}
		close(s);
	} else if (!strcmp(mode, "fork")) {
		pid_t pid = fork();
		int st;

		if (pid == 0) {
			stream_pair("tcp4");
			_exit(0);
		}
		waitpid(pid, &st, 0);
		return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
	} else if (!strcmp(mode, "tcp4") || !strcmp(mode, "tcp6") || !strcmp(mode, "unix") ||
		   !strcmp(mode, "abstract"))
		stream_pair(mode);
	else {
		fprintf(stderr, "usage: peerpair "
				"tcp4|tcp6|unix|abstract|udp|refused|reset|splice|fork|demo [-o "
				"FILE] | burst N\n");
		return 2;
	}
	return 0;
}
