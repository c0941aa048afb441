// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The load client; see load.h. */
#include <arpa/inet.h>
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include "json.h"
#include "load.h"
#include "log.h"
#include "util.h"

struct conn {
	int fd, id;
	int connected;
	uint64_t seq;	    /* round trips done */
	uint32_t sent, got; /* of the current message */
	uint64_t t0;	    /* when its first byte went */
	uint64_t deadline;  /* UDP: its echo is lost if not back by then */
};

/* a lost datagram fails its round trip instead of waiting for ever */
#define UDP_ECHO_WAIT_NS 1000000000ull

struct lat {
	uint32_t *ns;
	size_t n, cap;
};

/*
 * Message bytes depend on the connection and the round trip: a byte echoed to
 * the wrong peer or out of order is caught.  Letters and digits, so that what
 * -s shows of them in class reads as text, not escapes: in order through each
 * 64-byte block, each block shifted by a hash of its index (the first by
 * none: "abcdefgh..."), so that an echo that repeats or swaps whole blocks
 * differs, as a period of 64 would not.
 */
static uint8_t pattern(int conn, uint64_t seq, uint32_t i)
{
	static const char letters[64] =
		"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+/";
	uint32_t shift = (i / 64) * 2654435761u >> 26; /* Knuth's multiplicative hash: 6 bits */

	return (uint8_t)letters[(conn * 131 + seq * 7 + i + shift) % 64];
}

static void fill(uint8_t *buf, int conn, uint64_t seq, uint32_t size)
{
	for (uint32_t i = 0; i < size; i++)
		buf[i] = pattern(conn, seq, i);
}

static void lat_add(struct lat *l, uint64_t ns)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 4096;
		uint32_t *p = cap < (64u << 20) ? realloc(l->ns, cap * sizeof(*p)) : NULL;

		if (!p)
			return; /* keep what there is: percentiles of the first 64M */
		l->ns = p;
		l->cap = cap;
	}
	l->ns[l->n++] = ns > UINT32_MAX ? UINT32_MAX : (uint32_t)ns;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * Nearest rank, as -c's P50/P99 are: at least num/den of the round trips took
 * no longer. Of 10, the p99 is the slowest, not the 9th.
 */
static uint32_t nearest_rank(const struct lat *l, uint64_t num, uint64_t den)
{
	uint64_t rank = (l->n * num + den - 1) / den;

	return l->ns[rank ? rank - 1 : 0];
}

static void percentiles(struct lat *l, struct load_result *r)
{
	if (!l->n)
		return;
	qsort(l->ns, l->n, sizeof(*l->ns), cmp_u32);
	r->p50_ns = nearest_rank(l, 50, 100);
	r->p99_ns = nearest_rank(l, 99, 100);
	r->p999_ns = nearest_rank(l, 999, 1000);
	r->max_ns = l->ns[l->n - 1];
}

static void fail(struct load_result *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fail(struct load_result *r, const char *fmt, ...)
{
	va_list ap;

	r->errors++;
	if (*r->first_error)
		return;
	va_start(ap, fmt);
	vsnprintf(r->first_error, sizeof(r->first_error), fmt, ap);
	va_end(ap);
}

static int resolve(const struct load_opts *o, struct sockaddr_storage *ss, socklen_t *len)
{
	struct sockaddr_in *in = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, o->host, &in->sin_addr) == 1) {
		in->sin_family = AF_INET;
		in->sin_port = htons(o->port);
		*len = sizeof(*in);
	} else if (inet_pton(AF_INET6, o->host, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons(o->port);
		*len = sizeof(*in6);
	} else {
		err("--host %s: not an IPv4 or IPv6 address", o->host);
		return -EINVAL;
	}
	return 0;
}

static void pause_ms(int ms)
{
	struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};

	if (ms > 0)
		nanosleep(&t, NULL);
}

static int done(const struct load_opts *o, const struct conn *c, uint64_t end)
{
	return o->requests ? c->seq >= o->requests : mono_ns() >= end;
}

/* Whole buffer out/in over a blocking socket (the step-by-step client). */
static int xfer(int fd, uint8_t *buf, uint32_t n, int out)
{
	for (uint32_t off = 0; off < n;) {
		ssize_t r = out ? send(fd, buf + off, n - off, MSG_NOSIGNAL)
				: recv(fd, buf + off, n - off, 0);

		if (r <= 0)
			return r < 0 ? -errno : -ECONNRESET;
		off += r;
	}
	return 0;
}

