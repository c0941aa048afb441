// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The poll echo server: one thread and a pollfd array that grows with the
 * connections (no FD_SETSIZE limit).  Each turn poll() is handed the whole
 * array, and both the kernel and the loop go through all of it.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include "serve.h"

int serve_poll(const struct serve_opts *o, int lfd, struct serve_stats *st)
{
	struct pollfd *pfds = NULL;
	struct echo_conn **conns = NULL; /* conns[i] goes with pfds[i]; [0] is the listener */
	size_t n = 1, cap = 0;

	(void)o;
	for (;;) {
		if (n >= cap) {
			cap = cap ? 2 * cap : 64;
			pfds = realloc(pfds, cap * sizeof(*pfds));
			conns = realloc(conns, cap * sizeof(*conns));
			if (!pfds || !conns)
				return 1;
		}
		pfds[0] = (struct pollfd){.fd = lfd, .events = POLLIN};
		for (size_t i = 1; i < n; i++)
			pfds[i] = (struct pollfd){.fd = conns[i]->fd,
						  .events = conns[i]->len ? POLLOUT : POLLIN};
		if (serve_stop)
			break;
		if (poll(pfds, n, -1) < 0)
			continue; /* EINTR: the loop checks serve_stop */
		for (size_t i = n - 1; i >= 1; i--) {
			int keep = 1;

			if (pfds[i].revents & (POLLIN | POLLHUP | POLLERR))
				keep = conns[i]->len ? echo_on_writable(conns[i])
						     : echo_on_readable(conns[i], st);
			else if (pfds[i].revents & POLLOUT)
				keep = echo_on_writable(conns[i]);
			if (!keep) {
				echo_close(conns[i], st);
				conns[i] = conns[--n]; /* the last one takes its place */
			}
		}
		if (pfds[0].revents & POLLIN) {
			struct echo_conn *c = echo_accept(lfd, st);

			if (c)
				conns[n++] = c;
		}
	}
	for (size_t i = 1; i < n; i++)
		echo_close(conns[i], st);
	free(pfds);
	free(conns);
	return 0;
}
