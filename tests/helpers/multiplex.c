// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * One of each call the decoders of the multiplexers and message calls must
 * get right, made with raw syscalls so the test knows exactly what the kernel
 * saw: select, pselect6, poll, ppoll, epoll_*, sendmsg/recvmsg with an address,
 * sendmmsg/recvmmsg, writev/readv, io_uring_setup/register/enter.
 * Prints "a=FD b=FD udp=PORT" for the test to check against.
 * `multiplex mmsg`: one sendmmsg of MMSG_N datagrams of 10 bytes on a
 * connected UDP socket, and one recvmmsg that takes them all.
 */
#include <arpa/inet.h>
#include <linux/io_uring.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#define CHECK(x)                                                                                   \
	do {                                                                                       \
		if (!(x)) {                                                                        \
			fprintf(stderr, "multiplex: %s failed at line %d\n", #x, __LINE__);        \
			exit(1);                                                                   \
		}                                                                                  \
	} while (0)

#define MMSG_N 20 /* more than the 8 lengths a record shows */

static int mmsg_batch(void)
{
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof(sa);
	int rx = socket(AF_INET, SOCK_DGRAM, 0), tx = socket(AF_INET, SOCK_DGRAM, 0);
	struct mmsghdr out[MMSG_N], in[MMSG_N];
	struct iovec oiov[MMSG_N], iiov[MMSG_N];
	char rbuf[MMSG_N][16];

	CHECK(rx >= 0 && tx >= 0);
	CHECK(bind(rx, (struct sockaddr *)&sa, sizeof(sa)) == 0);
	CHECK(getsockname(rx, (struct sockaddr *)&sa, &len) == 0);
	CHECK(connect(tx, (struct sockaddr *)&sa, sizeof(sa)) == 0);
	memset(out, 0, sizeof(out));
	memset(in, 0, sizeof(in));
	for (int i = 0; i < MMSG_N; i++) {
		oiov[i] = (struct iovec){"0123456789", 10};
		out[i].msg_hdr.msg_iov = &oiov[i];
		out[i].msg_hdr.msg_iovlen = 1;
		iiov[i] = (struct iovec){rbuf[i], sizeof(rbuf[i])};
		in[i].msg_hdr.msg_iov = &iiov[i];
		in[i].msg_hdr.msg_iovlen = 1;
	}
	CHECK(sendmmsg(tx, out, MMSG_N, 0) == MMSG_N);
	CHECK(recvmmsg(rx, in, MMSG_N, MSG_DONTWAIT, NULL) == MMSG_N);
	return 0;
}

int main(int argc, char **argv)
{
	int sv[2], a, b, ep, u1, u2, ring;
	char buf[64];
	fd_set rs;

	if (argc > 1 && !strcmp(argv[1], "mmsg"))
		return mmsg_batch();
	CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
	a = sv[0], b = sv[1];
	CHECK(write(b, "x", 1) == 1);

	/* select and pselect6: a is readable */
	struct timeval tv = {1, 500000};
	FD_ZERO(&rs);
	FD_SET(a, &rs);
	CHECK(syscall(SYS_select, a + 1, &rs, NULL, NULL, &tv) == 1);
	struct timespec ts = {1, 500000000};
	FD_ZERO(&rs);
	FD_SET(a, &rs);
	FD_SET(b, &rs);
	CHECK(syscall(SYS_pselect6, b + 1, &rs, NULL, NULL, &ts, NULL) == 1);

	/* poll and ppoll */
	struct pollfd pfd[2] = {{.fd = a, .events = POLLIN}, {.fd = b, .events = POLLIN}};
	CHECK(syscall(SYS_poll, pfd, 2, 1000) == 1);
	struct timespec t250 = {0, 250000000};
	CHECK(syscall(SYS_ppoll, pfd, 1, &t250, NULL, 8) == 1);

	/* epoll: create, add a edge-triggered with data=a, wait three ways */
	ep = syscall(SYS_epoll_create1, EPOLL_CLOEXEC);
	CHECK(ep >= 0);
	struct epoll_event ev = {.events = EPOLLIN | EPOLLET, .data.u64 = a}, out[8];
	CHECK(syscall(SYS_epoll_ctl, ep, EPOLL_CTL_ADD, a, &ev) == 0);
	CHECK(syscall(SYS_epoll_wait, ep, out, 8, 1000) == 1);
	CHECK(write(b, "y", 1) == 1);
	CHECK(syscall(SYS_epoll_pwait, ep, out, 8, 1000, NULL, 8) == 1);
	CHECK(write(b, "z", 1) == 1);
	struct timespec t100 = {0, 100000000};
	CHECK(syscall(SYS_epoll_pwait2, ep, out, 8, &t100, NULL, 8) == 1);
	CHECK(read(a, buf, sizeof(buf)) == 3);
	/* a delete ignores its event: whatever is in it */
	ev.events = 0xdeadbeef;
	CHECK(syscall(SYS_epoll_ctl, ep, EPOLL_CTL_DEL, a, &ev) == 0);

	/* writev/readv on the socket pair */
	struct iovec iov[2] = {{"ab", 2}, {"cde", 3}};
	CHECK(writev(a, iov, 2) == 5);
	struct iovec riov[2] = {{buf, 1}, {buf + 1, 30}};
	CHECK(readv(b, riov, 2) == 5);
	/* more iovecs than are read: the lengths end with '...' */
	struct iovec many[10];
	for (int i = 0; i < 10; i++)
		many[i] = (struct iovec){"0123456789" + i, 1};
	CHECK(writev(a, many, 10) == 10);
	CHECK(read(b, buf, sizeof(buf)) == 10);

	/* UDP: sendmsg with a destination, recvmsg fills in the sender */
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t sl = sizeof(sa);
	u1 = socket(AF_INET, SOCK_DGRAM, 0);
	u2 = socket(AF_INET, SOCK_DGRAM, 0);
	CHECK(bind(u1, (void *)&sa, sizeof(sa)) == 0 && getsockname(u1, (void *)&sa, &sl) == 0);
	struct msghdr mh = {
		.msg_name = &sa, .msg_namelen = sizeof(sa), .msg_iov = iov, .msg_iovlen = 2};
	CHECK(sendmsg(u2, &mh, 0) == 5);
	struct sockaddr_in from;
	struct msghdr rh = {
		.msg_name = &from, .msg_namelen = sizeof(from), .msg_iov = riov, .msg_iovlen = 2};
	CHECK(recvmsg(u1, &rh, MSG_DONTWAIT) == 5);

	/* sendmmsg/recvmmsg: two datagrams of 3 and 4 bytes */
	struct iovec m1 = {"one", 3}, m2 = {"four", 4};
	struct mmsghdr mm[2] = {{.msg_hdr = {.msg_name = &sa,
					     .msg_namelen = sizeof(sa),
					     .msg_iov = &m1,
					     .msg_iovlen = 1}},
				{.msg_hdr = {.msg_name = &sa,
					     .msg_namelen = sizeof(sa),
					     .msg_iov = &m2,
					     .msg_iovlen = 1}}};
	CHECK(sendmmsg(u2, mm, 2, 0) == 2);
	char r1[8], r2[8];
	struct iovec ri1 = {r1, 8}, ri2 = {r2, 8};
	struct sockaddr_in f1; /* who sent the first; the second does not ask */
	struct mmsghdr rm[2] = {{.msg_hdr = {.msg_name = &f1,
					     .msg_namelen = sizeof(f1),
					     .msg_iov = &ri1,
					     .msg_iovlen = 1}},
				{.msg_hdr = {.msg_iov = &ri2, .msg_iovlen = 1}}};
	CHECK(recvmmsg(u1, rm, 2, MSG_WAITFORONE, NULL) == 2);

	/* io_uring's three syscalls */
	struct io_uring_params p;
	memset(&p, 0, sizeof(p));
	ring = syscall(__NR_io_uring_setup, 4, &p);
	CHECK(ring >= 0);
	struct iovec rb = {buf, sizeof(buf)};
	CHECK(syscall(__NR_io_uring_register, ring, IORING_REGISTER_BUFFERS, &rb, 1) == 0);
	CHECK(syscall(__NR_io_uring_enter, ring, 0, 0, IORING_ENTER_GETEVENTS, NULL, 0) == 0);

	printf("a=%d b=%d ep=%d udp=%d ring=%d\n", a, b, ep, ntohs(sa.sin_port), ring);
	close(ring);
	close(u1);
	close(u2);
	close(ep);
	close(a);
	close(b);
	return 0;
}