/* --slow: every connection opened first, then each one's round trips, one step at a time. */
static void run_steps(const struct load_opts *o, const struct sockaddr_storage *ss, socklen_t len,
		      uint8_t *msg, uint8_t *echo, struct lat *l, struct load_result *r)
{
	uint64_t end = mono_ns() + o->duration_ns;
	int *fds = calloc(o->connections, sizeof(*fds));

	if (!fds) {
		fail(r, "out of memory");
		return;
	}
	/* a lost datagram fails its round trip instead of waiting for ever */
	struct timeval udp_wait = {1, 0};

	for (int id = 0; id < o->connections; id++) {
		fds[id] = socket(ss->ss_family, o->udp ? SOCK_DGRAM : SOCK_STREAM, 0);
		if (fds[id] < 0 || (o->udp ? setsockopt(fds[id], SOL_SOCKET, SO_RCVTIMEO, &udp_wait,
							sizeof(udp_wait))
					   : connect(fds[id], (const struct sockaddr *)ss, len))) {
			fail(r, "connect: %s", strerror(errno));
			if (fds[id] >= 0)
				close(fds[id]);
			fds[id] = -1;
		}
		pause_ms(o->slow_ms);
	}
	for (int id = 0; id < o->connections; id++) {
		struct conn c = {.fd = fds[id], .id = id};
		int fd = fds[id];

		if (fd < 0)
			continue;
		while (!done(o, &c, end)) {
			uint64_t t0 = mono_ns();
			int e;

			fill(msg, id, c.seq, o->size);
			if (o->udp) {
				/* where each datagram came from, as a connectionless peer asks */
				struct sockaddr_storage from;
				socklen_t fromlen = sizeof(from);
				ssize_t n;

				e = sendto(fd, msg, o->size, 0, (const struct sockaddr *)ss, len) ==
						    (ssize_t)o->size
					    ? 0
					    : -errno;
				pause_ms(o->slow_ms);
				n = e ? -1
				      : recvfrom(fd, echo, o->size, 0, (struct sockaddr *)&from,
						 &fromlen);
				if (!e && n != (ssize_t)o->size)
					e = n < 0 ? -errno : -EMSGSIZE;
			} else {
				e = xfer(fd, msg, o->size, 1);
				pause_ms(o->slow_ms);
				if (!e)
					e = xfer(fd, echo, o->size, 0);
			}
			if (e) {
				fail(r, "connection %d, round trip %llu: %s", id,
				     (unsigned long long)c.seq,
				     o->udp && e == -EAGAIN ? "no echo within 1 s" : strerror(-e));
				break;
			}
			if (memcmp(msg, echo, o->size)) {
				fail(r, "connection %d, round trip %llu: the echo differs", id,
				     (unsigned long long)c.seq);
				r->differed++;
			}
			lat_add(l, mono_ns() - t0);
			r->round_trips++;
			r->bytes += o->size;
			c.seq++;
			pause_ms(o->slow_ms);
		}
		close(fd);
	}
	free(fds);
}

