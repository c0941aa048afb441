// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Matching the two ends of connects, sends and datagrams; see peers.h.  Pure. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/io_uring.h>
#include <linux/types.h>
#include "socktrace.h"
#include "peers.h"

#define PENDING_MAX 1024 /* flows waiting for their other end; the oldest go first */

struct flow {
	char from[64], to[64]; /* the sender's local and peer endpoints */
	long long bytes;       /* a send: bytes not yet received */
	int tag;
};

/* What a search looks at first, apart and small: most flows differ here. */
struct flow_key {
	unsigned int from_port, to_port; /* port_of() each */
	int connect;			 /* a connect waiting for its accept */
};

#define TO_PORTS 4096 /* buckets of the ports flows go to */

/*
 * A ring, oldest first: with one side traced (a server attached alone) no
 * flow ever finds its other end, and each new one pushes out the oldest.
 */
struct peers {
	struct flow f[PENDING_MAX];
	struct flow_key k[PENDING_MAX];
	int head, n, next_tag;
	/* flows toward each port (mod TO_PORTS), and toward unix ends: a receive
	 * on a port no flow goes to (one side traced) needs no search */
	unsigned short to_port[TO_PORTS];
	int to_unix;
};

static int slot(const struct peers *p, int i)
{
	return (p->head + i) % PENDING_MAX;
}

static struct flow *at(struct peers *p, int i)
{
	return &p->f[slot(p, i)];
}

/*
 * The port an endpoint names, which two names of one end always share
 * (same_end below); ANY_PORT for a unix end, whose name may be unknown.
 */
#define ANY_PORT 0xffffffffu
static unsigned int port_of(const char *end)
{
	const char *colon = strrchr(end, ':');

	return !strncmp(end, "unix:", 5) || !colon ? ANY_PORT : (unsigned int)atoi(colon + 1);
}

static int ports_may_match(unsigned int a, unsigned int b)
{
	return a == b || a == ANY_PORT || b == ANY_PORT;
}

struct peers *peers__new(void)
{
	return calloc(1, sizeof(struct peers));
}

void peers__free(struct peers *p)
{
	free(p);
}

enum kind { K_NONE, K_CONNECT, K_ACCEPT, K_SEND, K_RECV };

/* What a call of syscall sys_id is to matching; from_sock: a sendfile or splice reads a socket. */
static enum kind sys_kind(unsigned int sys_id, int from_sock)
{
	switch (sys_id) {
	case NT_SYS_CONNECT:
		return K_CONNECT;
	case NT_SYS_ACCEPT:
	case NT_SYS_ACCEPT4:
		return K_ACCEPT;
	case NT_SYS_SENDTO:
	case NT_SYS_SENDMSG:
	case NT_SYS_WRITE:
	case NT_SYS_WRITEV:
		return K_SEND;
	case NT_SYS_RECVFROM:
	case NT_SYS_RECVMSG:
	case NT_SYS_READ:
	case NT_SYS_READV:
		return K_RECV;
	case NT_SYS_SENDFILE:
	case NT_SYS_SPLICE:
		return from_sock ? K_RECV : K_SEND;
	}
	return K_NONE;
}

int peers__sys_may_start(unsigned int sys_id)
{
	enum kind k = sys_kind(sys_id, 0);

	return k == K_CONNECT || k == K_SEND;
}

static enum kind kind_of(const struct call *c)
{
	if (c->peek)
		return K_NONE; /* the receive after it takes the bytes */
	if (c->req.is_req) {
		if (c->req.opcode == IORING_OP_ACCEPT)
			return K_ACCEPT;
		if (c->req.opcode == IORING_OP_CONNECT)
			return K_CONNECT;
		if (!uring_op_moves_bytes(c->req.opcode))
			return K_NONE;
		return uring_op_receives(c->req.opcode) ? K_RECV : K_SEND;
	}
	return sys_kind(c->sys->id, c->from_sock);
}

static void count_to(struct peers *p, unsigned int port, int d)
{
	if (port == ANY_PORT)
		p->to_unix += d;
	else
		p->to_port[port % TO_PORTS] += d;
}

static void drop(struct peers *p, int i)
{
	count_to(p, p->k[slot(p, i)].to_port, -1);
	if (!i) {
		p->head = (p->head + 1) % PENDING_MAX;
	} else {
		for (; i < p->n - 1; i++) {
			*at(p, i) = *at(p, i + 1);
			p->k[slot(p, i)] = p->k[slot(p, i + 1)];
		}
	}
	p->n--;
}

static int add(struct peers *p, const struct peer_call *c, int connect, long long bytes)
{
	struct flow *f;

	if (p->n == PENDING_MAX)
		drop(p, 0);
	p->k[slot(p, p->n)] = (struct flow_key){port_of(c->local), port_of(c->peer), connect};
	count_to(p, p->k[slot(p, p->n)].to_port, 1);
	f = at(p, p->n++);
	memcpy(f->from, c->local, sizeof(f->from));
	memcpy(f->to, c->peer, sizeof(f->to));
	f->bytes = bytes;
	f->tag = ++p->next_tag;
	return f->tag;
}

/*
 * "[::ffff:127.0.0.1]:80" as "127.0.0.1:80": a dual-stack (IPv6) socket names
 * its IPv4 peer so, where the peer's own socket says it plainly.
 */
