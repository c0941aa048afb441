// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Decoders driven by hand-built records, as the BPF side would send them. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <sys/un.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/netlink.h>
#include <linux/types.h>
#include "socktrace.h"
#include "decode.h"
#include "sink.h"
#include "unames.h"
#include "unit.h"

static struct {
	struct ev_call ev;
	unsigned char aux[NT_AUX_MAX];
} rec;

static size_t build(unsigned int sys, long long ret, const void *aux, size_t aux_len)
{
	memset(&rec, 0, sizeof(rec));
	rec.ev.hdr.type = EV_CALL;
	rec.ev.sys = sys;
	rec.ev.ret = ret;
	rec.ev.enter_val = -1;
	rec.ev.aux_len = aux_len;
	rec.ev.dur_ns = 1500;
	memcpy(rec.ev.comm, "curl", 5);
	if (aux_len)
		memcpy(rec.aux, aux, aux_len);
	/* as the BPF side sends it: aux padded to 4 bytes, then the hits (none here) */
	rec.ev.hdr.size = sizeof(rec.ev) + ((aux_len + 3) & ~3u);
	return rec.ev.hdr.size;
}

/* setsockopt(fd, level, name, val, len), decoded into c */
static void sockopt_at(struct call *c, int level, int name, const void *val, unsigned int len)
{
	struct nt_aux_sockopt o = {.optlen = len};
	size_t n;

	memcpy(o.val, val, len);
	n = build(NT_SYS_SETSOCKOPT, 0, &o, sizeof(o));
	rec.ev.args[1] = level;
	rec.ev.args[2] = name;
	t_check(decode_call(&rec.ev, n, c) == 0);
}

static void sockopt(struct call *c, int name, const void *val, unsigned int len)
{
	sockopt_at(c, 1, name, val, len);
}

static const char *arg(const struct call *c, const char *name)
{
	for (int i = 0; i < c->nargs; i++)
		if (!strcmp(c->args[i].name, name))
			return c->args[i].text;
	return NULL;
}

static void test_sockaddr(void)
{
	struct sockaddr_in in = {.sin_family = AF_INET, .sin_port = htons(8080)};
	struct sockaddr_in6 in6 = {.sin6_family = AF_INET6, .sin6_port = htons(443)};
	struct sockaddr_un un = {.sun_family = AF_UNIX};
	struct sockaddr_nl nl = {.nl_family = AF_NETLINK, .nl_pid = 4242, .nl_groups = 0x11};
	struct sockaddr_ll ll = {
		.sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL), .sll_ifindex = 1};
	char buf[256];

	inet_pton(AF_INET, "127.0.0.1", &in.sin_addr);
	inet_pton(AF_INET6, "::1", &in6.sin6_addr);
	t_streq(fmt_sockaddr((void *)&in, sizeof(in), buf, sizeof(buf)), "127.0.0.1:8080");
	t_streq(fmt_sockaddr((void *)&in6, sizeof(in6), buf, sizeof(buf)), "[::1]:443");
	/* a link-local address with its interface's index, as ping and ip take it */
	inet_pton(AF_INET6, "fe80::1", &in6.sin6_addr);
	in6.sin6_scope_id = 2;
	t_streq(fmt_sockaddr((void *)&in6, sizeof(in6), buf, sizeof(buf)), "[fe80::1%2]:443");
	t_streq(fmt_sockaddr((void *)&in6, 24, buf, sizeof(buf)), "[fe80::1]:443");
	strcpy(un.sun_path, "/run/x.sock");
	t_streq(fmt_sockaddr((void *)&un, 2 + 12, buf, sizeof(buf)), "\"/run/x.sock\"");
	memcpy(un.sun_path, "\0abs\n", 5);
	t_streq(fmt_sockaddr((void *)&un, 2 + 5, buf, sizeof(buf)), "@\"abs\\x0a\"");
	t_streq(fmt_sockaddr((void *)&un, 2, buf, sizeof(buf)), "{AF_UNIX}");
	t_streq(fmt_sockaddr((void *)&un, 3, buf, sizeof(buf)), "@\"\""); /* bind(fd, "\0") */
	/* short or odd input never reads past len */
	t_streq(fmt_sockaddr((void *)&in, 1, buf, sizeof(buf)), "{}");
	t_streq(fmt_sockaddr((void *)&in, 4, buf, sizeof(buf)), "{AF_INET}");
	in.sin_family = 77;
	t_streq(fmt_sockaddr((void *)&in, sizeof(in), buf, sizeof(buf)), "{family=77}");
	/* netlink: the port id (0 is the kernel) and the multicast groups */
	t_streq(fmt_sockaddr((void *)&nl, sizeof(nl), buf, sizeof(buf)),
		"{AF_NETLINK, pid=4242, groups=0x11}");
	t_streq(fmt_sockaddr((void *)&nl, 8, buf, sizeof(buf)), "{AF_NETLINK}");
	t_streq(fmt_sockaddr((void *)&ll, sizeof(ll), buf, sizeof(buf)),
		"{AF_PACKET, proto=ETH_P_ALL, ifindex=1}");
	ll.sll_protocol = htons(0x1234);
	t_streq(fmt_sockaddr((void *)&ll, sizeof(ll), buf, sizeof(buf)),
		"{AF_PACKET, proto=0x1234, ifindex=1}");
}