/* A connection, or with --udp a socket with nothing to connect: sendto names the server. */
static int start_conn(int ep, struct conn *c, const struct sockaddr_storage *ss, socklen_t len,
		      int udp)
{
	struct epoll_event ev = {.events = EPOLLOUT, .data.ptr = c};
	int one = 1;

	c->fd = socket(ss->ss_family,
		       (udp ? SOCK_DGRAM : SOCK_STREAM) | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (c->fd < 0)
		return -errno;
	c->connected = udp;
	if (!udp) {
		setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		if (connect(c->fd, (const struct sockaddr *)ss, len) && errno != EINPROGRESS)
			return -errno;
	}
	return epoll_ctl(ep, EPOLL_CTL_ADD, c->fd, &ev) ? -errno : 0;
}

static void stop_conn(int ep, struct conn *c, int *live)
{
	epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
	close(c->fd);
	c->fd = -1;
	(*live)--;
}

/*
 * One connection's next step, driven by epoll: send the message (as much as
 * the socket takes), then read the echo and check it, then the next one.
 * Returns 0 to go on, < 0 when the connection is finished.
 */
static int step(int ep, const struct load_opts *o, struct conn *c, uint8_t *msg, uint8_t *buf,
		struct lat *l, struct load_result *r, uint64_t end,
		const struct sockaddr_storage *ss, socklen_t len)
{
	struct epoll_event ev = {.data.ptr = c};
	struct sockaddr_storage from;
	socklen_t fromlen = sizeof(from);
	ssize_t n;

	if (!c->connected) {
		int e = 0;
		socklen_t el = sizeof(e);

		getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &e, &el);
		if (e) {
			fail(r, "connect: %s", strerror(e));
			return -1;
		}
		c->connected = 1;
	}
	if (c->sent < o->size) {
		if (!c->sent) {
			if (done(o, c, end))
				return -1;
			c->t0 = mono_ns();
		}
		fill(msg, c->id, c->seq, o->size);
		/* a datagram goes whole or not at all */
		n = o->udp ? sendto(c->fd, msg, o->size, 0, (const struct sockaddr *)ss, len)
			   : send(c->fd, msg + c->sent, o->size - c->sent, MSG_NOSIGNAL);
		if (n < 0 && errno != EAGAIN) {
			fail(r, "send: %s", strerror(errno));
			return -1;
		}
		c->sent += n > 0 ? n : 0;
		if (o->udp)
			c->deadline = mono_ns() + UDP_ECHO_WAIT_NS;
		ev.events = c->sent < o->size ? EPOLLOUT : EPOLLIN;
		return epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev) ? -1 : 0;
	}
	/* where each datagram came from, as a connectionless peer asks */
	n = o->udp ? recvfrom(c->fd, buf, o->size, 0, (struct sockaddr *)&from, &fromlen)
		   : recv(c->fd, buf, o->size - c->got, 0);
	if (n < 0 && errno == EAGAIN)
		return 0;
	if (n < 0 || (!n && !o->udp)) {
		fail(r, "recv: %s", n ? strerror(errno) : "the server closed the connection");
		return -1;
	}
	if (o->udp && n != (ssize_t)o->size) {
		fail(r, "connection %d, round trip %llu: an echo of %zd bytes, not %u", c->id,
		     (unsigned long long)c->seq, n, o->size);
		r->differed++;
		return -1;
	}
	for (ssize_t i = 0; i < n; i++)
		if (buf[i] != pattern(c->id, c->seq, c->got + i)) {
			fail(r, "connection %d, round trip %llu, byte %u: the echo differs", c->id,
			     (unsigned long long)c->seq, (unsigned int)(c->got + i));
			r->differed++;
			return -1;
		}
	c->got += n;
	if (c->got < o->size)
		return 0;
	lat_add(l, mono_ns() - c->t0);
	r->round_trips++;
	r->bytes += o->size;
	c->seq++;
	c->sent = c->got = 0;
	ev.events = EPOLLOUT;
	return epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev) ? -1 : 0;
}

static int run_epoll(const struct load_opts *o, const struct sockaddr_storage *ss, socklen_t len,
		     uint8_t *msg, uint8_t *buf, struct lat *l, struct load_result *r)
{
	struct conn *conns = calloc(o->connections, sizeof(*conns));
	struct epoll_event evs[256];
	uint64_t end = mono_ns() + o->duration_ns;
	int ep = epoll_create1(EPOLL_CLOEXEC), live = 0;

	if (!conns || ep < 0) {
		free(conns);
		return -ENOMEM;
	}
	for (int i = 0; i < o->connections; i++) {
		int e;

		conns[i].id = i;
		if ((e = start_conn(ep, &conns[i], ss, len, o->udp))) {
			fail(r, "connection %d: %s", i, strerror(-e));
			if (conns[i].fd >= 0)
				close(conns[i].fd);
			conns[i].fd = -1;
			continue;
		}
		live++;
	}
	while (live > 0) {
		/* a duration run ends even if every connection is stuck; UDP looks
		 * for lost echoes every 100 ms */
		int n = epoll_wait(ep, evs, 256, o->requests && !o->udp ? 10000 : 100);
		uint64_t now;

		if (n == 0 && !o->udp && (o->requests || mono_ns() >= end)) {
			if (o->requests)
				fail(r, "no progress for 10 s: %d connection%s still waiting", live,
				     live == 1 ? "" : "s");
			break;
		}
		for (int i = 0; i < n; i++) {
			struct conn *c = evs[i].data.ptr;

			if (c->fd >= 0 && step(ep, o, c, msg, buf, l, r, end, ss, len) < 0)
				stop_conn(ep, c, &live);
		}
		now = o->udp ? mono_ns() : 0;
		for (int i = 0; o->udp && i < o->connections; i++)
			if (conns[i].fd >= 0 && conns[i].sent == o->size &&
			    now > conns[i].deadline) {
				fail(r, "connection %d, round trip %llu: no echo within 1 s", i,
				     (unsigned long long)conns[i].seq);
				stop_conn(ep, &conns[i], &live);
			}
	}
	for (int i = 0; i < o->connections; i++)
		if (conns[i].fd >= 0)
			close(conns[i].fd);
	close(ep);
	free(conns);
	return 0;
}

