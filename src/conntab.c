// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Connections by socket inode, as the kernel's table keys them by struct
 * sock: the row is made at the first call on the socket after socket(), its
 * pid is the caller's, and a close ends it, so a later socket is a row of
 * its own.  The calls that count are those bpf/syscalls.bpf.c's count_conn
 * and uring.bpf.c's count_ureq_conn count.
 */
#include <stdlib.h>
#include <string.h>
#include <linux/io_uring.h>
#include <linux/types.h>
#include "socktrace.h"
#include "conntab.h"
#include "decode.h"

struct slot {
	uint64_t ino; /* 0: empty */
	int row;
};

struct conntab {
	struct conn_row *rows;
	int n, cap;
	struct slot *slots; /* open addressing; at most half full */
	size_t nslots, used;
};

struct conntab *conntab__new(void)
{
	return calloc(1, sizeof(struct conntab));
}

void conntab__free(struct conntab *t)
{
	if (!t)
		return;
	free(t->rows);
	free(t->slots);
	free(t);
}

static size_t slot_of(const struct conntab *t, uint64_t ino)
{
	size_t i = (ino * 0x9e3779b97f4a7c15ull) >> 7 & (t->nslots - 1);

	while (t->slots[i].ino && t->slots[i].ino != ino)
		i = (i + 1) & (t->nslots - 1);
	return i;
}

static int grow(struct conntab *t)
{
	struct slot *old = t->slots;
	size_t n = t->nslots;

	t->nslots = n ? n * 2 : 1024;
	t->slots = calloc(t->nslots, sizeof(*t->slots));
	if (!t->slots) {
		t->slots = old;
		t->nslots = n;
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		if (old[i].ino)
			t->slots[slot_of(t, old[i].ino)] = old[i];
	free(old);
	return 0;
}

/* Removing from open addressing: the slots after it that it pushed along move back. */
static void forget(struct conntab *t, size_t i)
{
	size_t j = i;

	t->slots[i].ino = 0;
	t->used--;
	for (;;) {
		struct slot s;

		j = (j + 1) & (t->nslots - 1);
		if (!t->slots[j].ino)
			return;
		s = t->slots[j];
		t->slots[j].ino = 0;
		t->slots[slot_of(t, s.ino)] = s;
	}
}

static int counted(const struct call *c)
{
	if (!c->sock.valid || !c->sock.ino)
		return 0;
	if (c->req.is_req) /* a failed ACCEPT names the listener: no connection's */
		return (c->req.opcode != 13 || c->ret >= 0) && !req_is_notif(&c->req);
	switch (c->sys->id) {
	case NT_SYS_SOCKET:
	case NT_SYS_SOCKETPAIR:
	case NT_SYS_EPOLL_CTL:
		return 0;
	}
	return 1;
}

static int closes(const struct call *c)
{
	return c->ret == 0 &&
	       (c->req.is_req ? c->req.opcode == IORING_OP_CLOSE : c->sys->id == NT_SYS_CLOSE);
}

void conntab__add(struct conntab *t, const struct call *c)
{
	uint64_t end = c->ts_ns + c->dur_ns;
	struct conn_row *r;
	size_t i;

	if (!counted(c) || ((t->used + 1) * 2 > t->nslots && grow(t)))
		return;
	i = slot_of(t, c->sock.ino);
	if (!t->slots[i].ino) {
		if (t->n == t->cap) {
			int cap = t->cap ? t->cap * 2 : 256;
			struct conn_row *rows = realloc(t->rows, cap * sizeof(*rows));

			if (!rows)
				return;
			t->rows = rows;
			t->cap = cap;
		}
		r = &t->rows[t->n];
		memset(r, 0, sizeof(*r));
		r->sock = c->sock;
		r->pid = c->pid;
		r->first_ns = end;
		t->slots[i] = (struct slot){c->sock.ino, t->n++};
		t->used++;
	}
	r = &t->rows[t->slots[i].row];
	/* not connected when first seen: its ends as they are now (bound, connected) */
	if (!*r->sock.peer || unix_peer_unknown(r->sock.peer))
		r->sock = c->sock;
	r->calls++;
	r->last_ns = end;
	r->last_pid = c->pid;
	if (call_receives(c))
		r->bytes_in += call_bytes(c);
	else
		r->bytes_out += call_bytes(c);
	if (closes(c)) {
		r->closed = 1;
		forget(t, i);
	}
}

void conntab__close_uncounted(struct conntab *t, const struct call *c)
{
	struct conn_row *r;
	size_t i;

	if (!closes(c) || !c->sock.valid || !c->sock.ino || !t->nslots)
		return;
	i = slot_of(t, c->sock.ino);
	if (!t->slots[i].ino)
		return;
	r = &t->rows[t->slots[i].row];
	r->last_ns = c->ts_ns + c->dur_ns;
	r->last_pid = c->pid;
	r->closed = 1;
	forget(t, i);
}

struct conn_row *conntab__rows(struct conntab *t, int *n)
{
	*n = t->n;
	return t->rows;
}