static void test_fdset(void)
{
	unsigned char bits[NT_FDSET_BYTES] = {0x28, 0x01}; /* 3, 5, 8 */
	char buf[128];

	t_streq(fmt_fdset(bits, sizeof(bits), 9, buf, sizeof(buf)), "[3 5 8]");
	t_streq(fmt_fdset(bits, sizeof(bits), 6, buf, sizeof(buf)), "[3 5]");
	t_streq(fmt_fdset(bits, sizeof(bits), 1024, buf, sizeof(buf)), "[3 5 8 ...]");
	/* a list that does not fit ends with "...", never mid-number */
	memset(bits, 0xff, sizeof(bits));
	t_streq(fmt_fdset(bits, sizeof(bits), 256, buf, 24), "[0 1 2 3 4 5 6 7 8 ...]");
	t_streq(fmt_fdset(bits, sizeof(bits), 256, buf, 6), "[...]");
}

static void test_calls(void)
{
	struct sockaddr_in in = {.sin_family = AF_INET, .sin_port = htons(80)};
	struct call c;
	size_t n;

	inet_pton(AF_INET, "10.0.0.1", &in.sin_addr);
	n = build(NT_SYS_CONNECT, -ECONNREFUSED, &in, sizeof(in));
	rec.ev.args[0] = 5;
	rec.ev.args[1] = 0x7ffd0000;
	rec.ev.args[2] = sizeof(in);
	t_check(decode_call(&rec.ev, n, &c) == 0);
	t_streq(c.sys->name, "connect");
	t_streq(arg(&c, "addr"), "10.0.0.1:80");
	t_check(c.err == ECONNREFUSED);
	t_streq(c.err_name, "ECONNREFUSED");

	/* the listener's queue after an accept; an old recording's accept has none */
	n = build(NT_SYS_ACCEPT4, 7, NULL, 0);
	rec.ev.enter_val = 3ll << 32 | 4096;
	rec.ev.flags = NT_F_QUEUE;
	t_check(decode_call(&rec.ev, n, &c) == 0);
	t_check(c.queue.known && c.queue.queued == 3 && c.queue.max == 4096);
	t_streq(c.ret_detail, "(queue: 3 of 4096)");
	rec.ev.flags = 0;
	rec.ev.enter_val = 16; /* the addrlen it was given */
	t_check(decode_call(&rec.ev, n, &c) == 0);
	t_check(!c.queue.known && !*c.ret_detail);
	/* listen: said only where the kernel capped the backlog */
	n = build(NT_SYS_LISTEN, 0, NULL, 0);
	rec.ev.args[1] = 128;
	rec.ev.enter_val = 128;
	rec.ev.flags = NT_F_QUEUE;
	t_check(decode_call(&rec.ev, n, &c) == 0);
	t_check(c.queue.known && !*c.ret_detail);
	rec.ev.args[1] = (unsigned int)-1;
	t_check(decode_call(&rec.ev, n, &c) == 0);
	t_streq(c.ret_detail, "(queue of 128: the backlog capped by net.core.somaxconn)");

	n = build(NT_SYS_SOCKET, 3, NULL, 0);
	rec.ev.args[0] = AF_INET6;
	rec.ev.args[1] = 1 | 02000000 | 04000;
	rec.ev.args[2] = 6;
	t_check(decode_call(&rec.ev, n, &c) == 0);
	t_streq(arg(&c, "domain"), "AF_INET6");
	t_streq(arg(&c, "type"), "SOCK_STREAM|SOCK_CLOEXEC|SOCK_NONBLOCK");
	t_streq(arg(&c, "protocol"), "IPPROTO_TCP");
	/* the protocol is the family's own: NETLINK_ROUTE is 0, AF_PACKET's is an ethertype */
	rec.ev.args[0] = AF_NETLINK;
	rec.ev.args[1] = 3;
	rec.ev.args[2] = 0;
	t_check(decode_call(&rec.ev, n, &c) == 0);
	t_streq(arg(&c, "protocol"), "NETLINK_ROUTE");
	rec.ev.args[0] = AF_PACKET;
	rec.ev.args[2] = htons(ETH_P_IPV6);
	t_check(decode_call(&rec.ev, n, &c) == 0);
	t_streq(arg(&c, "protocol"), "htons(ETH_P_IPV6)");
	/* another family's protocol 1 is its own (CAN_RAW), not IPPROTO_ICMP */
	rec.ev.args[0] = AF_CAN;
	rec.ev.args[2] = 1;
	t_check(decode_call(&rec.ev, n, &c) == 0);
	t_streq(arg(&c, "domain"), "AF_CAN");
	t_streq(arg(&c, "protocol"), "1");

	n = build(NT_SYS_SENDTO, 78, NULL, 0);
	rec.ev.args[2] = 78;
	rec.ev.args[3] = 0x4000;
	rec.ev.sock.valid = 1;
	rec.ev.sock.family = rec.ev.sock.local.family = rec.ev.sock.peer.family = AF_INET;
	rec.ev.sock.type = 1;
	rec.ev.sock.state = 1;
	rec.ev.sock.local.port = 51234;
	rec.ev.sock.peer.port = 8080;
	inet_pton(AF_INET, "127.0.0.1", rec.ev.sock.local.addr);
	inet_pton(AF_INET, "127.0.0.2", rec.ev.sock.peer.addr);
	t_check(decode_call(&rec.ev, n, &c) == 0);
	t_streq(arg(&c, "len"), "78 B");
	t_streq(arg(&c, "flags"), "MSG_NOSIGNAL");
	t_streq(c.sock.kind, "TCP");
	t_streq(c.sock.local, "127.0.0.1:51234");
	t_streq(c.sock.peer, "127.0.0.2:8080");
	t_streq(c.sock.state, "ESTABLISHED");
	/* the same socket again, closing: the memo of its first decoding must not answer */
	rec.ev.sock.state = 8;
	t_check(decode_call(&rec.ev, n, &c) == 0);
	t_streq(c.sock.state, "CLOSE_WAIT");
	rec.ev.sock.peer.port = 8081;
	t_check(decode_call(&rec.ev, n, &c) == 0);
	t_streq(c.sock.peer, "127.0.0.2:8081");

	/* epoll_wait: two events back (data: an fd in decimal, a pointer in hex), the packed 12-byte x86_64 layout */
	unsigned char evs[24] = {0};
	uint32_t e1 = 0x1, e2 = 0x11;
	uint64_t d1 = 5, d2 = 0x559f01a3b610ull;

	memcpy(evs, &e1, 4);
	memcpy(evs + 4, &d1, 8);
	memcpy(evs + 12, &e2, 4);
	memcpy(evs + 16, &d2, 8);
	n = build(NT_SYS_EPOLL_WAIT, 2, evs, sizeof(evs));
	rec.ev.args[0] = 4;
	rec.ev.args[2] = 64;
	rec.ev.args[3] = (uint64_t)-1;
	t_check(decode_call(&rec.ev, n, &c) == 0);
	t_streq(arg(&c, "timeout"), "-1");
	t_streq(c.ret_detail, "[{EPOLLIN, data=5}, {EPOLLIN|EPOLLHUP, data=0x559f01a3b610}]");

	/* poll: revents listed only for ready fds */
	unsigned char pfds[16] = {0};
	int fd3 = 3, fd4 = 4;
	uint16_t pin = 1, pout = 4;

	memcpy(pfds, &fd3, 4);
	memcpy(pfds + 4, &pin, 2);
	memcpy(pfds + 8, &fd4, 4);
	memcpy(pfds + 12, &pout, 2);
	memcpy(pfds + 14, &pout, 2);
	n = build(NT_SYS_POLL, 1, pfds, sizeof(pfds));
	rec.ev.args[1] = 2;
	rec.ev.args[2] = 1000;
	t_check(decode_call(&rec.ev, n, &c) == 0);
	t_streq(arg(&c, "fds"), "[{3, POLLIN}, {4, POLLOUT}]");
	t_streq(c.ret_detail, "[{4, POLLOUT}]");

	/* select: sets before and after, the timeout read at enter */
	struct nt_aux_fdsets s = {.present = 1};

	s.in[0][0] = 0x18;  /* 3 4 */
	s.out[0][0] = 0x10; /* 4 */
	n = build(NT_SYS_SELECT, 1, &s, sizeof(s));
	rec.ev.args[0] = 5;
	rec.ev.enter_val = 1500000000;
	t_check(decode_call(&rec.ev, n, &c) == 0);
	t_streq(arg(&c, "readfds"), "[3 4]");
	t_streq(arg(&c, "writefds"), "NULL");
	t_streq(arg(&c, "timeout"), "1.500000s");
	t_streq(c.ret_detail, "in=[4]");

	/* epoll_ctl */
	unsigned char ev1[12];
	uint32_t et = 0x80000001u;
	uint64_t d = 9;

	memcpy(ev1, &et, 4);
	memcpy(ev1 + 4, &d, 8);
	n = build(NT_SYS_EPOLL_CTL, 0, ev1, sizeof(ev1));
	rec.ev.args[0] = 4;
	rec.ev.args[1] = 1;
	rec.ev.args[2] = 9;
	t_check(decode_call(&rec.ev, n, &c) == 0);
	t_streq(arg(&c, "op"), "EPOLL_CTL_ADD");
	t_streq(arg(&c, "event"), "{EPOLLIN|EPOLLET, data=9}");

	/* setsockopt's value: an int, or the struct its option takes */
	int one = 1;
	int32_t linger[2] = {1, 5};
	int64_t tv[2] = {1, 500};

	sockopt(&c, 2, &one, 4);
	t_streq(arg(&c, "level"), "SOL_SOCKET");
	t_streq(arg(&c, "optname"), "SO_REUSEADDR");
	t_streq(arg(&c, "optval"), "1");
	sockopt(&c, 13, linger, sizeof(linger));
	t_streq(arg(&c, "optname"), "SO_LINGER");
	t_streq(arg(&c, "optval"), "{l_onoff=1, l_linger=5}");
	sockopt(&c, 20, tv, sizeof(tv));
	t_streq(arg(&c, "optname"), "SO_RCVTIMEO_OLD");
	t_streq(arg(&c, "optval"), "{tv_sec=1, tv_usec=500}");
	/* a socket's cookie, the number bpf and ss -e name it by */
	uint64_t cookie = 4242;

	sockopt(&c, 57, &cookie, sizeof(cookie));
	t_streq(arg(&c, "optname"), "SO_COOKIE");
	t_streq(arg(&c, "optval"), "4242");
	/* a size that is not the struct's: bytes, as any other */
	sockopt(&c, 20, tv, 12);
	t_streq(arg(&c, "optval"), "\"0100000000000000f4010000\"");
	/* a multicast receiver's structs; SO_BINDTODEVICE's name */
	uint8_t mreq[12] = {239, 1, 1, 1, 127, 0, 0, 1, 10, 0, 0, 9};

	sockopt_at(&c, 0, 35, mreq, 8);
	t_streq(arg(&c, "optname"), "IP_ADD_MEMBERSHIP");
	t_streq(arg(&c, "optval"), "{imr_multiaddr=239.1.1.1, imr_interface=127.0.0.1}");
	uint8_t mreqn[12] = {239, 1, 1, 1, 127, 0, 0, 1, 9, 0, 0, 0};

	sockopt_at(&c, 0, 36, mreqn, 12);
	t_streq(arg(&c, "optname"), "IP_DROP_MEMBERSHIP");
	t_streq(arg(&c, "optval"),
		"{imr_multiaddr=239.1.1.1, imr_address=127.0.0.1, imr_ifindex=9}");
	sockopt_at(&c, 0, 39, mreq, 12);
	t_streq(arg(&c, "optval"),
		"{imr_multiaddr=239.1.1.1, imr_interface=127.0.0.1, imr_sourceaddr=10.0.0.9}");
	sockopt_at(&c, 0, 32, mreq + 4, 4);
	t_streq(arg(&c, "optname"), "IP_MULTICAST_IF");
	t_streq(arg(&c, "optval"), "127.0.0.1");
	sockopt_at(&c, 0, 35, mreq, 9); /* no such struct: bytes */
	t_streq(arg(&c, "optval"), "\"ef0101017f0000010a\"");
	sockopt(&c, 25, "lo\033x", 5);
	t_streq(arg(&c, "optname"), "SO_BINDTODEVICE");
	t_streq(arg(&c, "optval"), "\"lo?x\"");
	sockopt(&c, 25, "lo\0\0", 4); /* the size of the buffer, NUL-padded */
	t_streq(arg(&c, "optval"), "\"lo\"");
	/* what a server asks of an accepted unix peer, and of a socket it was handed */
	int32_t cred[3] = {4242, 1000, 100}, type = 2, dom = 10, proto = 6;

	sockopt(&c, 17, cred, sizeof(cred));
	t_streq(arg(&c, "optname"), "SO_PEERCRED");
	t_streq(arg(&c, "optval"), "{pid=4242, uid=1000, gid=100}");
	sockopt(&c, 3, &type, 4);
	t_streq(arg(&c, "optval"), "SOCK_DGRAM");
	sockopt(&c, 39, &dom, 4);
	t_streq(arg(&c, "optval"), "AF_INET6");
	sockopt(&c, 38, &proto, 4);
	t_streq(arg(&c, "optval"), "IPPROTO_TCP");
	/* a congestion control's name is 4 bytes here: a name all the same, not an int */
	sockopt_at(&c, 6, 13, "reno", 4);
	t_streq(arg(&c, "optname"), "TCP_CONGESTION");
	t_streq(arg(&c, "optval"), "\"reno\"");

	/* sendfile's offset as the call left it; a splice from the socket is a receive */
	int64_t off = 7000;

	n = build(NT_SYS_SENDFILE, 4000, &off, sizeof(off));
	rec.ev.args[0] = 5, rec.ev.args[1] = 3, rec.ev.args[2] = 0x7ffd0000, rec.ev.args[3] = 4096;
	t_check(decode_call(&rec.ev, n, &c) == 0);
	t_streq(arg(&c, "offset"), "[3000] => [7000]");
	t_streq(arg(&c, "count"), "4096 B");
	t_check(call_category(&c) == CAT_SEND && call_moves_bytes(&c));
	n = build(NT_SYS_SPLICE, 100, NULL, 0);
	rec.ev.args[0] = 5, rec.ev.args[2] = 8, rec.ev.args[4] = 65536, rec.ev.args[5] = 5;
	rec.ev.flags = NT_F_SOCK_SRC;
	t_check(decode_call(&rec.ev, n, &c) == 0);
	t_streq(arg(&c, "off_in"), "NULL");
	t_streq(arg(&c, "flags"), "SPLICE_F_MOVE|SPLICE_F_MORE");
	t_check(call_category(&c) == CAT_RECV);
}