static void close_idle(int *fds, int n)
{
	for (int i = 0; i < n; i++)
		close(fds[i]);
	free(fds);
}

/*
 * --idle: connected before the round trips begin and closed after them,
 * never written to: the server watches them all, as a real one does its
 * quiet clients.  Their fds, or NULL (a message was logged).
 */
static int *open_idle(const struct load_opts *o, const struct sockaddr_storage *ss, socklen_t len)
{
	int *fds = calloc(o->idle ? o->idle : 1, sizeof(*fds));

	if (!fds)
		err("out of memory for %d idle connections", o->idle);
	for (int i = 0; fds && i < o->idle; i++) {
		fds[i] = socket(ss->ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fds[i] < 0 || connect(fds[i], (const struct sockaddr *)ss, len)) {
			err("idle connection %d of %d: %s", i + 1, o->idle, strerror(errno));
			close_idle(fds, fds[i] < 0 ? i : i + 1);
			return NULL;
		}
	}
	return fds;
}

/* fds beyond the connections: stdio, a listener, epoll, timers, libc's own */
#define FDS_SPARE 16

int load_check_fds(int connections, int idle)
{
	unsigned long limit = nofile_raise();
	long avail = (long)(limit > 0x7fffffff ? 0x7fffffff : limit) - FDS_SPARE,
	     room = avail - idle;
	char fix[64];

	if (!limit || (long)connections <= room)
		return 0;
	/* what fits: fewer connections; else, the idle ones leaving none, fewer of those */
	if (room >= 1)
		snprintf(fix, sizeof(fix), "--connections %ld or fewer", room);
	else if (avail >= connections)
		snprintf(fix, sizeof(fix), "--idle %ld or fewer", avail - connections);
	else
		snprintf(fix, sizeof(fix), "--connections %ld or fewer and no --idle",
			 avail > 1 ? avail : 1);
	if (idle)
		err("%d connection%s and %d idle ones need as many open files, and a process "
		    "here may open %lu (ulimit -Hn): give %s, or raise the limit",
		    connections, plural(connections), idle, limit, fix);
	else
		err("%d connection%s need%s as many open files, and a process here may open %lu "
		    "(ulimit -Hn): give %s, or raise the limit",
		    connections, plural(connections), connections == 1 ? "s" : "", limit, fix);
	return -EMFILE;
}

int load_run(const struct load_opts *o, struct load_result *r)
{
	struct sockaddr_storage ss;
	struct lat l = {};
	socklen_t len;
	uint8_t *msg, *buf;
	uint64_t t0;
	int ret = 0, *idle;

	memset(r, 0, sizeof(*r));
	if (resolve(o, &ss, &len))
		return -EINVAL;
	if (load_check_fds(o->connections, o->idle))
		return -EMFILE;
	if (!(idle = open_idle(o, &ss, len)))
		return -ECONNREFUSED;
	msg = malloc(o->size);
	buf = malloc(o->size);
	if (!msg || !buf) {
		free(msg);
		free(buf);
		close_idle(idle, o->idle);
		return -ENOMEM;
	}
	t0 = mono_ns();
	if (o->slow_ms >= 0)
		run_steps(o, &ss, len, msg, buf, &l, r);
	else
		ret = run_epoll(o, &ss, len, msg, buf, &l, r);
	r->secs = (mono_ns() - t0) / 1e9;
	percentiles(&l, r);
	close_idle(idle, o->idle);
	free(l.ns);
	free(msg);
	free(buf);
	return ret;
}

