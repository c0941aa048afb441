// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The io_uring echo server (liburing): one thread, two rings shared with the
 * kernel.  Requests go in as SQEs (one multishot ACCEPT for every connection,
 * then per connection RECV -> SEND -> RECV ... -> CLOSE), results come back
 * as CQEs, and one io_uring_enter both submits what is queued and waits for
 * completions.  --sqpoll: a kernel thread polls the submission ring, so
 * submitting needs no system call at all.
 */
#include <errno.h>
#include <liburing.h>
#include <stdlib.h>
#include <string.h>
#include "log.h"
#include "serve.h"

enum op { OP_ACCEPT = 1, OP_RECV, OP_SEND, OP_CLOSE };

static struct io_uring ring;
static struct echo_conn **conns; /* by fd */
static int nconns;

/* An SQE whose user_data says what it is and for which fd (liburing's prep
 * helpers leave user_data alone). */
static struct io_uring_sqe *sqe(enum op op, int fd)
{
	struct io_uring_sqe *s = io_uring_get_sqe(&ring);
	static int said;

	if (!s) { /* the ring is full: hand what is queued to the kernel first */
		io_uring_submit(&ring);
		s = io_uring_get_sqe(&ring);
	}
	/*
	 * Under SQPOLL that submit only wakes the kernel's thread, and the ring
	 * stays full until it has taken some: a request dropped here left its
	 * connection waiting for ever (from 256 connections, a batch of
	 * completions asks for more SQEs than the ring holds).
	 */
	if (!s && (ring.flags & IORING_SETUP_SQPOLL) && io_uring_sqring_wait(&ring) >= 0)
		s = io_uring_get_sqe(&ring);
	if (s)
		io_uring_sqe_set_data64(s, (__u64)op << 32 | (unsigned int)fd);
	else if (!said++)
		err("the io_uring submission ring stays full: a request for fd %d is lost", fd);
	return s;
}

static void accept_all(int lfd)
{
	struct io_uring_sqe *s = sqe(OP_ACCEPT, lfd);

	if (s)
		io_uring_prep_multishot_accept(s, lfd, NULL, NULL, SOCK_CLOEXEC);
}

static void recv_into(struct echo_conn *c)
{
	struct io_uring_sqe *s = sqe(OP_RECV, c->fd);

	if (s)
		io_uring_prep_recv(s, c->fd, c->buf, sizeof(c->buf), 0);
}

static void send_rest(struct echo_conn *c)
{
	struct io_uring_sqe *s = sqe(OP_SEND, c->fd);

	if (s)
		io_uring_prep_send(s, c->fd, c->buf + c->off, c->len - c->off, MSG_NOSIGNAL);
}

static void close_conn(struct echo_conn *c)
{
	struct io_uring_sqe *s = sqe(OP_CLOSE, c->fd);

	if (s)
		io_uring_prep_close(s, c->fd);
}

static struct echo_conn *conn_new(int fd, struct serve_stats *st)
{
	struct echo_conn *c;

	if (fd >= nconns) {
		int n = fd < 1024 ? 1024 : 2 * fd;
		struct echo_conn **grown = realloc(conns, n * sizeof(*conns));

		if (!grown)
			return NULL;
		for (int i = nconns; i < n; i++)
			grown[i] = NULL;
		conns = grown;
		nconns = n;
	}
	c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->fd = fd;
	conns[fd] = c;
	st->accepted++;
	return c;
}

static void complete(struct io_uring_cqe *cqe, int lfd, struct serve_stats *st)
{
	enum op op = cqe->user_data >> 32;
	int fd = (int)(unsigned int)cqe->user_data, res = cqe->res;
	struct echo_conn *c = op != OP_ACCEPT && fd < nconns ? conns[fd] : NULL;

	switch (op) {
	case OP_ACCEPT:
		if (res >= 0 && (c = conn_new(res, st)))
			recv_into(c);
		if (!(cqe->flags & IORING_CQE_F_MORE) && !serve_stop)
			accept_all(lfd); /* the multishot accept ended: arm it again */
		break;
	case OP_RECV:
		if (!c)
			break;
		if (res <= 0) { /* the peer closed (0) or failed */
			close_conn(c);
			break;
		}
		c->len = res;
		c->off = 0;
		st->bytes += res;
		send_rest(c);
		break;
	case OP_SEND:
		if (!c)
			break;
		if (res < 0) {
			close_conn(c);
			break;
		}
		c->off += res;
		if (c->off < c->len)
			send_rest(c); /* a short send: the rest goes next */
		else
			recv_into(c);
		break;
	case OP_CLOSE:
		if (c) {
			conns[fd] = NULL;
			free(c);
			st->closed++;
		}
		break;
	}
}

int serve_uring(const struct serve_opts *o, int lfd, struct serve_stats *st)
{
	struct io_uring_params p = {.flags = o->sqpoll ? IORING_SETUP_SQPOLL : 0,
				    .sq_thread_idle = 1000};
	int ret = io_uring_queue_init_params(256, &ring, &p);

	if (ret) {
		err("io_uring_setup: %s", strerror(-ret));
		return 1;
	}
	if (o->udp) {
		err("io_uring serves TCP only; --udp is for blocking and epoll");
		io_uring_queue_exit(&ring);
		return 1;
	}
	accept_all(lfd);
	while (!serve_stop) {
		struct io_uring_cqe *cqe;
		unsigned int head, n = 0;

		if (o->sqpoll) {
			/* the SQ thread submits; completions are polled too, and only an
			 * idle ring makes the server wait in io_uring_enter */
			io_uring_submit(&ring);
			for (int spin = 0; spin < 20000 && !io_uring_cq_ready(&ring); spin++)
				__builtin_ia32_pause();
			/* a stop that came while spinning: waiting now would never end,
			 * the signal is spent (the other backends look just before too) */
			if (serve_stop)
				break;
			ret = io_uring_cq_ready(&ring) ? 0 : io_uring_wait_cqe(&ring, &cqe);
		} else {
			/* submit what is queued and wait for a completion, in one call */
			ret = io_uring_submit_and_wait(&ring, 1);
		}
		if (ret < 0 && ret != -EINTR && ret != -EAGAIN && ret != -EBUSY)
			break;
		io_uring_for_each_cqe(&ring, head, cqe)
		{
			complete(cqe, lfd, st);
			n++;
		}
		io_uring_cq_advance(&ring, n);
	}
	/*
	 * The multishot ACCEPT holds the listening socket, and a ring is torn
	 * down by a kernel worker after exit: without this the port could stay
	 * listening a moment after the server has gone, and the next server on
	 * it fail with EADDRINUSE.  (Linux 6.0+; older kernels keep that moment.)
	 */
	io_uring_register_sync_cancel(&ring, &(struct io_uring_sync_cancel_reg){
						     .flags = IORING_ASYNC_CANCEL_ANY,
						     .timeout = {.tv_sec = -1, .tv_nsec = -1},
					     });
	io_uring_queue_exit(&ring);
	for (int fd = 0; fd < nconns; fd++)
		free(conns[fd]);
	free(conns);
	return 0;
}