static void test_bad_records(void)
{
	struct call c;
	size_t n = build(NT_SYS_BIND, 0, "\2\0", 2);

	t_check(decode_call(&rec.ev, n - 1, &c) == -EINVAL); /* size disagrees with hdr */
	t_check(decode_call(&rec.ev, 10, &c) == -EINVAL);    /* shorter than a record */
	rec.ev.aux_len = 400;				     /* aux past the record */
	t_check(decode_call(&rec.ev, n, &c) == -EINVAL);
	n = build(NT_SYS_MAX, 0, NULL, 0); /* unknown call */
	t_check(decode_call(&rec.ev, n, &c) == -EINVAL);
	/* aux shorter than the layout of its call: decoded without reading past it */
	n = build(NT_SYS_SELECT, 1, "\1", 1);
	t_check(decode_call(&rec.ev, n, &c) == 0);
	n = build(NT_SYS_SENDMSG, 1, "\1\2\3", 3);
	t_check(decode_call(&rec.ev, n, &c) == 0);
}

/* msg_control as strace names it: fds passed, packet info, what the copy cut short. */
static void test_cmsgs(void)
{
	struct {
		struct nt_aux_msghdr m;
		uint8_t ctl[NT_CMSG_MAX];
	} __attribute__((packed)) a = {.m = {.iov_bytes = 3, .iovlen = 1}};
	uint64_t clen = 16 + 8;
	int32_t hdr[2] = {1, 1}, fds[2] = {7, 8}, pkt[3] = {1, 0x0100007f, 0x0100007f};
	struct call c;
	size_t n;

	/* SCM_RIGHTS with two fds, then IP_PKTINFO (8-aligned after it) */
	memcpy(a.ctl, &clen, 8);
	memcpy(a.ctl + 8, hdr, 8);
	memcpy(a.ctl + 16, fds, 8);
	clen = 16 + 12;
	hdr[0] = 0;
	hdr[1] = 8;
	memcpy(a.ctl + 24, &clen, 8);
	memcpy(a.ctl + 32, hdr, 8);
	memcpy(a.ctl + 40, pkt, 12);
	a.m.controllen = 24 + 28;
	n = build(NT_SYS_RECVMSG, 3, &a, sizeof(a.m) + 52);
	t_check(decode_call(&rec.ev, n, &c) == 0);
	t_streq(arg(&c, "msg"), "{iov=1, len=3, control=[{SOL_SOCKET, SCM_RIGHTS, [7, 8]}, "
				"{SOL_IP, IP_PKTINFO, {ifindex=1, spec_dst=127.0.0.1, "
				"addr=127.0.0.1}}]}");
	/* more control than was copied: the messages that came, then "..." */
	a.m.controllen = 200;
	n = build(NT_SYS_RECVMSG, 3, &a, sizeof(a.m) + 52);
	t_check(decode_call(&rec.ev, n, &c) == 0);
	t_streq(arg(&c, "msg"), "{iov=1, len=3, control=[{SOL_SOCKET, SCM_RIGHTS, [7, 8]}, "
				"{SOL_IP, IP_PKTINFO, {ifindex=1, spec_dst=127.0.0.1, "
				"addr=127.0.0.1}}, ...]}");
	/* a message cut inside its data; a length that overruns is where decoding stops */
	a.m.controllen = 24 + 28;
	n = build(NT_SYS_RECVMSG, 3, &a, sizeof(a.m) + 20);
	t_check(decode_call(&rec.ev, n, &c) == 0);
	t_streq(arg(&c, "msg"), "{iov=1, len=3, control=[{SOL_SOCKET, SCM_RIGHTS, [7]...}, ...]}");
	clen = 4096;
	memcpy(a.ctl, &clen, 8);
	n = build(NT_SYS_RECVMSG, 3, &a, sizeof(a.m) + 52);
	t_check(decode_call(&rec.ev, n, &c) == 0);
	t_streq(arg(&c, "msg"), "{iov=1, len=3, control=[...]}");
	/* a recording from before control bytes were kept: the length alone */
	n = build(NT_SYS_RECVMSG, 3, &a, sizeof(a.m));
	t_check(decode_call(&rec.ev, n, &c) == 0);
	t_streq(arg(&c, "msg"), "{iov=1, len=3, control=52}");
}

