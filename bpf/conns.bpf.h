/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * --by conn: a row per connection of the traced processes, keyed by its
 * struct sock, counted by the syscalls (syscalls.bpf.c) and the io_uring
 * requests (uring.bpf.c) made on it.
 */
#ifndef CONNS_BPF_H
#define CONNS_BPF_H

#include "common.bpf.h"
#include "sock.bpf.h"

/*
 * The row of connection sk, made at its first call (a close too, as the
 * recorded calls count it): its endpoints from sock if given (read
 * already), else from fd.  NULL if none.
 */
static __always_inline struct nt_conn *conn_row(__u64 sk, int fd, const struct nt_sock *sock)
{
	struct nt_conn *c, *z;
	__u32 zero = 0;

	if (!sk)
		return NULL;
	c = bpf_map_lookup_elem(&conns, &sk);
	if (c) {
		/* connected since it was first seen (connect after bind, ...), or accepted;
		 * an io_uring request's socket was read at its submission */
		if (!c->sock.peer.port && (!c->sock.peer_ino || c->sock.peer_ino & NT_PEER_NOINO)) {
			if (sock)
				__builtin_memcpy(&c->sock, sock, sizeof(c->sock));
			else if (fd >= 0)
				read_sock(fd, &c->sock, 0);
		}
		return c;
	}
	z = bpf_map_lookup_elem(&conn_zero, &zero);
	if (!z)
		return NULL;
	__builtin_memset(z, 0, sizeof(*z));
	if (sock)
		__builtin_memcpy(&z->sock, sock, sizeof(z->sock));
	else
		read_sock(fd, &z->sock, 0);
	z->pid = bpf_get_current_pid_tgid() >> 32;
	z->first_ns = bpf_ktime_get_ns();
	if (bpf_map_update_elem(&conns, &sk, z, BPF_NOEXIST))
		return NULL;
	stat_inc(NT_STAT_CONNS); /* a row the table may evict: rows read short of it are */
	return bpf_map_lookup_elem(&conns, &sk);
}

/*
 * One call on the connection, and the bytes it moved.  A close retires the
 * row to a key of its own, a sequence number below any kernel address: the
 * kernel hands a closed socket's memory to the next socket, whose calls would
 * add to this row.
 */
static __always_inline void conn_retire(__u64 sk, struct nt_conn *c)
{
	__u32 zero = 0;
	struct nt_conn *z;
	__u64 rkey;

	c->closed = 1;
	z = bpf_map_lookup_elem(&conn_zero, &zero);
	if (!z)
		return;
	__builtin_memcpy(z, c, sizeof(*z));
	rkey = __sync_fetch_and_add(&nt_conns_retired, 1) + 1;
	bpf_map_delete_elem(&conns, &sk);
	bpf_map_update_elem(&conns, &rkey, z, BPF_NOEXIST);
}

static __always_inline void conn_add(__u64 sk, struct nt_conn *c, __u32 pid, __s64 bytes,
				     int receives, int closing)
{
	c->calls++;
	c->last_pid = pid;
	c->last_ns = bpf_ktime_get_ns();
	if (bytes > 0) {
		if (receives)
			c->bytes_in += bytes;
		else
			c->bytes_out += bytes;
	}
	if (closing)
		conn_retire(sk, c);
}

/*
 * A close the table does not count (-e without close, -Z, --min-duration)
 * still ends its connection's row, if it has one, and its lifetime.
 */
static __always_inline void conn_close_uncounted(__u64 sk, __u32 pid)
{
	struct nt_conn *c = sk ? bpf_map_lookup_elem(&conns, &sk) : NULL;

	if (!c)
		return;
	c->last_pid = pid;
	c->last_ns = bpf_ktime_get_ns();
	conn_retire(sk, c);
}

#endif /* CONNS_BPF_H */
