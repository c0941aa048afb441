// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * An io_uring server (liburing) and a plain-socket client thread over
 * 127.0.0.1, for the io_uring tests.  Every CQE the server reaps is written
 * as a JSON line (-o FILE): the oracle socktrace's trace is checked against.
 *
 *   uring_peer [--sqpoll] [-o FILE] scenario
 *	single-shot ACCEPT, RECV, SEND; multishot ACCEPT (then cancelled);
 *	multishot RECV on a buffer ring; a linked RECV (io-wq) -> SEND pair; CLOSE;
 *	a RECV on the closed fd (-EBADF); NOP
 *   uring_peer [--sqpoll] [-o FILE] echo N
 *	N messages echoed with single-shot RECV/SEND, then CLOSE
 *   uring_peer [--sqpoll] [-o FILE] client
 *	the ring is the client: SOCKET, CONNECT, two SEND_ZC of 11 B (each
 *	with its notification CQE), a WRITE of 6 B, a SENDMSG of 7 + 2 B, then
 *	a RECV and a READ of 5 B and a RECVMSG of 3 B of the reply, to a plain
 *	server; then a WRITE into a pipe
 *   uring_peer [--sqpoll] [-o FILE] dgram
 *	a RECV under MSG_TRUNC of a datagram longer than its buffer, and a READ
 *
 * With --sqpoll the kernel's SQ thread submits and the server reaps by
 * polling the CQ ring, so it makes no io_uring_enter at all.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <arpa/inet.h>
#include <errno.h>
#include <liburing.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define CHECK(x)                                                                                   \
	do {                                                                                       \
		if (!(x)) {                                                                        \
			fprintf(stderr, "uring_peer: %s:%d: %s failed: %s\n", __FILE__, __LINE__,  \
				#x, strerror(errno));                                              \
			exit(1);                                                                   \
		}                                                                                  \
	} while (0)

#define BUF_GROUP 7
#define NBUFS	  8
#define BUF_LEN	  64

static struct io_uring ring;
static int sqpoll;
static FILE *oracle;
static int port;
/* the client's second connection, by its port: the server cannot go by the
 * order of accepts (a handshake's last ACK may wait in the listener's
 * backlog while a later one's is queued first) */
static int second_port;
static long echo_n;

static const char *op_name(int op)
{
	switch (op) {
	case IORING_OP_NOP:
		return "NOP";
	case IORING_OP_ACCEPT:
		return "ACCEPT";
	case IORING_OP_RECV:
		return "RECV";
	case IORING_OP_SEND:
		return "SEND";
	case IORING_OP_CLOSE:
		return "CLOSE";
	case IORING_OP_ASYNC_CANCEL:
		return "ASYNC_CANCEL";
	case IORING_OP_SOCKET:
		return "SOCKET";
	case IORING_OP_CONNECT:
		return "CONNECT";
	case IORING_OP_SEND_ZC:
		return "SEND_ZC";
	case IORING_OP_READ:
		return "READ";
	case IORING_OP_SENDMSG:
		return "SENDMSG";
	case IORING_OP_RECVMSG:
		return "RECVMSG";
	case IORING_OP_WRITE:
		return "WRITE";
	}
	return "?";
}

/* user_data carries the opcode in its top byte, so the oracle can name it */
static __u64 ud(int op, int n)
{
	return (__u64)op << 56 | (unsigned)n;
}

static struct io_uring_sqe *sqe_get(void)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);

	CHECK(sqe);
	return sqe;
}

static void submit(void)
{
	CHECK(io_uring_submit(&ring) >= 0);
}

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

struct cqe {
	__u64 user_data;
	int res;
	unsigned int flags;
};

/* The next CQE, written to the oracle.  SQPOLL: polled, never a syscall. */
static struct cqe reap(int fd_of[256])
{
	struct io_uring_cqe *cqe = NULL;
	struct cqe copy;
	double deadline = now() + 10;
	__u64 u;

	if (sqpoll) {
		while (io_uring_peek_cqe(&ring, &cqe) == -EAGAIN) {
			CHECK(now() < deadline);
			sched_yield();
		}
	} else {
		CHECK(io_uring_wait_cqe(&ring, &cqe) == 0);
	}
	copy = (struct cqe){cqe->user_data, cqe->res, cqe->flags};
	io_uring_cqe_seen(&ring, cqe);
	u = copy.user_data;
	if (oracle)
		fprintf(oracle,
			"{\"user_data\":%llu,\"op\":\"%s\",\"fd\":%d,\"res\":%d,\"flags\":%u}\n",
			(unsigned long long)u, op_name(u >> 56), fd_of ? fd_of[u & 0xff] : -1,
			copy.res, copy.flags);
	return copy;
}