void load_print(const struct load_opts *o, const struct load_result *r)
{
	char p50[32], p99[32], p999[32], mx[32], took[32], idle_note[32] = "", latency[160];
	/* --slow pauses between a send and its recv: the time would be the pause's */
	int paused = o->slow_ms > 0;

	if (o->json) {
		struct json j;

		json_init(&j, stdout);
		json_obj_begin(&j);
		json_kv_uint(&j, "connections", o->connections);
		json_kv_uint(&j, "idle", o->idle);
		json_kv_uint(&j, "size", o->size);
		json_kv_uint(&j, "round_trips", r->round_trips);
		json_kv_uint(&j, "bytes", r->bytes);
		json_kv_uint(&j, "errors", r->errors);
		if (*r->first_error)
			json_kv_str(&j, "first_error", r->first_error);
		json_kv_uint(&j, "elapsed_ns", (uint64_t)(r->secs * 1e9));
		json_kv_uint(&j, "round_trips_per_s",
			     r->secs > 0 ? (uint64_t)(r->round_trips / r->secs) : 0);
		if (paused) {
			json_kv_uint(&j, "slow_ms", o->slow_ms);
		} else {
			json_kv_uint(&j, "p50_ns", r->p50_ns);
			json_kv_uint(&j, "p99_ns", r->p99_ns);
			json_kv_uint(&j, "p999_ns", r->p999_ns);
			json_kv_uint(&j, "max_ns", r->max_ns);
		}
		json_obj_end(&j);
		json_newline(&j);
		return;
	}
	fmt_dur(r->p50_ns, p50, sizeof(p50));
	fmt_dur(r->p99_ns, p99, sizeof(p99));
	fmt_dur(r->p999_ns, p999, sizeof(p999));
	fmt_dur(r->max_ns, mx, sizeof(mx));
	if (paused)
		snprintf(latency, sizeof(latency),
			 "no latency: --slow %d pauses inside each round trip", o->slow_ms);
	else if (!r->round_trips)
		snprintf(latency, sizeof(latency), "no latency: no round trip completed");
	else
		snprintf(latency, sizeof(latency), "latency p50 %s, p99 %s, p99.9 %s, max %s", p50,
			 p99, p999, mx);
	/* a short run in ms, not "0.00 s" */
	fmt_dur((uint64_t)(r->secs * 1e9), took, sizeof(took));
	if (o->idle)
		snprintf(idle_note, sizeof(idle_note), " (and %d idle)", o->idle);
	printf("socktrace load: %d connection%s%s, %llu round trip%s of %u B in %s: %.0f round "
	       "trips/s; %s; %llu error%s",
	       o->connections, plural(o->connections), idle_note,
	       (unsigned long long)r->round_trips, plural(r->round_trips), o->size, took,
	       r->secs > 0 ? r->round_trips / r->secs : 0.0, latency, (unsigned long long)r->errors,
	       plural(r->errors));
	if (*r->first_error)
		printf(" (first: %s)", r->first_error);
	putchar('\n');
}

int cmd_load(const struct load_opts *o)
{
	struct load_result r;

	signal(SIGPIPE, SIG_IGN);
	prctl(PR_SET_NAME, "load-client");
	if (load_run(o, &r))
		return 1;
	/* not one round trip, none of them a wrong echo: a figure of zeros would hide what to do */
	if (!o->json && !r.round_trips && r.errors && !r.differed) {
		const char *host = o->host ? o->host : "127.0.0.1";
		int bind = strcmp(host, "127.0.0.1") != 0; /* serve's own default */

		fprintf(stderr,
			"socktrace load: no round trip with %s port %d (%s): "
			"is an echo server there? socktrace serve epoll%s%s%s --port %d starts "
			"one\n",
			host, o->port, r.first_error, o->udp ? " --udp" : "",
			bind ? " --bind " : "", bind ? host : "", o->port);
		return 1;
	}
	load_print(o, &r);
	return r.errors ? 1 : 0;
}
