// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* report --by conn's table: a row per socket until its close, bytes each way. */
#include <stdio.h>
#include <string.h>
#include "conntab.h"
#include "xlat.h"
#include "unit.h"

static struct call on(const char *name, uint64_t ino, long long ret, uint64_t ts)
{
	struct call c = {.sys = sys_by_name(name), .ret = ret, .ts_ns = ts, .pid = 7};

	c.sock.valid = 1;
	c.sock.ino = ino;
	snprintf(c.sock.local, sizeof(c.sock.local), "127.0.0.1:%llu",
		 (unsigned long long)(ino % 60000));
	snprintf(c.sock.peer, sizeof(c.sock.peer), "127.0.0.1:80");
	return c;
}

static void add(struct conntab *t, const char *name, uint64_t ino, long long ret)
{
	static uint64_t ts;
	struct call c = on(name, ino, ret, ts += 1000);

	conntab__add(t, &c);
}

/* thousands of sockets, so the slots grow and closes empty the middle of clusters */
static void test_many(void)
{
	struct conntab *t = conntab__new();
	struct conn_row *rows;
	int n, bad = 0;
	const int N = 5000;

	for (uint64_t i = 1; i <= N; i++) {
		add(t, "sendto", i * 4096, 10);
		add(t, "recvfrom", i * 4096, 3);
	}
	for (uint64_t i = 1; i <= N; i += 2)
		add(t, "close", i * 4096, 0);
	/* the even ones are open still; the odd inodes' next socket is a row of its own */
	for (uint64_t i = 1; i <= N; i++)
		add(t, "sendto", i * 4096, 1);
	rows = conntab__rows(t, &n);
	t_check(n == N + N / 2);
	for (int i = 0; i < N; i++) {
		const struct conn_row *r = &rows[i];
		int closed = i % 2 == 0;

		/* sendto, recvfrom, then the close or the later sendto */
		bad += r->calls != 3 || r->bytes_in != 3 || r->bytes_out != (closed ? 10u : 11u) ||
		       r->closed != closed;
	}
	for (int i = N; i < n; i++)
		bad += rows[i].calls != 1 || rows[i].bytes_out != 1 || rows[i].closed;
	t_check(bad == 0);
	conntab__free(t);
}

/* what the kernel's table leaves out, this one does */
static void test_not_counted(void)
{
	struct conntab *t = conntab__new();
	struct call c = on("socket", 9, 3, 1);
	int n;

	conntab__add(t, &c);
	c = on("epoll_ctl", 9, 0, 2);
	conntab__add(t, &c);
	c = on("sendto", 0, 5, 3); /* no socket read */
	conntab__add(t, &c);
	c = on("accept4", 11, 4, 4); /* the accepted socket: a row */
	conntab__add(t, &c);
	c.req.is_req = 1, c.req.opcode = 13, c.ret = -125; /* a cancelled ACCEPT: the listener's */
	c.sock.ino = 12;
	conntab__add(t, &c);
	conntab__rows(t, &n);
	t_check(n == 1);
	conntab__free(t);
}

int main(void)
{
	test_many();
	test_not_counted();
	return t_done();
}