static int connect_to_server(void)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	CHECK(fd >= 0);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	CHECK(connect(fd, (struct sockaddr *)&a, sizeof(a)) == 0);
	return fd;
}

static int local_port(int fd)
{
	struct sockaddr_in a;
	socklen_t len = sizeof(a);

	CHECK(getsockname(fd, (struct sockaddr *)&a, &len) == 0);
	return ntohs(a.sin_port);
}

static int peer_port(int fd)
{
	struct sockaddr_in a;
	socklen_t len = sizeof(a);

	CHECK(getpeername(fd, (struct sockaddr *)&a, &len) == 0);
	return ntohs(a.sin_port);
}

static void roundtrip(int fd, const char *msg, const char *expect)
{
	char buf[BUF_LEN];
	size_t got = 0, n = strlen(expect);

	CHECK(send(fd, msg, strlen(msg), 0) == (ssize_t)strlen(msg));
	while (got < n) {
		ssize_t r = recv(fd, buf + got, n - got, 0);

		CHECK(r > 0);
		got += r;
	}
	CHECK(!memcmp(buf, expect, n));
}

static void *scenario_client(void *arg)
{
	int a, b, c;

	(void)arg;
	a = connect_to_server();
	roundtrip(a, "hello", "hello");
	b = connect_to_server();
	__atomic_store_n(&second_port, local_port(b), __ATOMIC_SEQ_CST);
	c = connect_to_server();
	roundtrip(b, "m1", "m1");
	roundtrip(b, "m2", "m2");
	roundtrip(b, "m3", "m3");
	close(b);
	roundtrip(c, "ping", "pong");
	close(c);
	close(a);
	return NULL;
}

static void *echo_client(void *arg)
{
	char msg[48];
	int fd = connect_to_server();

	(void)arg;
	for (long i = 0; i < echo_n; i++) {
		snprintf(msg, sizeof(msg), "message %09ld ......", i);
		roundtrip(fd, msg, msg);
	}
	close(fd);
	return NULL;
}

static int listener(void)
{
	struct sockaddr_in a = {.sin_family = AF_INET};
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	CHECK(fd >= 0);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	CHECK(bind(fd, (struct sockaddr *)&a, sizeof(a)) == 0);
	CHECK(listen(fd, 16) == 0);
	CHECK(getsockname(fd, (struct sockaddr *)&a, &len) == 0);
	port = ntohs(a.sin_port);
	return fd;
}

/* The SQE io_uring_get_sqe handed out last (liburing keeps no pointer to it). */
static struct io_uring_sqe *last_sqe(void)
{
	return ring.sq.sqes + ((ring.sq.sqe_tail - 1) & *ring.sq.kring_mask);
}

static void prep_recv(int fd, void *buf, int n)
{
	io_uring_prep_recv(sqe_get(), fd, buf, BUF_LEN, 0);
	io_uring_sqe_set_data64(last_sqe(), ud(IORING_OP_RECV, n));
}