/* Hits after aux: decoded in order, named; a count that overruns is refused. */
static void test_hits(void)
{
	struct nt_hit h[2] = {
		{.start_off = 100,
		 .dur_ns = 900,
		 .stackid = -1,
		 .val = 4,
		 .fn = NT_FN_TCP_SENDMSG,
		 .depth = 1,
		 .flags = NT_HIT_EXITED},
		{.start_off = 50,
		 .stackid = 7,
		 .val = 1 << 8 | 2,
		 .fn = NT_TP_INET_SOCK_SET_STATE,
		 .flags = NT_HIT_POINT},
	};
	struct call c;
	size_t n = build(NT_SYS_SENDTO, 4, "\2\0", 2);

	memcpy((char *)&rec.ev + n, h, sizeof(h));
	rec.ev.nhits = 2;
	rec.ev.hdr.size = n + sizeof(h);
	t_check(decode_call(&rec.ev, n + sizeof(h), &c) == 0);
	t_check(c.path.nhits == 2);
	t_streq(c.path.hits[0].name, "tcp_sendmsg");
	t_check(c.path.hits[0].exited && c.path.hits[0].dur_ns == 900 && c.path.hits[0].depth == 1);
	t_streq(c.path.hits[1].name, "inet_sock_set_state");
	t_check(c.path.hits[1].point && c.path.hits[1].stackid == 7);
	rec.ev.nhits = 3; /* more hits than the record holds */
	t_check(decode_call(&rec.ev, n + sizeof(h), &c) == -EINVAL);
	rec.ev.nhits = 2;
	h[0].fn = NT_FN_MAX; /* an unknown function */
	memcpy((char *)&rec.ev + n, h, sizeof(h));
	t_check(decode_call(&rec.ev, n + sizeof(h), &c) == -EINVAL);
}

