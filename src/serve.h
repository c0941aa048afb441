/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The demo echo servers, one per I/O backend, each in its own file and
 * written the way a textbook shows it.  This header is what they share: the
 * listening socket, the connection buffer with partial writes, the stop flag
 * and the closing summary.
 */
#ifndef SERVE_H
#define SERVE_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include "poison.h"

struct serve_opts {
	const char *bind;    /* address to bind: 127.0.0.1 unless asked */
	int port;	     /* 0: the kernel picks one, printed at start */
	int edge;	     /* epoll: EPOLLET */
	int udp;	     /* blocking, epoll: a datagram echo */
	int sqpoll;	     /* io_uring: IORING_SETUP_SQPOLL */
	int backlog;	     /* listen(2) backlog */
	int accept_delay_ms; /* wait this long before accepting: connections queue */
};

struct serve_stats {
	uint64_t accepted, refused, closed, bytes, datagrams;
};

/* A backend: runs until serve_stop is set; 0, or 1 after a message. */
typedef int (*serve_fn)(const struct serve_opts *o, int lfd, struct serve_stats *st);

struct backend {
	const char *name;
	serve_fn serve;
	const char *history; /* one line: where it came from, what it does */
};

/* The backends, one file each. */
int serve_blocking(const struct serve_opts *o, int lfd, struct serve_stats *st);
int serve_select(const struct serve_opts *o, int lfd, struct serve_stats *st);
int serve_poll(const struct serve_opts *o, int lfd, struct serve_stats *st);
int serve_epoll(const struct serve_opts *o, int lfd, struct serve_stats *st);
int serve_uring(const struct serve_opts *o, int lfd, struct serve_stats *st);

extern const struct backend backends[];
extern const size_t backends_len;
const struct backend *backend_by_name(const char *name);

/* Set by SIGINT/SIGTERM; every loop checks it after a call returns EINTR. */
extern volatile sig_atomic_t serve_stop;

#define ECHO_BUF 16384

/* One connection's pending echo: bytes read and not yet written back. */
struct echo_conn {
	int fd;
	size_t len, off; /* buf[off, len) waits to be written */
	int eof;	 /* the peer half-closed: finish writing, then close */
	char buf[ECHO_BUF];
};

/* read() into an empty buffer: > 0 bytes, 0 at EOF, -errno (-EAGAIN: nothing yet) */
int echo_read(struct echo_conn *c, struct serve_stats *st);
/* write() what is pending: 0 when all is written, -EAGAIN when the peer is slow, -errno */
int echo_write(struct echo_conn *c);

/*
 * The non-blocking servers' two events (select, poll, epoll): the fd is
 * readable, or writable again.  Each returns 1 to keep the connection, 0 when
 * it is over (the caller closes it).  A connection reads only once its last
 * read is written back: a slow reader slows its own echo, nothing else.
 */
int echo_on_readable(struct echo_conn *c, struct serve_stats *st);
int echo_on_writable(struct echo_conn *c);
/* accept4 a non-blocking connection into a new echo_conn; NULL when none (or refused). */
struct echo_conn *echo_accept(int lfd, struct serve_stats *st);
/* close its fd and free it */
void echo_close(struct echo_conn *c, struct serve_stats *st);

/* The opened listening (or UDP) socket, bound and reported; -1 after a message. */
int serve_listen(const struct serve_opts *o, const char *backend, int nonblock);

int cmd_serve(const struct serve_opts *o, const char *backend);

#endif /* SERVE_H */
