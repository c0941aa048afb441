// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The epoll echo server: one thread.  epoll_create1 makes the interest list
 * in the kernel, epoll_ctl adds each fd once, and epoll_wait returns only the
 * fds that are ready: no per-call scan of idle connections.  Level-triggered
 * by default (ready fds are reported until drained); --edge registers them
 * EPOLLET (reported once per change), so each event is drained to EAGAIN.
 * --udp: the datagram echo on one socket.
 */
#include <errno.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>
#include "serve.h"

#define EVENTS 256

static int watch(int ep, int op, struct echo_conn *c, unsigned int edge)
{
	struct epoll_event ev = {.events = (c->len ? EPOLLOUT : EPOLLIN) | edge, .data.ptr = c};

	return epoll_ctl(ep, op, c->fd, &ev);
}

/* Edge-triggered: one event may stand for many reads; go until EAGAIN. */
static int drain(struct echo_conn *c, struct serve_stats *st)
{
	int keep = 1;

	while (keep && !c->len) {
		size_t before = st->bytes;

		keep = echo_on_readable(c, st);
		if (st->bytes == before)
			break; /* EAGAIN: read everything there was */
	}
	return keep;
}

static int serve_udp(int ep, int fd, struct serve_stats *st)
{
	struct epoll_event ev = {.events = EPOLLIN};
	char buf[65536];

	if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev))
		return 1;
	while (!serve_stop) {
		if (epoll_wait(ep, &ev, 1, -1) < 1)
			continue;
		for (;;) {
			struct sockaddr_storage peer;
			socklen_t len = sizeof(peer);
			ssize_t n =
				recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&peer, &len);

			if (n < 0)
				break; /* EAGAIN: back to epoll_wait */
			sendto(fd, buf, n, 0, (struct sockaddr *)&peer, len);
			st->datagrams++;
			st->bytes += n;
		}
	}
	return 0;
}

int serve_epoll(const struct serve_opts *o, int lfd, struct serve_stats *st)
{
	struct epoll_event events[EVENTS], lev = {.events = EPOLLIN, .data.ptr = NULL};
	unsigned int edge = o->edge ? EPOLLET : 0;
	int ep = epoll_create1(EPOLL_CLOEXEC), ret = 0;

	if (ep < 0)
		return 1;
	if (o->udp) {
		ret = serve_udp(ep, lfd, st);
		close(ep);
		return ret;
	}
	/* the listener is the one entry without a connection */
	if (epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &lev)) {
		close(ep);
		return 1;
	}
	while (!serve_stop) {
		int n = epoll_wait(ep, events, EVENTS, -1);

		for (int i = 0; i < n; i++) {
			struct echo_conn *c = events[i].data.ptr;
			int pending, keep;

			if (!c) {
				while ((c = echo_accept(lfd, st)))
					if (watch(ep, EPOLL_CTL_ADD, c, edge))
						echo_close(c, st);
				continue;
			}
			pending = c->len != 0;
			if (events[i].events & EPOLLOUT)
				keep = echo_on_writable(c);
			else
				keep = edge ? drain(c, st) : echo_on_readable(c, st);
			if (!keep) {
				echo_close(c, st); /* close() takes it off the interest list */
				continue;
			}
			/* wait for writability only while an echo is pending */
			if (pending != (c->len != 0) && watch(ep, EPOLL_CTL_MOD, c, edge))
				echo_close(c, st);
		}
	}
	close(ep);
	return ret;
}