/* io_uring completions: a multishot recv's second CQE, a failed linked send */
static void test_ureq(void)
{
	struct {
		struct ev_ureq ev;
		struct nt_hit hits[1];
	} u = {};
	struct call c;

	u.ev.hdr.size = sizeof(u.ev) + sizeof(struct nt_hit);
	u.ev.hdr.type = EV_UREQ;
	u.ev.hdr.ts_ns = 1000;
	u.ev.submit_ns = 500;
	u.ev.complete_ns = 4000;
	u.ev.opcode = 27; /* IORING_OP_RECV */
	u.ev.fd = 9;
	u.ev.user_data = 0x2a;
	u.ev.id = 6;
	u.ev.shot = 2;
	u.ev.res = 64;
	u.ev.cflags = 3 | 5 << 16; /* F_BUFFER|F_MORE, buffer 5 */
	u.ev.how = NT_UR_POLL | NT_UR_TASKWORK | NT_UR_SQPOLL;
	u.ev.nhits = 1;
	u.hits[0] = (struct nt_hit){.fn = NT_TP_SOCK_RECV_LENGTH, .val = 64, .flags = NT_HIT_POINT};
	t_check(decode_ureq(&u.ev, u.ev.hdr.size, &c) == 0);
	t_check(c.req.is_req && c.req.id == 6 && c.req.shot == 2 && c.req.more);
	t_streq(c.req.op, "RECV");
	t_check(c.dur_ns == 3000 && c.ret == 64 && !c.err);
	t_streq(c.req.how, "armed on poll → task work; SQ thread, no syscall");
	t_streq(c.ret_detail, "F_BUFFER|F_MORE, buffer 5");
	t_streq(arg(&c, "fd"), "9");
	t_check(c.path.nhits == 1 && c.path.hits[0].val == 64);

	u.ev.opcode = 26; /* IORING_OP_SEND */
	u.ev.res = -32;
	u.ev.cflags = 0;
	u.ev.how = NT_UR_LINKED | NT_UR_FIXED;
	u.ev.link_id = 5;
	t_check(decode_ureq(&u.ev, u.ev.hdr.size, &c) == 0);
	t_streq(c.err_name, "EPIPE");
	t_streq(c.req.how, "linked: issued once #5 completed");
	t_streq(arg(&c, "fd"), "fixed #9");
	/* a size that does not match the hits is refused */
	t_check(decode_ureq(&u.ev, u.ev.hdr.size - 1, &c) != 0);
	u.ev.nhits = NT_HITS_MAX + 1;
	t_check(decode_ureq(&u.ev, u.ev.hdr.size, &c) != 0);
}

