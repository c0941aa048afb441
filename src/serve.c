// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* What the demo servers share; see serve.h. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include "log.h"
#include "serve.h"
#include "util.h"

/* In the order they arrived: the history the lecture notes tell. */
const struct backend backends[] = {
	{"blocking", serve_blocking,
	 "BSD sockets (4.2BSD, 1983; POSIX): accept, then read/write, one thread per connection"},
	{"select", serve_select,
	 "select (4.2BSD, 1983): one thread scans fd sets each call; at most FD_SETSIZE (1024) "
	 "fds"},
	{"poll", serve_poll,
	 "poll (System V, 1986; Linux 2.1.23): a pollfd array, no fd limit, still scans them all"},
	{"epoll", serve_epoll,
	 "epoll (Linux 2.5.44/2.6, 2002): the kernel keeps the interest list, returns ready fds "
	 "only"},
	{"io_uring", serve_uring,
	 "io_uring (Linux 5.1, 2019): shared submission/completion rings, few syscalls per "
	 "request"},
};
const size_t backends_len = sizeof(backends) / sizeof(backends[0]);

volatile sig_atomic_t serve_stop;

const struct backend *backend_by_name(const char *name)
{
	for (size_t i = 0; i < backends_len; i++)
		if (!strcmp(backends[i].name, name))
			return &backends[i];
	return NULL;
}

int echo_read(struct echo_conn *c, struct serve_stats *st)
{
	ssize_t n = read(c->fd, c->buf, sizeof(c->buf));

	if (n < 0)
		return -errno;
	c->len = n;
	c->off = 0;
	st->bytes += n;
	return (int)n;
}

int echo_write(struct echo_conn *c)
{
	while (c->off < c->len) {
		/* MSG_NOSIGNAL: a peer that went away is an error here, not a SIGPIPE */
		ssize_t n = send(c->fd, c->buf + c->off, c->len - c->off, MSG_NOSIGNAL);

		if (n < 0)
			return errno == EINTR ? -EINTR : -errno;
		c->off += n;
	}
	c->len = c->off = 0;
	return 0;
}

int echo_on_readable(struct echo_conn *c, struct serve_stats *st)
{
	int n = echo_read(c, st);

	if (n == -EAGAIN || n == -EINTR)
		return 1;
	if (n <= 0)
		return 0; /* EOF (all echoed: nothing was pending) or reset */
	n = echo_write(c);
	return n == 0 || n == -EAGAIN || n == -EINTR;
}

int echo_on_writable(struct echo_conn *c)
{
	int n = echo_write(c);

	return n == 0 || n == -EAGAIN || n == -EINTR;
}

struct echo_conn *echo_accept(int lfd, struct serve_stats *st)
{
	int fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	struct echo_conn *c;

	if (fd < 0)
		return NULL;
	c = malloc(sizeof(*c));
	if (!c) {
		close(fd);
		st->refused++;
		return NULL;
	}
	c->fd = fd;
	c->len = c->off = 0;
	c->eof = 0;
	st->accepted++;
	return c;
}

void echo_close(struct echo_conn *c, struct serve_stats *st)
{
	close(c->fd);
	free(c);
	st->closed++;
}

int serve_listen(const struct serve_opts *o, const char *backend, int nonblock)
{
	struct sockaddr_storage ss = {};
	struct sockaddr_in *in = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;
	socklen_t len;
	int fd, one = 1,
		type = (o->udp ? SOCK_DGRAM : SOCK_STREAM) | (nonblock ? SOCK_NONBLOCK : 0);
	char addr[INET6_ADDRSTRLEN];

	if (inet_pton(AF_INET, o->bind, &in->sin_addr) == 1) {
		in->sin_family = AF_INET;
		in->sin_port = htons(o->port);
		len = sizeof(*in);
	} else if (inet_pton(AF_INET6, o->bind, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons(o->port);
		len = sizeof(*in6);
	} else {
		err("--bind %s: not an IPv4 or IPv6 address (e.g. 127.0.0.1 or ::1)", o->bind);
		return -1;
	}
	fd = socket(ss.ss_family, type, 0);
	if (fd < 0) {
		err("socket: %s", strerror(errno));
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	/*
	 * An echo's tail goes out while its head is still unacknowledged: Nagle
	 * would hold it for the client's delayed ACK, 40 ms a round trip from
	 * about 20 KB up. Accepted sockets inherit it from the listener (Linux).
	 */
	if (!o->udp)
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&ss, len) || (!o->udp && listen(fd, o->backlog)) ||
	    getsockname(fd, (struct sockaddr *)&ss, &len)) {
		err("cannot listen on %s port %d: %s%s", o->bind, o->port, strerror(errno),
		    errno == EADDRINUSE ? " (pick another --port, or 0 for a free one)" : "");
		close(fd);
		return -1;
	}
	inet_ntop(ss.ss_family,
		  ss.ss_family == AF_INET ? (void *)&in->sin_addr : (void *)&in6->sin6_addr, addr,
		  sizeof(addr));
	printf("socktrace serve: %s %s echo server on %s%s%s:%u (Ctrl-C to stop)\n", backend,
	       o->udp ? "UDP" : "TCP", ss.ss_family == AF_INET6 ? "[" : "", addr,
	       ss.ss_family == AF_INET6 ? "]" : "",
	       ntohs(ss.ss_family == AF_INET ? in->sin_port : in6->sin6_port));
	fflush(stdout);
	return fd;
}

static void on_stop(int sig)
{
	(void)sig;
	serve_stop = 1;
}

int cmd_serve(const struct serve_opts *o, const char *name)
{
	const struct backend *b = backend_by_name(name);
	/* no SA_RESTART: a blocked accept/select/epoll_wait returns EINTR and sees the flag */
	struct sigaction sa = {.sa_handler = on_stop};
	struct serve_stats st = {};
	char comm[16];
	int lfd, ret;

	if (!b)
		return 2;
	/* "epoll-server" in traces, not "socktrace" */
	snprintf(comm, sizeof(comm), "%s-server", b->name);
	prctl(PR_SET_NAME, comm);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	nofile_raise();
	lfd = serve_listen(o, b->name, strcmp(b->name, "blocking") && strcmp(b->name, "io_uring"));
	if (lfd < 0)
		return 1;
	if (o->accept_delay_ms > 0) {
		/* completed handshakes wait in the listen queue (up to the backlog) meanwhile */
		struct timespec t = {o->accept_delay_ms / 1000,
				     (o->accept_delay_ms % 1000) * 1000000L};

		printf("socktrace serve: waiting %d ms before accepting\n", o->accept_delay_ms);
		fflush(stdout);
		while (nanosleep(&t, &t) && !serve_stop)
			;
	}
	ret = b->serve(o, lfd, &st);
	close(lfd);
	if (o->udp)
		printf("socktrace serve: %s stopped: %llu datagram%s, %llu byte%s echoed\n",
		       b->name, (unsigned long long)st.datagrams, plural(st.datagrams),
		       (unsigned long long)st.bytes, plural(st.bytes));
	else
		printf("socktrace serve: %s stopped: %llu connection%s (%llu refused), %llu byte%s "
		       "echoed\n",
		       b->name, (unsigned long long)st.accepted, plural(st.accepted),
		       (unsigned long long)st.refused, (unsigned long long)st.bytes,
		       plural(st.bytes));
	return ret;
}
