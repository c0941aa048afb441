// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Pairing the two ends of a connection: the connect and the accept that took it. */
#include <stdio.h>
#include <string.h>
#include "peers.h"
#include "unit.h"

static void test_connect_accept(void)
{
	struct peers *p = peers__new();
	struct call conn = {.sys = sys_by_name("connect")}, acc = {.sys = sys_by_name("accept4")};
	struct peer_call from, to;
	int tag;

	t_check(p != NULL);
	/* the kinds come from the calls, the ends as a socket names them */
	conn.sock.valid = acc.sock.valid = 1;
	conn.sock.type = acc.sock.type = "SOCK_STREAM";
	snprintf(conn.sock.local, sizeof(conn.sock.local), "127.0.0.1:40000");
	snprintf(conn.sock.peer, sizeof(conn.sock.peer), "127.0.0.1:8080");
	/* a dual-stack listener names its IPv4 peer as a mapped IPv6 address */
	snprintf(acc.sock.local, sizeof(acc.sock.local), "[::ffff:127.0.0.1]:8080");
	snprintf(acc.sock.peer, sizeof(acc.sock.peer), "[::ffff:127.0.0.1]:40000");
	acc.ret = 5;
	t_check(peers__describe(&conn, &from) == PEER_FROM);
	t_check(peers__describe(&acc, &to) == PEER_TO);
	tag = peers__start(p, &from);
	t_check(tag > 0);
	t_check(peers__finish(p, &to) == tag);
	/* another port is another connection */
	tag = peers__start(p, &from);
	snprintf(to.peer, sizeof(to.peer), "[::ffff:127.0.0.1]:40001");
	t_check(peers__finish(p, &to) == 0);
	/* a mapped address is not any IPv6 one */
	snprintf(to.peer, sizeof(to.peer), "[::1]:40000");
	t_check(peers__finish(p, &to) == 0);
	peers__free(p);
}

/*
 * One side traced (a server attached alone): its sends never meet their
 * receives, the oldest go once 1024 wait, and the ones kept still pair in
 * order, around the ring, with a flow taken from its middle too.
 */
static void test_one_side_ring(void)
{
	struct peers *p = peers__new();
	struct call send = {.sys = sys_by_name("sendto")}, recv = {.sys = sys_by_name("recvfrom")},
		    conn = {.sys = sys_by_name("connect")}, acc = {.sys = sys_by_name("accept4")};
	struct peer_call s, r, from, to;
	int first = 0, ctag = 0;

	t_check(p != NULL);
	send.sock.valid = recv.sock.valid = conn.sock.valid = acc.sock.valid = 1;
	send.sock.type = recv.sock.type = conn.sock.type = acc.sock.type = "SOCK_STREAM";
	snprintf(send.sock.local, sizeof(send.sock.local), "127.0.0.1:8080");
	snprintf(send.sock.peer, sizeof(send.sock.peer), "127.0.0.1:40000");
	snprintf(recv.sock.local, sizeof(recv.sock.local), "127.0.0.1:40000");
	snprintf(recv.sock.peer, sizeof(recv.sock.peer), "127.0.0.1:8080");
	snprintf(conn.sock.local, sizeof(conn.sock.local), "127.0.0.1:40001");
	snprintf(conn.sock.peer, sizeof(conn.sock.peer), "127.0.0.1:8080");
	snprintf(acc.sock.local, sizeof(acc.sock.local), "127.0.0.1:8080");
	snprintf(acc.sock.peer, sizeof(acc.sock.peer), "127.0.0.1:40001");
	send.ret = 1;
	acc.ret = 6;
	t_check(peers__describe(&send, &s) == PEER_FROM);
	t_check(peers__describe(&conn, &from) == PEER_FROM);
	t_check(peers__describe(&acc, &to) == PEER_TO);
	for (int i = 0; i < 1500; i++) {
		int tag = i == 1200 ? (ctag = peers__start(p, &from)) : peers__start(p, &s);

		if (i == 1500 - 1024)
			first = tag; /* the oldest of the 1024 kept */
	}
	/* the connect from the ring's middle, then the sends in order around it */
	t_check(peers__finish(p, &to) == ctag);
	recv.ret = 1;
	t_check(peers__describe(&recv, &r) == PEER_TO);
	t_check(peers__finish(p, &r) == first);
	r.ret = 2; /* two sends' bytes: tagged by the older */
	t_check(peers__finish(p, &r) == first + 1);
	r.ret = 1;
	t_check(peers__finish(p, &r) == first + 3);
	peers__free(p);
}

int main(void)
{
	test_connect_accept();
	test_one_side_ring();
	return t_done();
}
