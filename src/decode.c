// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * One decoder per call, chosen by a table indexed by enum nt_sys (strace's
 * syscallent shape).  A decoder turns the raw arguments and the user memory
 * the BPF side copied (aux) into named, printable arguments.  Nothing here
 * trusts the record: sizes are checked before any aux is read.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <linux/types.h>
#include "socktrace.h"
#include "decode.h"
#include "unames.h"
#include "util.h"
#include "hooks.h"
#include "xlat.h"

struct dctx {
	const struct ev_call *ev;
	const uint8_t *aux;
	size_t aux_len;
	struct call *c;
};

static struct call_arg *arg_new(struct call *c, const char *name)
{
	struct call_arg *a;

	if (c->nargs >= CALL_MAX_ARGS)
		return &c->args[CALL_MAX_ARGS - 1];
	a = &c->args[c->nargs++];
	a->name = name;
	a->text[0] = 0;
	a->num = 0;
	a->is_num = a->hide = 0;
	return a;
}

static struct call_arg *arg_num(struct call *c, const char *name, long long v)
{
	struct call_arg *a = arg_new(c, name);

	a->num = v;
	a->is_num = 1;
	fmt_i64(a->text, v);
	return a;
}

static struct call_arg *arg_str(struct call *c, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static struct call_arg *arg_str(struct call *c, const char *name, const char *fmt, ...)
{
	struct call_arg *a = arg_new(c, name);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(a->text, sizeof(a->text), fmt, ap);
	va_end(ap);
	return a;
}

static void arg_flags(struct call *c, const char *name, const struct xlat *tab, uint64_t v,
		      int hide_zero)
{
	struct call_arg *a = arg_new(c, name);

	xlat_flags(tab, v, NULL, a->text, sizeof(a->text));
	a->hide = hide_zero && !v;
}

static void arg_fd(struct call *c, uint64_t fd)
{
	arg_num(c, "fd", (int)fd);
}

static void arg_bytes(struct call *c, const char *name, uint64_t n)
{
	struct call_arg *a = arg_new(c, name);

	a->num = (long long)n;
	a->is_num = 1;
	memcpy(a->text + fmt_u64(a->text, n), " B", 3);
}

static void detail(struct call *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void detail(struct call *c, const char *fmt, ...)
{
	size_t off = strlen(c->ret_detail);
	va_list ap;

	if (off >= sizeof(c->ret_detail) - 1)
		return;
	va_start(ap, fmt);
	vsnprintf(c->ret_detail + off, sizeof(c->ret_detail) - off, fmt, ap);
	va_end(ap);
}

/*
 * A bracketed list in a bounded buffer (after what it holds): an item that
 * would not fit ends the list with "...", so a list cut short says so
 * instead of stopping mid-item.
 */
struct blist {
	char *buf;
	size_t len, o;
	const char *sep;
	int n, cut;
};

static void blist_open(struct blist *l, char *buf, size_t len, const char *sep)
{
	*l = (struct blist){.buf = buf, .len = len, .o = strnlen(buf, len), .sep = sep};
	buf_put(buf, &l->o, len, "[");
}

static void blist_add(struct blist *l, const char *item)
{
	size_t sep = l->n ? strlen(l->sep) : 0;

	if (l->cut || l->o + sep + strlen(item) + strlen(l->sep) + sizeof("...]") > l->len) {
		l->cut = 1;
		return;
	}
	buf_put(l->buf, &l->o, l->len, l->n++ ? l->sep : "");
	buf_put(l->buf, &l->o, l->len, item);
}

/* more: there are items past those added (not copied from the process) */
static void blist_close(struct blist *l, int more)
{
	if (l->cut || more) {
		buf_put(l->buf, &l->o, l->len, l->n ? l->sep : "");
		buf_put(l->buf, &l->o, l->len, "...");
	}
	buf_put(l->buf, &l->o, l->len, "]");
}

static void escape_path(const uint8_t *p, size_t n, char *buf, size_t len)
{
	size_t o = 0;

	for (size_t i = 0; i < n && p[i] && o + 5 < len; i++) {
		if (p[i] >= 0x20 && p[i] < 0x7f && p[i] != '"' && p[i] != '\\')
			buf[o++] = p[i];
		else
			o += snprintf(buf + o, len - o, "\\x%02x", p[i]);
	}
	buf[o] = 0;
}

char *fmt_sockaddr(const uint8_t *sa, size_t len, char *buf, size_t buflen)
{
	char path[200];
	uint16_t family, port;

	if (len < 2) {
		snprintf(buf, buflen, "{}");
		return buf;
	}
	memcpy(&family, sa, 2);
	if ((family == AF_INET && len >= 8) || (family == AF_INET6 && len >= 24)) {
		struct nt_addr a = {.family = family};

		memcpy(&port, sa + 2, 2);
		a.port = ntohs(port);
		memcpy(a.addr, sa + (family == AF_INET ? 4 : 8), family == AF_INET ? 4 : 16);
		fmt_nt_addr(&a, buf, buflen);
		/* a link-local address means nothing without its interface: [fe80::1%2]:80 */
		if (family == AF_INET6 && len >= 28) {
			uint32_t scope;
			char *end = strchr(buf, ']');

			memcpy(&scope, sa + 24, 4);
			if (scope && end) {
				char rest[16];

				snprintf(rest, sizeof(rest), "%s", end);
				snprintf(end, buflen - (end - buf), "%%%u%s", scope, rest);
			}
		}
	} else if (family == AF_UNIX) {
		if (len == 2) {
			snprintf(buf, buflen, "{AF_UNIX}"); /* unnamed */
		} else if (sa[2] == 0) {
			/* abstract: the name is every byte after the leading NUL (none: @"") */
			size_t o = 0;

			path[0] = 0;
			for (size_t i = 3; i < len && o + 5 < sizeof(path); i++)
				o += snprintf(path + o, sizeof(path) - o,
					      sa[i] >= 0x20 && sa[i] < 0x7f && sa[i] != '"' &&
							      sa[i] != '\\'
						      ? "%c"
						      : "\\x%02x",
					      sa[i]);
			snprintf(buf, buflen, "@\"%s\"", path);
		} else {
			escape_path(sa + 2, len - 2, path, sizeof(path));
			snprintf(buf, buflen, "\"%s\"", path);
		}
	} else if (family == AF_NETLINK && len >= 12) {
		uint32_t nl[2]; /* nl_pid: 0 is the kernel; nl_groups: multicast bits */

		memcpy(nl, sa + 4, sizeof(nl));
		snprintf(buf, buflen, "{AF_NETLINK, pid=%u, groups=%#x}", nl[0], nl[1]);
	} else if (family == AF_PACKET && len >= 8) {
		uint16_t proto;
		int32_t ifindex;
		const char *p;

		memcpy(&proto, sa + 2, 2);
		memcpy(&ifindex, sa + 4, 4);
		p = xlat_name(xlat_eth_p, ntohs(proto));
		if (p)
			snprintf(buf, buflen, "{AF_PACKET, proto=%s, ifindex=%d}", p, ifindex);
		else
			snprintf(buf, buflen, "{AF_PACKET, proto=%#x, ifindex=%d}", ntohs(proto),
				 ifindex);
	} else {
		const char *f = xlat_name(xlat_af, family);

		if (f)
			snprintf(buf, buflen, "{%s}", f);
		else
			snprintf(buf, buflen, "{family=%u}", family);
	}
	return buf;
}

char *fmt_nt_addr(const struct nt_addr *a, char *buf, size_t buflen)
{
	char ip[INET6_ADDRSTRLEN];

	if (a->family == AF_INET6) {
		inet_ntop(AF_INET6, a->addr, ip, sizeof(ip));
		snprintf(buf, buflen, "[%s]:%u", ip, a->port);
	} else {
		char num[24];
		size_t o = 0;

		/* every call on a TCP or UDP socket shows two of these: no printf */
		buf[0] = 0;
		for (int i = 0; i < 4; i++) {
			buf_put_n(buf, &o, buflen, num, fmt_u64(num, a->addr[i]));
			buf_put(buf, &o, buflen, i < 3 ? "." : ":");
		}
		buf_put_n(buf, &o, buflen, num, fmt_u64(num, a->port));
	}
	return buf;
}

char *fmt_fdset(const uint8_t *bits, size_t nbytes, uint64_t nfds, char *buf, size_t buflen)
{
	uint64_t limit = nfds < nbytes * 8 ? nfds : nbytes * 8;
	struct blist l;
	char num[24];

	buf[0] = 0;
	blist_open(&l, buf, buflen, " ");
	for (uint64_t fd = 0; fd < limit; fd++)
		if (bits[fd / 8] & (1u << (fd % 8))) {
			num[fmt_u64(num, fd)] = 0;
			blist_add(&l, num);
		}
	blist_close(&l, nfds > limit);
	return buf;
}

/* The address argument at args[idx]: decoded from aux, NULL, or a bare pointer. */
static void arg_sockaddr(struct dctx *d, const char *name, uint64_t uptr, const uint8_t *sa,
			 size_t len)
{
	if (!uptr)
		arg_str(d->c, name, "NULL");
	else if (!len)
		arg_str(d->c, name, "%#llx", (unsigned long long)uptr);
	else
		fmt_sockaddr(sa, len, arg_new(d->c, name)->text, CALL_TEXT_MAX);
}

static void dec_socket(struct dctx *d)
{
	const __u64 *a = d->ev->args;
	char t[128], f[128];
	const char *p;

	arg_str(d->c, "domain", "%s", xlat_name_or_num(xlat_af, a[0], t, sizeof(t)));
	xlat_name_or_num(xlat_sock_type, a[1] & 0xf, t, sizeof(t));
	if (a[1] & ~0xfull)
		arg_str(d->c, "type", "%s|%s", t,
			xlat_flags(xlat_sock_flags, a[1] & ~0xfull, NULL, f, sizeof(f)));
	else
		arg_str(d->c, "type", "%s", t);
	if (a[0] == AF_PACKET && (p = xlat_name(xlat_eth_p, ntohs((uint16_t)a[2]))))
		arg_str(d->c, "protocol", "htons(%s)", p); /* as the caller wrote it */
	else if ((p = a[0] == AF_NETLINK ? xlat_name(xlat_netlink_proto, a[2])
		      : a[2] && (a[0] == AF_INET || a[0] == AF_INET6)
			      ? xlat_name(xlat_ipproto, a[2])
			      : NULL))
		arg_str(d->c, "protocol", "%s", p);
	else
		arg_num(d->c, "protocol", (int)a[2]);
	if (d->ev->sys == NT_SYS_SOCKETPAIR) {
		int sv[2];

		if (d->c->ret == 0 && d->aux_len >= sizeof(sv)) {
			memcpy(sv, d->aux, sizeof(sv));
			arg_str(d->c, "sv", "[%d, %d]", sv[0], sv[1]);
		} else {
			arg_str(d->c, "sv", "%#llx", (unsigned long long)a[3]);
		}
	}
}

static void dec_bind(struct dctx *d)
{
	arg_fd(d->c, d->ev->args[0]);
	arg_sockaddr(d, "addr", d->ev->args[1], d->aux, d->aux_len);
	arg_num(d->c, "addrlen", (int)d->ev->args[2])->hide = 1;
}

/* The listener's accept queue the kernel read after the call, if it did (NT_F_QUEUE). */
static int dec_queue(struct dctx *d)
{
	struct call_queue *q = &d->c->queue;

	if (!(d->ev->flags & NT_F_QUEUE))
		return 0;
	q->known = 1;
	q->queued = (uint64_t)d->ev->enter_val >> 32;
	q->max = (uint32_t)d->ev->enter_val;
	return 1;
}

static void dec_listen(struct dctx *d)
{
	arg_fd(d->c, d->ev->args[0]);
	arg_num(d->c, "backlog", (int)d->ev->args[1]);
	/* the kernel caps the backlog at net.core.somaxconn: said where it did */
	if (dec_queue(d) && d->c->queue.max != (uint32_t)(int)d->ev->args[1])
		detail(d->c, "(queue of %u: the backlog capped by net.core.somaxconn)",
		       d->c->queue.max);
}

static void dec_accept(struct dctx *d)
{
	arg_fd(d->c, d->ev->args[0]);
	arg_sockaddr(d, "addr", d->ev->args[1], d->aux, d->aux_len);
	if (d->ev->sys == NT_SYS_ACCEPT4)
		arg_flags(d->c, "flags", xlat_sock_flags, d->ev->args[3], 0);
	/* how many connections still wait behind this one: a server falling behind */
	if (dec_queue(d))
		detail(d->c, "(queue: %u of %u)", d->c->queue.queued, d->c->queue.max);
}

static void dec_sockname(struct dctx *d)
{
	arg_fd(d->c, d->ev->args[0]);
	arg_sockaddr(d, "addr", d->ev->args[1], d->aux, d->aux_len);
}

/* An option whose value is a name: "reno", "lo"; the bytes up to the first NUL */
static int sockopt_string(const struct nt_aux_sockopt *o, char *out, size_t len)
{
	char text[NT_SOCKOPT_MAX + 1] = "";

	memcpy(text, o->val, o->optlen < NT_SOCKOPT_MAX ? o->optlen : NT_SOCKOPT_MAX);
	return snprintf(out, len, "\"%s\"%s", printable(text),
			o->optlen > NT_SOCKOPT_MAX ? "..." : "") > 0;
}

/* IP_ADD_MEMBERSHIP and its kin: the structs a multicast receiver passes */
static int sockopt_mcast(int name, const struct nt_aux_sockopt *o, char *out, size_t len)
{
	char a[INET_ADDRSTRLEN], b[INET_ADDRSTRLEN], c[INET_ADDRSTRLEN];
	int32_t ifindex;

	inet_ntop(AF_INET, o->val, a, sizeof(a));
	inet_ntop(AF_INET, o->val + 4, b, sizeof(b));
	if (name == 32 && o->optlen == 4) /* IP_MULTICAST_IF: an in_addr */
		return snprintf(out, len, "%s", a) > 0;
	if (o->optlen == 8) /* struct ip_mreq */
		return snprintf(out, len, "{imr_multiaddr=%s, imr_interface=%s}", a, b) > 0;
	if (o->optlen != 12)
		return 0;
	if (name == 39 || name == 40) { /* struct ip_mreq_source */
		inet_ntop(AF_INET, o->val + 8, c, sizeof(c));
		return snprintf(out, len, "{imr_multiaddr=%s, imr_interface=%s, imr_sourceaddr=%s}",
				a, b, c) > 0;
	}
	memcpy(&ifindex, o->val + 8, 4); /* struct ip_mreqn */
	return snprintf(out, len, "{imr_multiaddr=%s, imr_address=%s, imr_ifindex=%d}", a, b,
			ifindex) > 0;
}

/*
 * A value whose option says what it is, as strace shows it: a struct, a
 * name, a socket's type, family or protocol, an errno; 0 if not one of these.
 */
static int sockopt_known(int level, int name, const struct nt_aux_sockopt *o, char *out, size_t len)
{
	int32_t v[3];
	int64_t t[2];
	char buf[64];

	memcpy(v, o->val, sizeof(v));
	if (level == 0 && (name == 32 || name == 35 || name == 36 || name == 39 || name == 40))
		return sockopt_mcast(name, o, out, len);
	/* IPV6_ADD_MEMBERSHIP, IPV6_DROP_MEMBERSHIP: struct ipv6_mreq, of which the
	 * group's address is copied (NT_SOCKOPT_MAX), not the interface after it */
	if (level == 41 && (name == 20 || name == 21) && o->optlen == 20) {
		char a[INET6_ADDRSTRLEN];

		inet_ntop(AF_INET6, o->val, a, sizeof(a));
		return snprintf(out, len, "{ipv6mr_multiaddr=%s, ...}", a) > 0;
	}
	if (level == 6 && (name == 13 || name == 31)) /* TCP_CONGESTION, TCP_ULP */
		return sockopt_string(o, out, len);
	/* TCP_INFO: what the first bytes copied of struct tcp_info hold, as strace names them */
	if (level == 6 && name == 11 && o->optlen >= NT_SOCKOPT_MAX) {
		uint32_t rto_ato[2];

		memcpy(rto_ato, o->val + 8, sizeof(rto_ato));
		return snprintf(out, len,
				"{tcpi_state=%s, tcpi_retransmits=%u, tcpi_probes=%u, "
				"tcpi_backoff=%u, tcpi_rto=%u, tcpi_ato=%u, ...}",
				xlat_name_or_num(xlat_tcp_state, o->val[0], buf, sizeof(buf)),
				o->val[2], o->val[3], o->val[4], rto_ato[0], rto_ato[1]) > 0;
	}
	if (level != 1)
		return 0;
	if (name == 25) /* SO_BINDTODEVICE */
		return sockopt_string(o, out, len);
	if (name == 13 && o->optlen == 8) /* SO_LINGER */
		return snprintf(out, len, "{l_onoff=%d, l_linger=%d}", v[0], v[1]) > 0;
	if (name == 17 && o->optlen == 12) /* SO_PEERCRED: struct ucred */
		return snprintf(out, len, "{pid=%d, uid=%u, gid=%u}", v[0], (uint32_t)v[1],
				(uint32_t)v[2]) > 0;
	/* SO_RCVTIMEO_OLD, SO_SNDTIMEO_OLD (a 64-bit timeval); their _NEW (two s64) */
	if ((name == 20 || name == 21 || name == 66 || name == 67) && o->optlen == 16) {
		memcpy(t, o->val, sizeof(t));
		return snprintf(out, len, "{tv_sec=%lld, tv_usec=%lld}", (long long)t[0],
				(long long)t[1]) > 0;
	}
	if ((name == 57 || name == 71) && o->optlen == 8) { /* SO_COOKIE, SO_NETNS_COOKIE */
		uint64_t cookie;

		memcpy(&cookie, o->val, sizeof(cookie));
		return snprintf(out, len, "%llu", (unsigned long long)cookie) > 0;
	}
	if (o->optlen != 4)
		return 0;
	if (name == 4 && v[0] > 0 && errno_name(v[0])) /* SO_ERROR: a pending errno */
		return snprintf(out, len, "%s", errno_name(v[0])) > 0;
	if (name == 3) /* SO_TYPE */
		return snprintf(out, len, "%s",
				xlat_name_or_num(xlat_sock_type, v[0], buf, sizeof(buf))) > 0;
	if (name == 39) /* SO_DOMAIN */
		return snprintf(out, len, "%s", xlat_name_or_num(xlat_af, v[0], buf, sizeof(buf))) >
		       0;
	if (name == 38 && v[0]) /* SO_PROTOCOL */
		return snprintf(out, len, "%s",
				xlat_name_or_num(xlat_ipproto, v[0], buf, sizeof(buf))) > 0;
	return 0;
}

/* An option's value: what its option says it is, else an int, else bytes. */
static void sockopt_value(struct dctx *d, int level, int name, const struct nt_aux_sockopt *o)
{
	char hex[3 * NT_SOCKOPT_MAX + 8] = "", text[160];
	size_t k = 0, n = o->optlen < NT_SOCKOPT_MAX ? o->optlen : NT_SOCKOPT_MAX;
	int v;

	if (sockopt_known(level, name, o, text, sizeof(text))) {
		arg_str(d->c, "optval", "%s", text);
	} else if (o->optlen == 4) {
		memcpy(&v, o->val, 4);
		arg_num(d->c, "optval", v);
	} else {
		for (size_t i = 0; i < n; i++)
			k += snprintf(hex + k, sizeof(hex) - k, "%02x", o->val[i]);
		if (o->optlen > NT_SOCKOPT_MAX)
			snprintf(hex + k, sizeof(hex) - k, "...");
		arg_str(d->c, "optval", "\"%s\"", hex);
	}
}

static void dec_sockopt(struct dctx *d)
{
	const __u64 *a = d->ev->args;
	const struct nt_aux_sockopt *o = (const void *)d->aux;
	const struct xlat *names = sockopt_names((int)a[1]);
	char buf[64];
	const char *n;

	arg_fd(d->c, a[0]);
	arg_str(d->c, "level", "%s", xlat_name_or_num(xlat_sol, (int)a[1], buf, sizeof(buf)));
	n = names ? xlat_name(names, (int)a[2]) : NULL;
	if (n)
		arg_str(d->c, "optname", "%s", n);
	else
		arg_num(d->c, "optname", (int)a[2]);
	if (d->aux_len < sizeof(*o)) {
		arg_str(d->c, "optval", "%#llx", (unsigned long long)a[3]);
		return;
	}
	sockopt_value(d, (int)a[1], (int)a[2], o);
	arg_num(d->c, "optlen", o->optlen)->hide = o->optlen == 4;
}

static void dec_shutdown(struct dctx *d)
{
	char buf[32];

	arg_fd(d->c, d->ev->args[0]);
	arg_str(d->c, "how", "%s", xlat_name_or_num(xlat_shut, d->ev->args[1], buf, sizeof(buf)));
}

static void dec_sendto(struct dctx *d)
{
	const __u64 *a = d->ev->args;

	arg_fd(d->c, a[0]);
	arg_bytes(d->c, "len", a[2]);
	arg_flags(d->c, "flags", xlat_msg_flags, (unsigned int)a[3], 1);
	if (a[4])
		arg_sockaddr(d, "addr", a[4], d->aux, d->aux_len);
}

static void dec_recvfrom(struct dctx *d)
{
	const __u64 *a = d->ev->args;

	arg_fd(d->c, a[0]);
	arg_bytes(d->c, "len", a[2]);
	arg_flags(d->c, "flags", xlat_msg_flags, (unsigned int)a[3], 1);
	if (a[4])
		arg_sockaddr(d, "addr", a[4], d->aux, d->c->ret >= 0 ? d->aux_len : 0);
}

/* One control message's data, as its (level, type) lays it out; 0 if not one we know. */
static int cmsg_data(int level, int type, const uint8_t *p, size_t n, char *out, size_t len)
{
	char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];
	int32_t v[3];
	int64_t t[2];

	if (level == 1 && type == 1) { /* SCM_RIGHTS: the fds */
		struct blist l;

		out[0] = 0;
		blist_open(&l, out, len, ", ");
		for (size_t i = 0; i + 4 <= n; i += 4) {
			memcpy(v, p + i, 4);
			snprintf(a, sizeof(a), "%d", v[0]);
			blist_add(&l, a);
		}
		blist_close(&l, 0);
		return 1;
	}
	if (level == 1 && type == 2 && n >= 12) { /* SCM_CREDENTIALS: struct ucred */
		memcpy(v, p, 12);
		return snprintf(out, len, "{pid=%d, uid=%u, gid=%u}", v[0], v[1], v[2]) > 0;
	}
	if (level == 1 && (type == 29 || type == 35 || type == 63 || type == 64) && n >= 16) {
		memcpy(t, p, 16); /* a timeval (SCM_TIMESTAMP) or timespec (..NS), 64-bit */
		return snprintf(out, len, "{tv_sec=%lld, %s=%lld}", (long long)t[0],
				type == 29 || type == 63 ? "tv_usec" : "tv_nsec",
				(long long)t[1]) > 0;
	}
	if (level == 0 && type == 8 && n >= 12) { /* IP_PKTINFO: struct in_pktinfo */
		memcpy(v, p, 4);
		inet_ntop(AF_INET, p + 4, a, sizeof(a));
		inet_ntop(AF_INET, p + 8, b, sizeof(b));
		return snprintf(out, len, "{ifindex=%d, spec_dst=%s, addr=%s}", v[0], a, b) > 0;
	}
	if (level == 41 && type == 50 && n >= 20) { /* IPV6_PKTINFO: struct in6_pktinfo */
		memcpy(v, p + 16, 4);
		inet_ntop(AF_INET6, p, a, sizeof(a));
		return snprintf(out, len, "{addr=%s, ifindex=%d}", a, v[0]) > 0;
	}
	if (level == 17 && type == 103 && n >= 2) /* UDP_SEGMENT: the GSO size, u16 */
		return snprintf(out, len, "%u", p[0] | p[1] << 8) > 0;
	if (n == 1) /* IP_TOS and the like */
		return snprintf(out, len, "%#x", p[0]) > 0;
	if (n == 4) { /* IP_TTL, IPV6_HOPLIMIT, IPV6_TCLASS, UDP_GRO, ... */
		memcpy(v, p, 4);
		return snprintf(out, len, "%d", v[0]) > 0;
	}
	return 0;
}

/*
 * msg_control's messages, as far as they were copied (n bytes of
 * controllen), as strace names them: "[{SOL_SOCKET, SCM_RIGHTS, [5]}]".
 */
static void fmt_cmsgs(const uint8_t *ctl, size_t n, size_t controllen, char *out, size_t len)
{
	/* struct cmsghdr on 64 bits: size_t cmsg_len, int level, int type, data 8-aligned */
	char lv[32], data[160], item[CALL_TEXT_MAX];
	struct blist l;
	size_t o = 0;

	out[0] = 0;
	blist_open(&l, out, len, ", ");
	while (o < controllen && o + 16 <= n) {
		const struct xlat *names;
		const char *type_name;
		uint64_t clen;
		int32_t level, type;

		memcpy(&clen, ctl + o, 8);
		memcpy(&level, ctl + o + 8, 4);
		memcpy(&type, ctl + o + 12, 4);
		if (clen < 16 || clen > controllen - o)
			break;
		names = level == 1 ? xlat_scm : sockopt_names(level);
		type_name = names ? xlat_name(names, type) : NULL;
		xlat_name_or_num(xlat_sol, level, lv, sizeof(lv));
		/* data the copy cut short shows what came, then "..." */
		if (!cmsg_data(level, type, ctl + o + 16, (clen < n - o ? clen : n - o) - 16, data,
			       sizeof(data)))
			snprintf(data, sizeof(data), "%llu B", (unsigned long long)clen - 16);
		if (type_name)
			snprintf(item, sizeof(item), "{%s, %s, %s%s}", lv, type_name, data,
				 clen > n - o ? "..." : "");
		else
			snprintf(item, sizeof(item), "{%s, %d, %s%s}", lv, type, data,
				 clen > n - o ? "..." : "");
		blist_add(&l, item);
		o += (clen + 7) & ~7ull;
	}
	blist_close(&l, o < controllen);
}

static void dec_msg(struct dctx *d)
{
	const struct nt_aux_msghdr *m = (const void *)d->aux;
	char name[CALL_TEXT_MAX] = "", fl[128];

	arg_fd(d->c, d->ev->args[0]);
	if (d->aux_len < sizeof(*m)) {
		arg_str(d->c, "msg", "%#llx", (unsigned long long)d->ev->args[1]);
	} else {
		size_t ctl_at = sizeof(*m) + m->namelen;
		char ctl[CALL_TEXT_MAX] = "";

		if (m->namelen && d->aux_len >= ctl_at)
			fmt_sockaddr(d->aux + sizeof(*m), m->namelen, name, sizeof(name));
		/* older recordings carry no control bytes: their length alone */
		if (m->controllen && d->aux_len > ctl_at)
			fmt_cmsgs(d->aux + ctl_at, d->aux_len - ctl_at, m->controllen, ctl,
				  sizeof(ctl));
		else
			snprintf(ctl, sizeof(ctl), "%u", m->controllen);
		/* the iovecs past the first NT_IOV_MAX were not summed */
		arg_str(d->c, "msg", "{%s%siov=%u, len%s%llu, control=%s}", name, *name ? ", " : "",
			m->iovlen, m->iovlen > NT_IOV_MAX ? "≥" : "=",
			(unsigned long long)m->iov_bytes, ctl);
		if (d->ev->sys == NT_SYS_RECVMSG && d->c->ret >= 0 && m->msg_flags)
			detail(d->c, "msg_flags=%s",
			       xlat_flags(xlat_msg_flags, m->msg_flags, NULL, fl, sizeof(fl)));
	}
	arg_flags(d->c, "flags", xlat_msg_flags, (unsigned int)d->ev->args[2], 1);
}

static void dec_mmsg(struct dctx *d)
{
	const struct nt_aux_mmsg *m = (const void *)d->aux;

	arg_fd(d->c, d->ev->args[0]);
	arg_num(d->c, "vlen", (unsigned int)d->ev->args[2]);
	arg_flags(d->c, "flags", xlat_msg_flags, (unsigned int)d->ev->args[3], 1);
	if (d->aux_len >= offsetof(struct nt_aux_mmsg, namelens) && m->n) {
		unsigned int named = 0;
		int more = d->c->ret > (long long)m->n;
		char a[CALL_TEXT_MAX];
		struct blist l;

		detail(d->c, "len=");
		blist_open(&l, d->c->ret_detail, sizeof(d->c->ret_detail), ", ");
		for (unsigned int i = 0; i < m->n && i < NT_MMSG_MAX; i++) {
			a[fmt_u64(a, m->lens[i])] = 0;
			blist_add(&l, a);
		}
		blist_close(&l, more);
		/* each datagram's peer, where the messages named one (recordings since) */
		for (unsigned int i = 0; d->aux_len >= sizeof(*m) && i < m->n && i < NT_MMSG_MAX;
		     i++)
			named += m->namelens[i] != 0;
		if (!named)
			return;
		detail(d->c, " %s=", d->ev->sys == NT_SYS_SENDMMSG ? "to" : "from");
		blist_open(&l, d->c->ret_detail, sizeof(d->c->ret_detail), ", ");
		for (unsigned int i = 0; i < m->n && i < NT_MMSG_MAX; i++) {
			unsigned int n = m->namelens[i];

			if (n)
				fmt_sockaddr(m->names[i], n < NT_MMSG_NAME ? n : NT_MMSG_NAME, a,
					     sizeof(a) - 4);
			if (n > NT_MMSG_NAME)
				strcat(a, "…");
			blist_add(&l, n ? a : "-");
		}
		blist_close(&l, more);
	}
}

/* readv/writev's iovecs by length, "[118 B, 12 B]"; the count shown only when more */
static void dec_iov(struct dctx *d)
{
	size_t n = d->aux_len / sizeof(uint64_t);
	int cnt = (int)d->ev->args[2];
	struct call_arg *a;
	struct blist l;
	char num[32];

	if (!n) { /* unread, or a recording from before they were */
		if (d->c->fault)
			arg_str(d->c, "iov", "%#llx", (unsigned long long)d->ev->args[1]);
		arg_num(d->c, "iovcnt", cnt);
		return;
	}
	a = arg_new(d->c, "iov");
	blist_open(&l, a->text, sizeof(a->text), ", ");
	for (size_t i = 0; i < n; i++) {
		uint64_t len;

		memcpy(&len, d->aux + i * sizeof(len), sizeof(len));
		memcpy(num + fmt_u64(num, len), " B", 3);
		blist_add(&l, num);
	}
	blist_close(&l, cnt > (int)n);
	arg_num(d->c, "iovcnt", cnt)->hide = cnt == (int)n;
}

static void dec_rw(struct dctx *d)
{
	arg_fd(d->c, d->ev->args[0]);
	if (d->ev->sys == NT_SYS_READV || d->ev->sys == NT_SYS_WRITEV)
		dec_iov(d);
	else
		arg_bytes(d->c, "count", d->ev->args[2]);
}

/* sendfile(out_fd, in_fd, offset, count): the offset read after the call, as it left it */
static void dec_sendfile(struct dctx *d)
{
	const __u64 *a = d->ev->args;
	int64_t off;

	arg_num(d->c, "out_fd", (int)a[0]);
	arg_num(d->c, "in_fd", (int)a[1]);
	if (!a[2]) {
		arg_str(d->c, "offset", "NULL");
	} else if (d->aux_len < sizeof(off)) {
		arg_str(d->c, "offset", "%#llx", (unsigned long long)a[2]);
	} else {
		memcpy(&off, d->aux, sizeof(off));
		if (d->c->ret > 0) /* as strace: where it began => where it ended */
			arg_str(d->c, "offset", "[%lld] => [%lld]", (long long)(off - d->c->ret),
				(long long)off);
		else
			arg_str(d->c, "offset", "[%lld]", (long long)off);
	}
	arg_bytes(d->c, "count", a[3]);
}

static void arg_ptr(struct call *c, const char *name, uint64_t p)
{
	if (p)
		arg_str(c, name, "%#llx", (unsigned long long)p);
	else
		arg_str(c, name, "NULL");
}

static void dec_splice(struct dctx *d)
{
	const __u64 *a = d->ev->args;

	arg_num(d->c, "fd_in", (int)a[0]);
	arg_ptr(d->c, "off_in", a[1]);
	arg_num(d->c, "fd_out", (int)a[2]);
	arg_ptr(d->c, "off_out", a[3]);
	arg_bytes(d->c, "len", a[4]);
	arg_flags(d->c, "flags", xlat_splice_flags, (unsigned int)a[5], 0);
}

static void dec_close(struct dctx *d)
{
	arg_fd(d->c, d->ev->args[0]);
}

static void arg_timeout_ns(struct call *c, long long ns)
{
	if (ns == NT_ENTER_UNSEEN)
		arg_str(c, "timeout", "?");
	else if (ns < 0)
		arg_str(c, "timeout", "NULL");
	else
		arg_str(c, "timeout", "%lld.%06llds", ns / 1000000000, ns % 1000000000 / 1000);
}

static void dec_select(struct dctx *d)
{
	static const char *const names[3] = {"readfds", "writefds", "exceptfds"};
	static const char *const short_names[3] = {"in", "out", "ex"};
	const struct nt_aux_fdsets *s = (const void *)d->aux;
	uint64_t nfds = (int)d->ev->args[0];
	char buf[CALL_TEXT_MAX];

	arg_num(d->c, "nfds", (int)nfds);
	if (d->aux_len < sizeof(*s)) {
		for (int i = 0; i < 3; i++)
			arg_str(d->c, names[i], "%#llx", (unsigned long long)d->ev->args[1 + i]);
		return;
	}
	for (int i = 0; i < 3; i++) {
		if (d->ev->flags & NT_F_BEFORE_TRACE)
			arg_str(d->c, names[i], "?"); /* read at entry, before tracing began */
		else if (s->present & (1 << i))
			arg_str(d->c, names[i], "%s",
				fmt_fdset(s->in[i], NT_FDSET_BYTES, nfds, buf, sizeof(buf)));
		else
			arg_str(d->c, names[i], "NULL");
	}
	arg_timeout_ns(d->c, d->ev->enter_val);
	if (d->c->ret > 0)
		for (int i = 0; i < 3; i++)
			if (s->present & (1 << i))
				detail(d->c, "%s%s=%s", i ? " " : "", short_names[i],
				       fmt_fdset(s->out[i], NT_FDSET_BYTES, nfds, buf,
						 sizeof(buf)));
}

static void dec_poll(struct dctx *d)
{
	const __u64 *a = d->ev->args;
	size_t n = d->aux_len / 8;
	char buf[CALL_TEXT_MAX], ev[96], item[128];
	long long ready = 0;
	struct blist l;

	buf[0] = 0;
	blist_open(&l, buf, sizeof(buf), ", ");
	for (size_t i = 0; i < n; i++) {
		int fd;
		uint16_t events;

		memcpy(&fd, d->aux + i * 8, 4);
		memcpy(&events, d->aux + i * 8 + 4, 2);
		snprintf(item, sizeof(item), "{%d, %s}", fd,
			 xlat_flags(xlat_poll_events, events, NULL, ev, sizeof(ev)));
		blist_add(&l, item);
	}
	blist_close(&l, a[1] > n);
	/* an array not read (a fault, a call still in the kernel): its address */
	if (n || !a[1])
		arg_str(d->c, "fds", "%s", n ? buf : "[]");
	else
		arg_str(d->c, "fds", "%#llx", (unsigned long long)a[0]);
	arg_num(d->c, "nfds", (unsigned int)a[1]);
	if (d->ev->sys == NT_SYS_POLL)
		arg_num(d->c, "timeout", (int)a[2]);
	else
		arg_timeout_ns(d->c, d->ev->enter_val);
	if (d->c->ret <= 0)
		return;
	/* the ready fds among those copied; the others ready are past them: "..." */
	blist_open(&l, d->c->ret_detail, sizeof(d->c->ret_detail), ", ");
	for (size_t i = 0; i < n; i++) {
		int fd;
		uint16_t revents;

		memcpy(&fd, d->aux + i * 8, 4);
		memcpy(&revents, d->aux + i * 8 + 6, 2);
		if (!revents)
			continue;
		ready++;
		snprintf(item, sizeof(item), "{%d, %s}", fd,
			 xlat_flags(xlat_poll_events, revents, NULL, ev, sizeof(ev)));
		blist_add(&l, item);
	}
	blist_close(&l, ready < d->c->ret);
}

static void fmt_epoll_event(const uint8_t *p, char *buf, size_t len)
{
	uint32_t events;
	uint64_t data;
	char ev[256], num[24]; /* every EPOLL* name fits */
	size_t o = 0, n;

	memcpy(&events, p, 4);
	memcpy(&data, p + 4, 8);
	xlat_flags(xlat_epoll_events, events, NULL, ev, sizeof(ev));
	/* an epoll_wait of a busy server has dozens: no printf; an fd in decimal, a pointer in hex */
	n = data <= 0xffffffffull ? fmt_u64(num, data) : fmt_x64(num, data);
	buf[0] = 0;
	buf_put(buf, &o, len, "{");
	buf_put(buf, &o, len, ev);
	buf_put(buf, &o, len, ", data=");
	buf_put_n(buf, &o, len, num, n);
	buf_put(buf, &o, len, "}");
}

static void dec_epoll_create(struct dctx *d)
{
	if (d->ev->sys == NT_SYS_EPOLL_CREATE1)
		arg_str(d->c, "flags", "%s", d->ev->args[0] & 02000000 ? "EPOLL_CLOEXEC" : "0");
	else
		arg_num(d->c, "size", (int)d->ev->args[0]);
}

static void dec_epoll_ctl(struct dctx *d)
{
	const __u64 *a = d->ev->args;
	char buf[CALL_TEXT_MAX];

	arg_num(d->c, "epfd", (int)a[0]);
	arg_str(d->c, "op", "%s", xlat_name_or_num(xlat_epoll_op, (int)a[1], buf, sizeof(buf)));
	arg_num(d->c, "fd", (int)a[2]);
	/* a delete ignores its event (a caller may pass whatever is on its stack), as strace shows */
	if (d->aux_len >= 12 && (int)a[1] != EPOLL_CTL_DEL) {
		fmt_epoll_event(d->aux, buf, sizeof(buf));
		arg_str(d->c, "event", "%s", buf);
	} else {
		arg_str(d->c, "event", a[3] ? "%#llx" : "NULL", (unsigned long long)a[3]);
	}
}

static void dec_epoll_wait(struct dctx *d)
{
	const __u64 *a = d->ev->args;
	size_t n = d->aux_len / 12;
	char buf[CALL_TEXT_MAX];

	arg_num(d->c, "epfd", (int)a[0]);
	arg_num(d->c, "maxevents", (int)a[2]);
	if (d->ev->sys == NT_SYS_EPOLL_PWAIT2)
		arg_timeout_ns(d->c, d->ev->enter_val);
	else
		arg_num(d->c, "timeout", (int)a[3]);
	if (d->c->ret <= 0)
		return;
	{
		struct blist l;

		blist_open(&l, d->c->ret_detail, sizeof(d->c->ret_detail), ", ");
		for (size_t i = 0; i < n; i++) {
			fmt_epoll_event(d->aux + i * 12, buf, sizeof(buf));
			blist_add(&l, buf);
		}
		blist_close(&l, (long long)n < d->c->ret);
	}
}

static void dec_uring_setup(struct dctx *d)
{
	const struct nt_aux_uring_params *p = (const void *)d->aux;
	char fl[256];

	arg_num(d->c, "entries", (unsigned int)d->ev->args[0]);
	if (d->aux_len >= sizeof(*p))
		arg_str(d->c, "params", "{flags=%s, sq_entries=%u, cq_entries=%u, features=%#x}",
			xlat_flags(xlat_uring_setup, p->flags, NULL, fl, sizeof(fl)), p->sq_entries,
			p->cq_entries, p->features);
	else
		arg_str(d->c, "params", "%#llx", (unsigned long long)d->ev->args[1]);
}

static void dec_uring_enter(struct dctx *d)
{
	const __u64 *a = d->ev->args;

	arg_num(d->c, "fd", (int)a[0]);
	arg_num(d->c, "to_submit", (unsigned int)a[1]);
	arg_num(d->c, "min_complete", (unsigned int)a[2]);
	arg_flags(d->c, "flags", xlat_uring_enter, (unsigned int)a[3], 0);
	if (d->aux_len >= sizeof(struct nt_aux_uring_enter)) {
		struct nt_aux_uring_enter e;

		memcpy(&e, d->aux, sizeof(e));
		if (d->ev->ret >= 0 && a[1])
			detail(d->c, "(%lld submitted; %u CQE%s ready)", (long long)d->ev->ret,
			       e.cq_ready, plural(e.cq_ready));
		else if (d->ev->ret >= 0)
			detail(d->c, "(%u CQE%s ready)", e.cq_ready, plural(e.cq_ready));
	}
}

static void dec_uring_register(struct dctx *d)
{
	const __u64 *a = d->ev->args;
	char buf[64];

	arg_num(d->c, "fd", (int)a[0]);
	arg_str(d->c, "opcode", "%s",
		xlat_name_or_num(xlat_uring_register, (unsigned int)a[1], buf, sizeof(buf)));
	arg_num(d->c, "nr_args", (unsigned int)a[3]);
}

typedef void (*decode_fn)(struct dctx *d);

static const decode_fn decoders[NT_SYS_MAX] = {
	[NT_SYS_SOCKET] = dec_socket,
	[NT_SYS_SOCKETPAIR] = dec_socket,
	[NT_SYS_BIND] = dec_bind,
	[NT_SYS_CONNECT] = dec_bind,
	[NT_SYS_LISTEN] = dec_listen,
	[NT_SYS_ACCEPT] = dec_accept,
	[NT_SYS_ACCEPT4] = dec_accept,
	[NT_SYS_GETSOCKNAME] = dec_sockname,
	[NT_SYS_GETPEERNAME] = dec_sockname,
	[NT_SYS_SETSOCKOPT] = dec_sockopt,
	[NT_SYS_GETSOCKOPT] = dec_sockopt,
	[NT_SYS_SHUTDOWN] = dec_shutdown,
	[NT_SYS_SENDTO] = dec_sendto,
	[NT_SYS_RECVFROM] = dec_recvfrom,
	[NT_SYS_SENDMSG] = dec_msg,
	[NT_SYS_RECVMSG] = dec_msg,
	[NT_SYS_SENDMMSG] = dec_mmsg,
	[NT_SYS_RECVMMSG] = dec_mmsg,
	[NT_SYS_READ] = dec_rw,
	[NT_SYS_WRITE] = dec_rw,
	[NT_SYS_READV] = dec_rw,
	[NT_SYS_WRITEV] = dec_rw,
	[NT_SYS_CLOSE] = dec_close,
	[NT_SYS_SELECT] = dec_select,
	[NT_SYS_PSELECT6] = dec_select,
	[NT_SYS_POLL] = dec_poll,
	[NT_SYS_PPOLL] = dec_poll,
	[NT_SYS_EPOLL_CREATE] = dec_epoll_create,
	[NT_SYS_EPOLL_CREATE1] = dec_epoll_create,
	[NT_SYS_EPOLL_CTL] = dec_epoll_ctl,
	[NT_SYS_EPOLL_WAIT] = dec_epoll_wait,
	[NT_SYS_EPOLL_PWAIT] = dec_epoll_wait,
	[NT_SYS_EPOLL_PWAIT2] = dec_epoll_wait,
	[NT_SYS_IO_URING_SETUP] = dec_uring_setup,
	[NT_SYS_IO_URING_ENTER] = dec_uring_enter,
	[NT_SYS_IO_URING_REGISTER] = dec_uring_register,
	[NT_SYS_SENDFILE] = dec_sendfile,
	[NT_SYS_SPLICE] = dec_splice,
};

static const char *sock_kind(const struct nt_sock *s)
{
	int stream = s->type == 1, dgram = s->type == 2;

	switch (s->family) {
	case AF_INET:
	case AF_INET6:
		if (s->protocol == 6 || (stream && !s->protocol))
			return s->family == AF_INET ? "TCP" : "TCPv6";
		if (s->protocol == 17 || (dgram && !s->protocol))
			return s->family == AF_INET ? "UDP" : "UDPv6";
		if (s->protocol == 262)
			return "MPTCP";
		return s->family == AF_INET ? "INET" : "INET6";
	case AF_UNIX:
		return stream ? "UNIX-STREAM" : dgram ? "UNIX-DGRAM" : "UNIX";
	case AF_NETLINK:
		return "NETLINK";
	}
	return "SOCKET";
}

/* A raw socket's end: its address if it has one (bound, connected), else nothing. */
static void raw_end(const struct nt_addr *a, char *buf, size_t len)
{
	static const uint8_t any[16];

	if (memcmp(a->addr, any, a->family == AF_INET6 ? 16 : 4))
		inet_ntop(a->family, a->addr, buf, len);
}

static void decode_sock_fresh(const struct nt_sock *s, struct call_sock *out)
{
	memset(out, 0, sizeof(*out));
	if (!s->valid)
		return;
	out->valid = 1;
	out->kind = sock_kind(s);
	out->family = xlat_name(xlat_af, s->family);
	out->type = xlat_name(xlat_sock_type, s->type);
	out->ino = s->ino;
	out->peer_ino = s->peer_ino & NT_PEER_NOINO ? 0 : s->peer_ino;
	out->local_port = out->peer_port = 0;
	if ((s->family == AF_INET || s->family == AF_INET6) && s->type == SOCK_RAW) {
		/* a raw socket's "port" is its protocol: its ends are addresses alone */
		raw_end(&s->local, out->local, sizeof(out->local));
		raw_end(&s->peer, out->peer, sizeof(out->peer));
	} else if (s->family == AF_INET || s->family == AF_INET6) {
		out->local_port = s->local.port;
		out->peer_port = s->peer.port;
		if (s->local.port || s->peer.port)
			fmt_nt_addr(&s->local, out->local, sizeof(out->local));
		if (s->peer.port)
			fmt_nt_addr(&s->peer, out->peer, sizeof(out->peer));
		if (!strncmp(out->kind, "TCP", 3))
			out->state = xlat_name(xlat_tcp_state, s->state);
	} else if (s->family == AF_UNIX) {
		memcpy(out->local, "unix:", 5);
		fmt_u64(out->local + 5, s->ino);
		out->local_name = unames_get(s->ino);
		if (s->peer_ino & NT_PEER_NOINO)
			strcpy(out->peer, s->peer_ino & NT_PEER_CLOSED ? UNIX_PEER_CLOSED
								       : UNIX_PEER_UNACCEPTED);
		else if (s->peer_ino) {
			memcpy(out->peer, "unix:", 5);
			fmt_u64(out->peer + 5, s->peer_ino);
		}
		out->peer_name = unames_get(s->peer_ino);
	}
}

/*
 * A busy connection's calls carry the same socket again and again: its
 * decoded form is kept by inode and reused while the raw bytes match (a
 * state change or a new address decodes afresh).
 */
#define SOCK_MEMO_SLOTS 256

struct sock_memo {
	struct nt_sock raw;
	struct call_sock dec;
	unsigned int names; /* unames_gen() when decoded: a unix name may have come since */
};

void decode_sock(const struct nt_sock *s, struct call_sock *out)
{
	static struct sock_memo memo[SOCK_MEMO_SLOTS];
	struct sock_memo *m = &memo[s->ino % SOCK_MEMO_SLOTS];

	if (s->valid && m->names == unames_gen() && !memcmp(&m->raw, s, sizeof(*s))) {
		*out = m->dec;
		return;
	}
	decode_sock_fresh(s, out);
	if (s->valid) {
		m->raw = *s;
		m->dec = *out;
		m->names = unames_gen();
	}
}

int decode_uname(const struct ev_uname *ev, size_t size)
{
	char name[256]; /* fmt_sockaddr escapes up to 200 bytes of a path */

	if (size != sizeof(*ev) || ev->len > sizeof(ev->sa))
		return -EINVAL;
	/* an unnamed socket (autobind not yet, or none) has nothing to show */
	if (ev->len > 2)
		unames_set(ev->ino, fmt_sockaddr(ev->sa, ev->len, name, sizeof(name)));
	return 0;
}

/* The nhits hits at rec + off end the record. */
static int decode_hits(const void *rec, size_t off, unsigned int nhits, size_t size,
		       struct call_path *p)
{
	struct nt_hit h;

	if (nhits > NT_HITS_MAX || off + nhits * sizeof(h) != size)
		return -EINVAL;
	p->nhits = nhits;
	for (unsigned int i = 0; i < nhits; i++) {
		struct path_hit *o = &p->hits[i];

		memcpy(&h, (const char *)rec + off + i * sizeof(h), sizeof(h));
		o->fn = h.fn;
		o->name = fn_name(h.fn);
		if (!o->name)
			return -EINVAL;
		o->point = !!(h.flags & NT_HIT_POINT);
		o->site = o->point && (h.flags & NT_HIT_SITE);
		o->exited = !!(h.flags & NT_HIT_EXITED);
		o->start_ns = h.start_off;
		o->dur_ns = h.dur_ns;
		o->val = h.val;
		o->depth = h.depth;
		o->stackid = h.stackid;
		o->callee = 0;
		if (o->site && (h.flags & NT_HIT_CALLEE)) {
			/* the address, not a duration and a value */
			o->callee = (uint64_t)(uint32_t)h.val << 32 | h.dur_ns;
			o->dur_ns = 0;
			o->val = 0;
		}
	}
	return 0;
}

/*
 * A call, emptied for decoding: all but its big arrays, which are filled and
 * bounded as they are used: the arguments (2 KB, each set whole by arg_new),
 * the path's hits and -k stacks (20 KB; decode_hits and kpath_build).
 */
static void call_reset(struct call *c)
{
	memset(c, 0, offsetof(struct call, args));
	/* not the 700 bytes of text and socket: decode_sock writes the socket whole */
	c->ret = 0;
	c->err = 0;
	c->err_name = NULL;
	c->ret_detail[0] = 0;
	c->queue.known = 0;
	c->truncated = c->fault = 0;
	memset(&c->req, 0, sizeof(c->req));
	c->path.nhits = 0;
	c->path.truncated = 0;
	c->path.deferred = 0;
	c->path.line[0] = 0;
	c->path.states[0] = 0;
	c->path.rst_sent = 0;
	c->path.note = NULL;
	c->path.nstacks = 0;
	c->user.nsp = c->user.nfp = c->user.nframes = 0;
	c->user.cut = NULL;
	c->data.len = c->data.truncated = 0;
}

/* What every call-like record has: when, who, how long, and what it returned. */
static void call_head(struct call *c, const struct ev_hdr *h, const char *comm, uint64_t dur,
		      long long ret)
{
	c->ts_ns = h->ts_ns;
	c->dur_ns = dur;
	c->pid = h->tgid;
	c->tid = h->tid;
	c->cpu = h->cpu;
	memcpy(c->comm, comm, NT_COMM_LEN);
	c->comm[NT_COMM_LEN] = 0;
	printable(c->comm);
	c->ret = ret;
	if (ret < 0 && ret >= -4095) {
		c->err = (int)-ret;
		c->err_name = errno_name(c->err);
	}
}

int call_moves_bytes(const struct call *c)
{
	int hook;

	if (c->req.is_req)
		return uring_op_moves_bytes(c->req.opcode);
	hook = hook_of_sys(c->sys->id);
	return (hook == HOOK_SENDMSG || hook == HOOK_RECVMSG) && c->sys->id != NT_SYS_SENDMMSG &&
	       c->sys->id != NT_SYS_RECVMMSG;
}

uint64_t call_bytes(const struct call *c)
{
	if (c->ret <= 0 || c->peek)
		return 0;
	if (c->mmsg_bytes)
		return c->mmsg_bytes;
	return call_moves_bytes(c) ? (uint64_t)c->ret : 0;
}

int call_category(const struct call *c)
{
	return c->from_sock ? CAT_RECV : (int)c->sys->cat;
}

int call_receives(const struct call *c)
{
	return c->req.is_req ? uring_op_receives(c->req.opcode) : call_category(c) == CAT_RECV;
}

int decode_call(const struct ev_call *ev, size_t size, struct call *c)
{
	size_t hits_end;
	struct dctx d = {.ev = ev, .c = c};

	if (size < sizeof(*ev) || ev->hdr.size != size || sizeof(*ev) + ev->aux_len > size ||
	    ev->aux_len > NT_AUX_MAX || ev->sys >= NT_SYS_MAX || !decoders[ev->sys])
		return -EINVAL;
	call_reset(c);
	c->sys = sys_by_id(ev->sys);
	if (!c->sys)
		return -EINVAL;
	d.aux = (const uint8_t *)(ev + 1);
	d.aux_len = ev->aux_len;
	/* -s: the payload ends aux, its length last; the call's own aux is before it */
	if (ev->flags & NT_F_DATA) {
		uint16_t n;

		if (d.aux_len < sizeof(n))
			return -EINVAL;
		memcpy(&n, d.aux + d.aux_len - sizeof(n), sizeof(n));
		if (!n || n > NT_PAYLOAD_MAX || n + sizeof(n) > d.aux_len)
			return -EINVAL;
		d.aux_len -= n + sizeof(n);
		memcpy(c->data.bytes, d.aux + d.aux_len, n);
		c->data.len = n;
		c->data.truncated = !!(ev->flags & NT_F_DATA_TRUNC);
	}
	call_head(c, &ev->hdr, ev->comm, ev->dur_ns, ev->ret);
	c->truncated = !!(ev->flags & NT_F_AUX_TRUNC);
	c->fault = !!(ev->flags & NT_F_AUX_FAULT);
	/* the hits follow aux, 4-byte aligned */
	/* the hits follow aux, 4-byte aligned; -u's user words follow them, 8-byte aligned */
	hits_end = sizeof(*ev) + ((ev->aux_len + 3u) & ~3u) + ev->nhits * sizeof(struct nt_hit);
	if (ev->nuser) {
		size_t uoff = (hits_end + 7) & ~(size_t)7;

		if (ev->nuser < NT_USER_SP || ev->nuser > NT_USER_SP + NT_USER_FRAMES ||
		    uoff + ev->nuser * sizeof(__u64) != size)
			return -EINVAL;
		c->user.nsp = NT_USER_SP;
		c->user.nfp = ev->nuser - NT_USER_SP;
		memcpy(c->user.sp, (const char *)ev + uoff, sizeof(c->user.sp));
		memcpy(c->user.fp, (const char *)ev + uoff + sizeof(c->user.sp),
		       c->user.nfp * sizeof(__u64));
		size = hits_end; /* what decode_hits checks */
	}
	if (decode_hits(ev, sizeof(*ev) + ((ev->aux_len + 3u) & ~3u), ev->nhits, size, &c->path))
		return -EINVAL;
	c->path.truncated = !!(ev->flags & NT_F_HITS_TRUNC);
	c->path.deferred = !!(ev->flags & NT_F_DEFERRED);
	decoders[ev->sys](&d);
	decode_sock(&ev->sock, &c->sock);
	c->began_before = !!(ev->flags & NT_F_BEFORE_TRACE);
	c->from_sock = !!(ev->flags & NT_F_SOCK_SRC);
	c->peek = nt_sys_peeks(ev->sys, ev->args);
	/* a recording made before the sum was kept has -1 there: not known */
	if ((ev->sys == NT_SYS_SENDMMSG || ev->sys == NT_SYS_RECVMMSG) && ev->ret > 0 &&
	    ev->enter_val > 0)
		c->mmsg_bytes = (uint64_t)ev->enter_val;
	/* nothing came back: what the decoder made of the outputs is not so */
	if (ev->flags & NT_F_UNFINISHED) {
		c->unfinished = 1;
		c->ret_detail[0] = 0;
	}
	return 0;
}

static void uring_how(struct call_req *r)
{
	size_t o = 0, n = sizeof(r->how);

	if (r->link_id)
		o += snprintf(r->how + o, n - o, "linked: issued once #%llu completed",
			      (unsigned long long)r->link_id);
	else if (r->iowq)
		o += snprintf(r->how + o, n - o, "punted to io-wq");
	else if (r->poll)
		o += snprintf(r->how + o, n - o, "armed on poll%s",
			      r->taskwork ? " → task work" : "");
	else if (r->taskwork)
		o += snprintf(r->how + o, n - o, "task work");
	else
		o += snprintf(r->how + o, n - o, "inline");
	if (r->before && o < n)
		o += snprintf(r->how + o, n - o, "; submitted before tracing began");
	if (r->sqpoll && o < n)
		o += snprintf(r->how + o, n - o, "; SQ thread, no syscall");
}

int decode_ureq(const struct ev_ureq *ev, size_t size, struct call *c)
{
	struct call_req *r = &c->req;
	char ud[32];

	if (size < sizeof(*ev) || ev->hdr.size != size || ev->data_len > NT_PAYLOAD_MAX ||
	    ev->data_len > size - sizeof(*ev))
		return -EINVAL;
	call_reset(c);
	if (decode_hits(ev, sizeof(*ev), ev->nhits, size - ev->data_len, &c->path))
		return -EINVAL;
	/* -s: the buffer's bytes, after the hits */
	memcpy(c->data.bytes, (const char *)ev + size - ev->data_len, ev->data_len);
	c->data.len = ev->data_len;
	c->data.truncated = ev->data_len && (ev->how & NT_UR_DATA_TRUNC);
	c->path.truncated = !!(ev->how & NT_UR_HITS_TRUNC);
	c->sys = sys_by_id(NT_SYS_IO_URING_ENTER); /* its -e category */
	call_head(c, &ev->hdr, ev->comm, ev->complete_ns - ev->hdr.ts_ns, ev->res);
	r->is_req = 1;
	r->id = ev->id;
	r->link_id = ev->how & NT_UR_LINKED ? ev->link_id : 0;
	r->user_data = ev->user_data;
	r->submit_ns = ev->submit_ns;
	r->complete_ns = ev->complete_ns;
	r->opcode = ev->opcode;
	r->op = xlat_name(xlat_uring_op, ev->opcode);
	r->fd = ev->how & NT_UR_NO_FD ? -1 : ev->fd;
	r->fixed = !!(ev->how & NT_UR_FIXED);
	r->ring_fd = ev->ring_fd;
	r->submit_tid = ev->hdr.tid;
	r->complete_tid = ev->complete_tid;
	r->shot = ev->shot;
	r->cflags = ev->cflags;
	r->more = !!(ev->cflags & 2);
	r->sqpoll = !!(ev->how & NT_UR_SQPOLL);
	r->poll = !!(ev->how & NT_UR_POLL);
	r->taskwork = !!(ev->how & NT_UR_TASKWORK);
	r->iowq = !!(ev->how & NT_UR_IOWQ);
	r->failed = !!(ev->how & NT_UR_FAILED);
	r->before = !!(ev->how & NT_UR_BEFORE);
	c->began_before = r->before;
	uring_how(r);
	if (ev->cflags)
		xlat_flags(xlat_uring_cqe_flags, ev->cflags & 0xffff, NULL, r->cflags_text,
			   sizeof(r->cflags_text));
	if (r->fd >= 0)
		arg_str(c, "fd", r->fixed ? "fixed #%d" : "%d", r->fd);
	else if (r->fd == NT_UR_FD_UNKNOWN)
		arg_str(c, "fd", "?");
	snprintf(ud, sizeof(ud), "0x%llx", (unsigned long long)ev->user_data);
	arg_str(c, "user_data", "%s", ud);
	if (*r->cflags_text)
		detail(c, "%s", r->cflags_text);
	if (ev->cflags >> 16 && (ev->cflags & 1))
		detail(c, "%sbuffer %u", *r->cflags_text ? ", " : "", ev->cflags >> 16);
	/* as an accept syscall's: how many connections still wait behind this one */
	if (ev->how & NT_UR_QUEUE) {
		c->queue = (struct call_queue){1, ev->link_id >> 32, (uint32_t)ev->link_id};
		detail(c, "%s(queue: %u of %u)", *c->ret_detail ? " " : "", c->queue.queued,
		       c->queue.max);
	}
	decode_sock(&ev->sock, &c->sock);
	return 0;
}

int decode_proc(const struct ev_proc *ev, size_t size, struct proc_event *p)
{
	if (size < sizeof(*ev) || ev->hdr.size != size || ev->kind < NT_PROC_FORK ||
	    ev->kind > NT_PROC_EXIT)
		return -EINVAL;
	memset(p, 0, sizeof(*p));
	p->ts_ns = ev->hdr.ts_ns;
	p->pid = ev->hdr.tgid;
	p->tid = ev->hdr.tid;
	p->ppid = ev->ppid;
	p->kind = ev->kind;
	p->exit_code = ev->exit_code;
	memcpy(p->comm, ev->comm, NT_COMM_LEN);
	memcpy(p->path, ev->path, NT_PATH_MAX);
	printable(p->comm);
	printable(p->path);
	return 0;
}
