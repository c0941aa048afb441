// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The blocking echo server: socket, bind, listen, then accept in a loop and a
 * thread per connection that reads and writes back until the peer is done.
 * Every call waits; the threads are what lets it serve many peers at once.
 * --udp: recvfrom and sendto on one socket, no listen, no accept.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>
#include "serve.h"

struct worker {
	struct echo_conn c;
	struct serve_stats *st;
};

static void *serve_one(void *arg)
{
	struct worker *w = arg;
	struct serve_stats local = {};
	int n;

	/* read until the peer closes (0) or fails (< 0); write every byte back */
	while ((n = echo_read(&w->c, &local)) > 0 || n == -EINTR)
		if (n > 0 && echo_write(&w->c) < 0)
			break;
	close(w->c.fd);
	__atomic_add_fetch(&w->st->bytes, local.bytes, __ATOMIC_RELAXED);
	__atomic_add_fetch(&w->st->closed, 1, __ATOMIC_RELAXED);
	free(w);
	return NULL;
}

static int serve_udp(int fd, struct serve_stats *st)
{
	struct sockaddr_storage peer;
	char buf[65536];

	while (!serve_stop) {
		socklen_t len = sizeof(peer);
		ssize_t n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&peer, &len);

		if (n < 0)
			continue; /* EINTR: the loop checks serve_stop */
		sendto(fd, buf, n, 0, (struct sockaddr *)&peer, len);
		st->datagrams++;
		st->bytes += n;
	}
	return 0;
}

int serve_blocking(const struct serve_opts *o, int lfd, struct serve_stats *st)
{
	sigset_t stop, old;
	pthread_attr_t attr;

	if (o->udp)
		return serve_udp(lfd, st);
	/* the workers never see SIGINT/SIGTERM: the main thread's accept gets EINTR */
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	pthread_attr_setstacksize(&attr, 64 << 10);
	while (!serve_stop) {
		int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
		struct worker *w;
		pthread_t t;

		if (fd < 0)
			continue; /* EINTR, or a connection reset before accept */
		w = malloc(sizeof(*w));
		if (!w) {
			close(fd);
			st->refused++;
			continue;
		}
		w->c.fd = fd;
		w->st = st;
		pthread_sigmask(SIG_BLOCK, &stop, &old);
		if (pthread_create(&t, &attr, serve_one, w)) {
			close(fd);
			free(w);
			st->refused++;
		} else {
			st->accepted++;
		}
		pthread_sigmask(SIG_SETMASK, &old, NULL);
	}
	pthread_attr_destroy(&attr);
	return 0;
}