/* -s: every byte escaped, the longest payload fits its text buffer whole, in each -x mode */
static void test_payload_text(void)
{
	struct call_data d = {.len = NT_PAYLOAD_MAX};
	char text[PAYLOAD_TEXT_MAX];

	memset(d.bytes, 0xff, sizeof(d.bytes));
	for (int hex = HEX_BYTES; hex <= HEX_ALL; hex++) {
		t_check(format_payload(&d, hex, text, sizeof(text)) == 4 * NT_PAYLOAD_MAX);
		t_check(!strcmp(text + 4 * NT_PAYLOAD_MAX - 4, "\\xff"));
	}
	memcpy(d.bytes, "a\"\\\r\n\t\x01", 7);
	d.len = 7;
	format_payload(&d, HEX_BYTES, text, sizeof(text));
	t_streq(text, "a\\\"\\\\\\r\\n\\t\\x01");
	/* -x: a control that is no white space makes all of it hex; white space does not */
	format_payload(&d, HEX_NOT_TEXT, text, sizeof(text));
	t_streq(text, "\\x61\\x22\\x5c\\x0d\\x0a\\x09\\x01");
	d.len = 6;
	format_payload(&d, HEX_NOT_TEXT, text, sizeof(text));
	t_streq(text, "a\\\"\\\\\\r\\n\\t");
	format_payload(&d, HEX_ALL, text, sizeof(text));
	t_streq(text, "\\x61\\x22\\x5c\\x0d\\x0a\\x09");
}

