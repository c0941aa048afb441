// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The select echo server: one thread.  Each turn builds the read and write
 * fd sets from every connection, select() blocks until some are ready, and
 * the loop scans every fd to find which: work that grows with the number of
 * connections, busy or idle.  An fd_set holds fds below FD_SETSIZE (1024):
 * a connection whose fd is larger is refused, never put in a set.
 */
#include <errno.h>
#include <stdio.h>
#include <sys/select.h>
#include <unistd.h>
#include "serve.h"

static const char refusal[] =
	"socktrace serve: select: refusing connections whose fd is not below FD_SETSIZE (%d), "
	"the most an fd_set holds (the first: fd %d); poll and epoll have no such limit\n";

int serve_select(const struct serve_opts *o, int lfd, struct serve_stats *st)
{
	static struct echo_conn *conns[FD_SETSIZE];
	fd_set rfds, wfds;

	(void)o;
	while (!serve_stop) {
		int maxfd = lfd;

		FD_ZERO(&rfds);
		FD_ZERO(&wfds);
		FD_SET(lfd, &rfds);
		for (int fd = 0; fd < FD_SETSIZE; fd++) {
			if (!conns[fd])
				continue;
			FD_SET(fd, conns[fd]->len ? &wfds : &rfds);
			maxfd = fd > maxfd ? fd : maxfd;
		}
		if (select(maxfd + 1, &rfds, &wfds, NULL, NULL) < 0)
			continue; /* EINTR: the loop checks serve_stop */
		if (FD_ISSET(lfd, &rfds)) {
			struct echo_conn *c = echo_accept(lfd, st);

			if (c && c->fd >= FD_SETSIZE) {
				/* once: the line at the end counts them all */
				if (!st->refused)
					fprintf(stderr, refusal, FD_SETSIZE, c->fd);
				st->accepted--;
				st->refused++;
				echo_close(c, st);
				st->closed--;
			} else if (c) {
				conns[c->fd] = c;
			}
		}
		for (int fd = 0; fd <= maxfd; fd++) {
			struct echo_conn *c = conns[fd];
			int keep = 1;

			if (!c)
				continue;
			if (FD_ISSET(fd, &rfds))
				keep = echo_on_readable(c, st);
			else if (FD_ISSET(fd, &wfds))
				keep = echo_on_writable(c);
			if (!keep) {
				conns[fd] = NULL;
				echo_close(c, st);
			}
		}
	}
	return 0;
}