static void scenario(void)
{
	static char bufs[NBUFS][BUF_LEN];
	int fd_of[256], l = listener(), a, b, c, ret;
	char buf[BUF_LEN], pong[] = "pong";
	struct io_uring_buf_reg reg = {.ring_entries = NBUFS, .bgid = BUF_GROUP};
	struct io_uring_buf_ring *br;
	struct cqe cqe;
	pthread_t t;

	for (int i = 0; i < 256; i++)
		fd_of[i] = -1;
	CHECK(pthread_create(&t, NULL, scenario_client, NULL) == 0);

	/* single-shot accept, recv, send */
	fd_of[1] = l;
	io_uring_prep_accept(sqe_get(), l, NULL, NULL, 0);
	io_uring_sqe_set_data64(last_sqe(), ud(IORING_OP_ACCEPT, 1));
	submit();
	a = reap(fd_of).res;
	CHECK(a >= 0);
	fd_of[2] = fd_of[3] = a;
	prep_recv(a, buf, 2);
	submit();
	ret = reap(fd_of).res;
	CHECK(ret == 5);
	io_uring_prep_send(sqe_get(), a, buf, ret, 0);
	io_uring_sqe_set_data64(last_sqe(), ud(IORING_OP_SEND, 3));
	submit();
	CHECK(reap(fd_of).res == 5);

	/* multishot accept: two connections under one request, then cancelled */
	fd_of[4] = l;
	io_uring_prep_multishot_accept(sqe_get(), l, NULL, NULL, 0);
	io_uring_sqe_set_data64(last_sqe(), ud(IORING_OP_ACCEPT, 4));
	submit();
	cqe = reap(fd_of);
	CHECK(cqe.res >= 0 && (cqe.flags & IORING_CQE_F_MORE));
	b = cqe.res;
	cqe = reap(fd_of);
	CHECK(cqe.res >= 0 && (cqe.flags & IORING_CQE_F_MORE));
	c = cqe.res;
	if (peer_port(b) != __atomic_load_n(&second_port, __ATOMIC_SEQ_CST)) {
		/* accepted in the other order: b is the one the client talks to first */
		c = b;
		b = cqe.res;
	}
	io_uring_prep_cancel64(sqe_get(), ud(IORING_OP_ACCEPT, 4), 0);
	io_uring_sqe_set_data64(last_sqe(), ud(IORING_OP_ASYNC_CANCEL, 5));
	submit();
	reap(fd_of);
	reap(fd_of); /* the cancel's CQE and the accept's last (-ECANCELED), in either order */

	/* multishot recv on a provided-buffer ring: three messages, then EOF */
	/* a page: aligned_alloc wants a size that is a multiple of the alignment */
	br = aligned_alloc(4096, 4096);
	CHECK(br);
	io_uring_buf_ring_init(br);
	for (int i = 0; i < NBUFS; i++)
		io_uring_buf_ring_add(br, bufs[i], BUF_LEN, i, io_uring_buf_ring_mask(NBUFS), i);
	io_uring_buf_ring_advance(br, NBUFS);
	reg.ring_addr = (unsigned long)br;
	CHECK(io_uring_register_buf_ring(&ring, &reg, 0) == 0);
	fd_of[6] = fd_of[7] = b;
	io_uring_prep_recv_multishot(sqe_get(), b, NULL, 0, 0);
	last_sqe()->flags |= IOSQE_BUFFER_SELECT;
	last_sqe()->buf_group = BUF_GROUP;
	io_uring_sqe_set_data64(last_sqe(), ud(IORING_OP_RECV, 6));
	submit();
	for (;;) {
		int bid;

		cqe = reap(fd_of);
		if (cqe.res <= 0)
			break;
		CHECK(cqe.flags & IORING_CQE_F_BUFFER);
		bid = cqe.flags >> IORING_CQE_BUFFER_SHIFT;
		io_uring_prep_send(sqe_get(), b, bufs[bid], cqe.res, 0);
		io_uring_sqe_set_data64(last_sqe(), ud(IORING_OP_SEND, 7));
		submit();
		CHECK(reap(fd_of).res == cqe.res);
		io_uring_buf_ring_add(br, bufs[bid], BUF_LEN, bid, io_uring_buf_ring_mask(NBUFS),
				      0);
		io_uring_buf_ring_advance(br, 1);
	}
	CHECK(cqe.res == 0 && !(cqe.flags & IORING_CQE_F_MORE));

	/* a linked pair: the reply is sent only once the request is in */
	fd_of[8] = fd_of[9] = c;
	prep_recv(c, buf, 8);
	last_sqe()->flags |= IOSQE_IO_LINK | IOSQE_ASYNC; /* and run by an io-wq worker */
	io_uring_prep_send(sqe_get(), c, pong, 4, 0);
	io_uring_sqe_set_data64(last_sqe(), ud(IORING_OP_SEND, 9));
	submit();
	reap(fd_of);
	reap(fd_of);

	/* close through the ring, then a recv on the closed fd fails */
	fd_of[10] = fd_of[11] = a;
	io_uring_prep_close(sqe_get(), a);
	io_uring_sqe_set_data64(last_sqe(), ud(IORING_OP_CLOSE, 10));
	submit();
	CHECK(reap(fd_of).res == 0);
	prep_recv(a, buf, 11);
	submit();
	CHECK(reap(fd_of).res == -EBADF);
	io_uring_prep_nop(sqe_get());
	io_uring_sqe_set_data64(last_sqe(), ud(IORING_OP_NOP, 12));
	submit();
	reap(fd_of);

	CHECK(pthread_join(t, NULL) == 0);
	io_uring_unregister_buf_ring(&ring, BUF_GROUP);
	free(br);
	close(b);
	close(c);
	close(l);
}

