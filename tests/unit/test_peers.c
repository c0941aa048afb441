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

int main(void)
{
	test_connect_accept();
	return t_done();
}