static const char *unmapped(const char *s, char *buf, size_t len)
{
	const char *end;

	if (strncmp(s, "[::ffff:", 8) || !(end = strchr(s, ']')) ||
	    !memchr(s + 8, '.', end - s - 8))
		return s;
	snprintf(buf, len, "%.*s%s", (int)(end - s - 8), s + 8, end + 1);
	return buf;
}

/*
 * One endpoint as two sockets name it: an unbound UDP sender's local
 * address is the wildcard ("0.0.0.0:44478", "[::]:44478"), where its
 * receiver sees the address the datagram came from.  A unix peer without
 * an inode is any unix end: the other end names the connection.
 */
static int same_end(const char *a, const char *b)
{
	char ua[64], ub[64];
	const char *pa, *pb;

	a = unmapped(a, ua, sizeof(ua));
	b = unmapped(b, ub, sizeof(ub));
	pa = strrchr(a, ':');
	pb = strrchr(b, ':');
	if (!strcmp(a, b))
		return 1;
	if (unix_peer_unknown(a) || unix_peer_unknown(b))
		return !strncmp(a, "unix:", 5) && !strncmp(b, "unix:", 5);
	if (!pa || !pb || strcmp(pa, pb))
		return 0;
	return (pa - a == 7 && !strncmp(a, "0.0.0.0", 7)) ||
	       (pb - b == 7 && !strncmp(b, "0.0.0.0", 7)) ||
	       (pa - a == 4 && !strncmp(a, "[::]", 4)) || (pb - b == 4 && !strncmp(b, "[::]", 4));
}

/* The oldest flow toward c's socket from its peer (of the kind wanted). */
static int find(struct peers *p, const struct peer_call *c, int connect)
{
	unsigned int peer_port = port_of(c->peer), local_port = port_of(c->local);

	if (local_port != ANY_PORT && !p->to_unix && !p->to_port[local_port % TO_PORTS])
		return -1;
	for (int i = 0; i < p->n; i++) {
		const struct flow_key *k = &p->k[slot(p, i)];

		if (k->connect == connect && ports_may_match(k->from_port, peer_port) &&
		    ports_may_match(k->to_port, local_port) && same_end(at(p, i)->from, c->peer) &&
		    same_end(at(p, i)->to, c->local))
			return i;
	}
	return -1;
}

/* sendto's destination, recvfrom's source: an unconnected datagram socket's peer, call by call. */
static const char *addr_arg(const struct call *c)
{
	for (int i = 0; i < c->nargs; i++)
		if (!strcmp(c->args[i].name, "addr"))
			return strchr(c->args[i].text, ':') ? c->args[i].text : NULL;
	return NULL;
}

enum peer_end peers__describe(const struct call *c, struct peer_call *out)
{
	const char *addr;

	memset(out, 0, sizeof(*out));
	out->kind = kind_of(c);
	out->end = out->kind == K_CONNECT || out->kind == K_SEND  ? PEER_FROM
		   : out->kind == K_ACCEPT || out->kind == K_RECV ? PEER_TO
								  : PEER_NONE;
	snprintf(out->local, sizeof(out->local), "%s", c->sock.local);
	snprintf(out->peer, sizeof(out->peer), "%s", c->sock.peer);
	out->dgram = c->sock.type && !strcmp(c->sock.type, "SOCK_DGRAM");
	if (out->dgram && !*out->peer && (out->kind == K_SEND || out->kind == K_RECV) &&
	    (addr = addr_arg(c)))
		snprintf(out->peer, sizeof(out->peer), "%s", addr);
	/* both ends named: a connected socket (unix ones by inode), or a datagram's;
	 * a datagram socket's connect only sets its default peer: nothing crosses */
	if (!c->sock.valid || !*out->local || !*out->peer || (out->dgram && out->kind == K_CONNECT))
		out->end = PEER_NONE;
	out->ret = c->ret;
	out->err = c->err;
	return out->end;
}

int peers__start(struct peers *p, const struct peer_call *c)
{
	if (c->end != PEER_FROM)
		return 0;
	if (c->kind == K_CONNECT && (c->ret == 0 || c->err == 115 /* EINPROGRESS */))
		return add(p, c, 1, 0);
	if (c->kind == K_SEND && c->ret > 0)
		return add(p, c, 0, c->ret);
	return 0;
}

int peers__finish(struct peers *p, const struct peer_call *c)
{
	int i, tag;

	if (c->end != PEER_TO || (c->kind == K_ACCEPT ? c->ret < 0 : c->ret <= 0))
		return 0;
	i = find(p, c, c->kind == K_ACCEPT);
	if (i < 0)
		return 0;
	tag = at(p, i)->tag;
	if (c->kind == K_ACCEPT) {
		drop(p, i);
		return tag;
	}
	/* a datagram is received whole, or its rest is lost: one send, one recv */
	if (c->dgram) {
		drop(p, i);
		return tag;
	}
	/* the bytes received come from the oldest sends first */
	for (long long left = c->ret; left > 0 && (i = find(p, c, 0)) >= 0;) {
		struct flow *f = at(p, i);
		long long take = left < f->bytes ? left : f->bytes;

		f->bytes -= take;
		left -= take;
		if (!f->bytes)
			drop(p, i);
	}
	return tag;
}