static void echo(void)
{
	int l = listener(), fd;
	long recvs = 0, sends = 0;
	double t0 = 0;
	char buf[BUF_LEN];
	pthread_t t;
	int n;

	CHECK(pthread_create(&t, NULL, echo_client, NULL) == 0);
	io_uring_prep_accept(sqe_get(), l, NULL, NULL, 0);
	io_uring_sqe_set_data64(last_sqe(), ud(IORING_OP_ACCEPT, 1));
	submit();
	fd = reap(NULL).res;
	CHECK(fd >= 0);
	for (;;) {
		prep_recv(fd, buf, 2);
		submit();
		n = reap(NULL).res;
		CHECK(n >= 0);
		if (!n)
			break;
		if (!recvs++)
			t0 = now(); /* the ping-pong, without set-up */
		io_uring_prep_send(sqe_get(), fd, buf, n, 0);
		io_uring_sqe_set_data64(last_sqe(), ud(IORING_OP_SEND, 3));
		submit();
		CHECK(reap(NULL).res == n);
		sends++;
	}
	io_uring_prep_close(sqe_get(), fd);
	io_uring_sqe_set_data64(last_sqe(), ud(IORING_OP_CLOSE, 4));
	submit();
	CHECK(reap(NULL).res == 0);
	CHECK(pthread_join(t, NULL) == 0);
	if (oracle)
		fprintf(oracle, "{\"recv\":%ld,\"send\":%ld,\"secs\":%.6f}\n", recvs, sends,
			now() - t0);
	close(l);
}

/* A plain server: reads the two sends and the write, answers with one reply. */
static void *client_server(void *arg)
{
	int l = *(int *)arg, fd = accept(l, NULL, NULL);
	char buf[BUF_LEN];
	size_t got = 0;

	CHECK(fd >= 0);
	while (got < 37) {
		ssize_t r = recv(fd, buf, sizeof(buf), 0);

		CHECK(r > 0);
		got += r;
	}
	CHECK(send(fd, "replyread!msg", 13, 0) == 13);
	close(fd);
	return NULL;
}