/* A unix socket's name comes apart from its calls: a call decoded before it
 * shows the inode, one after it the name, though the socket's bytes are the
 * same (the decoder's memo must not keep the old text). */
static void test_unix_names(void)
{
	struct nt_sock s = {
		.ino = 9001, .peer_ino = 9002, .family = AF_UNIX, .type = 1, .valid = 1};
	struct ev_uname u = {.hdr = {.type = EV_UNAME, .size = sizeof(u)}, .ino = 9001};
	struct sockaddr_un un = {.sun_family = AF_UNIX};
	struct call_sock cs;
	char bare[64];

	decode_sock(&s, &cs);
	t_streq(cs.local, "unix:9001");
	t_check(!cs.local_name && !cs.peer_name);
	strcpy(un.sun_path, "/run/app.sock");
	memcpy(u.sa, &un, 2 + 14);
	u.len = 2 + 14;
	t_check(decode_uname(&u, sizeof(u)) == 0);
	decode_sock(&s, &cs);
	t_streq(cs.local, "unix:9001");
	t_streq(sock_local_shown(&cs), "\"/run/app.sock\"");
	t_streq(sock_peer_shown(&cs), "unix:9002");
	t_streq(unames_bare(cs.local_name, bare, sizeof(bare)), "/run/app.sock");
	/* the peer named by an abstract name: shown as the argument decoder shows it */
	memcpy(un.sun_path, "\0abs\"x", 6);
	memcpy(u.sa, &un, 2 + 6);
	u.len = 2 + 6;
	u.ino = 9002;
	t_check(decode_uname(&u, sizeof(u)) == 0);
	decode_sock(&s, &cs);
	t_streq(cs.peer_name, "@\"abs\\x22x\"");
	t_streq(unames_bare(cs.peer_name, bare, sizeof(bare)), "@abs\\x22x");
	/* malformed records are refused; an unnamed socket's is no name */
	u.len = sizeof(u.sa) + 1;
	t_check(decode_uname(&u, sizeof(u)) == -EINVAL);
	u.len = 2;
	t_check(decode_uname(&u, sizeof(u) - 1) == -EINVAL);
	u.ino = 9003;
	t_check(decode_uname(&u, sizeof(u)) == 0);
	t_check(!unames_get(9003));
}

int main(void)
{
	test_unix_names();
	test_payload_text();
	test_ureq();
	test_cmsgs();
	test_hits();
	test_sockaddr();
	test_fdset();
	test_calls();
	test_bad_records();
	return t_done();
}