static void client(void)
{
	struct sockaddr_in a = {.sin_family = AF_INET};
	int l = listener(), fd;
	char buf[BUF_LEN];
	struct cqe cqe;
	pthread_t t;

	CHECK(pthread_create(&t, NULL, client_server, &l) == 0);
	io_uring_prep_socket(sqe_get(), AF_INET, SOCK_STREAM, 0, 0);
	io_uring_sqe_set_data64(last_sqe(), ud(IORING_OP_SOCKET, 1));
	submit();
	fd = reap(NULL).res;
	CHECK(fd >= 0);
	a.sin_port = htons(port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	io_uring_prep_connect(sqe_get(), fd, (struct sockaddr *)&a, sizeof(a));
	io_uring_sqe_set_data64(last_sqe(), ud(IORING_OP_CONNECT, 2));
	submit();
	CHECK(reap(NULL).res == 0);
	for (int i = 0; i < 2; i++) {
		io_uring_prep_send_zc(sqe_get(), fd, "zero-copy!\n", 11, 0, 0);
		io_uring_sqe_set_data64(last_sqe(), ud(IORING_OP_SEND_ZC, 3 + i));
		submit();
		cqe = reap(NULL);
		CHECK(cqe.res == 11 && (cqe.flags & IORING_CQE_F_MORE));
		cqe = reap(NULL); /* the buffer is the process's again */
		CHECK(cqe.flags & IORING_CQE_F_NOTIF);
	}
	/* the plain read and write opcodes work on a socket too */
	io_uring_prep_write(sqe_get(), fd, "write\n", 6, 0);
	io_uring_sqe_set_data64(last_sqe(), ud(IORING_OP_WRITE, 5));
	submit();
	CHECK(reap(NULL).res == 6);
	/* a message of two buffers: -s shows the first's bytes */
	struct iovec iov[2] = {{"sendmsg", 7}, {"!\n", 2}};
	struct msghdr m = {.msg_iov = iov, .msg_iovlen = 2};
	io_uring_prep_sendmsg(sqe_get(), fd, &m, 0);
	io_uring_sqe_set_data64(last_sqe(), ud(IORING_OP_SENDMSG, 8));
	submit();
	CHECK(reap(NULL).res == 9);
	io_uring_prep_recv(sqe_get(), fd, buf, 5, MSG_WAITALL);
	io_uring_sqe_set_data64(last_sqe(), ud(IORING_OP_RECV, 6));
	submit();
	CHECK(reap(NULL).res == 5);
	io_uring_prep_read(sqe_get(), fd, buf, 5, 0);
	io_uring_sqe_set_data64(last_sqe(), ud(IORING_OP_READ, 7));
	submit();
	CHECK(reap(NULL).res == 5);
	struct iovec riov = {buf, 3};
	struct msghdr rm = {.msg_iov = &riov, .msg_iovlen = 1};
	io_uring_prep_recvmsg(sqe_get(), fd, &rm, MSG_WAITALL);
	io_uring_sqe_set_data64(last_sqe(), ud(IORING_OP_RECVMSG, 9));
	submit();
	CHECK(reap(NULL).res == 3);
	/* bytes into a pipe: no socket's, so -s shows none */
	int p[2];
	CHECK(pipe(p) == 0);
	io_uring_prep_write(sqe_get(), p[1], "secret", 6, 0);
	io_uring_sqe_set_data64(last_sqe(), ud(IORING_OP_WRITE, 10));
	submit();
	CHECK(reap(NULL).res == 6);
	close(p[0]);
	close(p[1]);
	CHECK(pthread_join(t, NULL) == 0);
	close(fd);
	close(l);
}

/*
 * Datagrams longer than the buffers, received under MSG_TRUNC: each RECV and
 * READ returns the whole length, but the buffer holds only its own.
 */
static void dgram(void)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t alen = sizeof(a);
	char buf[] = "ABCDEFGH";
	int u = socket(AF_INET, SOCK_DGRAM, 0);

	CHECK(u >= 0 && bind(u, (struct sockaddr *)&a, sizeof(a)) == 0);
	CHECK(getsockname(u, (struct sockaddr *)&a, &alen) == 0);
	CHECK(sendto(u, "0123456789", 10, 0, (struct sockaddr *)&a, alen) == 10);
	io_uring_prep_recv(sqe_get(), u, buf, 4, MSG_TRUNC);
	io_uring_sqe_set_data64(last_sqe(), ud(IORING_OP_RECV, 1));
	submit();
	CHECK(reap(NULL).res == 10 && !memcmp(buf, "0123EFGH", 8));
	CHECK(sendto(u, "0123456789", 10, 0, (struct sockaddr *)&a, alen) == 10);
	io_uring_prep_read(sqe_get(), u, buf, 2, 0);
	io_uring_sqe_set_data64(last_sqe(), ud(IORING_OP_READ, 2));
	submit();
	CHECK(reap(NULL).res == 2);
	close(u);
}

int main(int argc, char **argv)
{
	struct io_uring_params p = {};
	int i = 1;

	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--sqpoll"))
			sqpoll = 1;
		else if (!strcmp(argv[i], "-o") && i + 1 < argc)
			CHECK((oracle = fopen(argv[++i], "w")));
		else
			break;
	}
	if (i >= argc) {
		fprintf(stderr, "usage: uring_peer [--sqpoll] [-o FILE] scenario | echo N | client "
				"| dgram\n");
		return 2;
	}
	if (sqpoll) {
		p.flags = IORING_SETUP_SQPOLL;
		p.sq_thread_idle = 5000; /* ms: the SQ thread never sleeps during a test */
	}
	CHECK(io_uring_queue_init_params(64, &ring, &p) == 0);
	if (!strcmp(argv[i], "scenario")) {
		scenario();
	} else if (!strcmp(argv[i], "client")) {
		client();
	} else if (!strcmp(argv[i], "dgram")) {
		dgram();
	} else if (!strcmp(argv[i], "echo") && i + 1 < argc) {
		echo_n = atol(argv[i + 1]);
		echo();
	} else {
		fprintf(stderr, "uring_peer: unknown mode '%s'\n", argv[i]);
		return 2;
	}
	io_uring_queue_exit(&ring);
	if (oracle)
		fclose(oracle);
	return 0;
}
