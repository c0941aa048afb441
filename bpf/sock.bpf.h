/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The socket behind an fd of the current task, read as strace -yy shows it. */
#ifndef SOCK_BPF_H
#define SOCK_BPF_H

#include "common.bpf.h"

#define S_IFMT	 00170000
#define S_IFSOCK 0140000
#define AF_UNIX	 1
#define AF_INET	 2
#define AF_INET6 10

/*
 * Two fields of one object in one helper read when CO-RE puts them within
 * NT_SPAN bytes of each other, else one read each: a read costs more than
 * the bytes it copies, and every traced call reads a socket's file, inode
 * and struct socket (f_inode beside private_data, i_mode and i_ino 64 bytes
 * apart, type and sk 20).  The offsets are constants once relocated, so the
 * verifier follows one branch and sees fixed stack offsets.
 */
#define NT_SPAN 80

static __always_inline int read_pair(const void *obj, __u32 o1, void *v1, __u32 s1, __u32 o2,
				     void *v2, __u32 s2)
{
	__u32 lo = o1 < o2 ? o1 : o2, hi = o1 + s1 > o2 + s2 ? o1 + s1 : o2 + s2;
	__u8 span[NT_SPAN];

	if (hi - lo > NT_SPAN)
		return bpf_probe_read_kernel(v1, s1, obj + o1) ||
		       bpf_probe_read_kernel(v2, s2, obj + o2);
	if (bpf_probe_read_kernel(span, hi - lo, obj + lo))
		return -1;
	__builtin_memcpy(v1, span + (o1 - lo), s1);
	__builtin_memcpy(v2, span + (o2 - lo), s2);
	return 0;
}

/* Fields f1 and f2 of *obj into *v1 and *v2 (sized as the fields); non-zero on a fault. */
#define nt_read_pair(obj, f1, v1, f2, v2)                                                          \
	read_pair((obj), bpf_core_field_offset((obj)->f1), (v1), sizeof(*(v1)),                    \
		  bpf_core_field_offset((obj)->f2), (v2), sizeof(*(v2)))

/*
 * The file at fd in the current task's table.  Helper reads, not typed BTF
 * loads: the verifier checks a typed pointer load by searching the kernel's
 * BTF (about a millisecond each, in every program that has one), where a
 * helper read costs some 30 ns a call; measured, 15 ms off the time to
 * attach and no change a call could show.  A global function, so the
 * verifier walks it once per program, not at each call site.  Weak: every
 * object that includes this defines it, the linker keeps one.
 */
__weak __noinline __u64 nt_fd_file(int fd)
{
	struct task_struct *t = (void *)bpf_get_current_task();
	struct fdtable *fdt = BPF_CORE_READ(t, files, fdt);
	struct file **slots = NULL, *f = NULL;
	unsigned int max_fds = 0;

	if (fd < 0 || nt_read_pair(fdt, max_fds, &max_fds, fd, &slots) ||
	    (unsigned int)fd >= max_fds)
		return 0;
	bpf_probe_read_kernel(&f, sizeof(f), slots + fd);
	return (__u64)f;
}

static __always_inline struct file *fd_file(int fd)
{
	return (struct file *)nt_fd_file(fd);
}

/* The socket behind f and its inode number, NULL if f is not a socket. */
static __always_inline struct socket *file_socket(struct file *f, unsigned long *ino)
{
	struct socket *sock = NULL;
	struct inode *inode = NULL;
	umode_t mode = 0;

	if (!f || nt_read_pair(f, f_inode, &inode, private_data, &sock) || !inode ||
	    nt_read_pair(inode, i_mode, &mode, i_ino, ino) || (mode & S_IFMT) != S_IFSOCK)
		return NULL;
	return sock;
}

/*
 * Sends unix socket ino's name (the struct unix_address at addr) unless it
 * went out already: a name never changes once bound, so a socket costs one
 * record and, after it, a lookup per call.  Stamped ts, the time of the
 * record that first shows it (0: now), so that the reader's sort puts it
 * just before that record and after every earlier one.  A global function:
 * verified once.
 */
__weak __noinline int nt_unix_name(__u64 ino, __u64 addr, __u64 ts)
{
	struct unix_address *a = (void *)addr;
	struct ev_uname *r;
	__u64 *sent;
	int len;

	if (!ino || !addr)
		return 0;
	sent = bpf_map_lookup_elem(&unames, &ino);
	if (sent && *sent == addr)
		return 0;
	len = BPF_CORE_READ(a, len);
	if (len <= 0 || len > NT_SUN_MAX)
		return 0;
	r = bpf_ringbuf_reserve(&events, sizeof(*r), 0);
	if (!r) {
		stat_inc(NT_STAT_LOST_UNAME);
		return 0;
	}
	fill_hdr(&r->hdr, ts ?: bpf_ktime_get_ns(), EV_UNAME, sizeof(*r),
		 bpf_get_current_pid_tgid());
	r->ino = ino;
	r->len = len;
	__builtin_memset(r->sa, 0, sizeof(r->sa));
	bpf_probe_read_kernel(r->sa, len, (void *)a + bpf_core_field_offset(a->name));
	bpf_ringbuf_submit(r, wakeup_flags());
	bpf_map_update_elem(&unames, &ino, &addr, BPF_ANY);
	return 0;
}

/* Unix socket sk's peer's inode (0 if it has no peer), and the names of both sent. */
static __always_inline __u64 unix_peer(__u64 sk, __u64 ino, __u64 ts)
{
	struct unix_sock *u = (void *)sk;
	struct unix_address *addr = NULL;
	struct sock *peer = NULL;
	__u64 peer_ino;

	nt_read_pair(u, addr, &addr, peer, &peer);
	nt_unix_name(ino, (__u64)addr, ts);
	if (!peer)
		return 0;
	peer_ino = BPF_CORE_READ(peer, sk_socket, file, f_inode, i_ino);
	if (!peer_ino)
		peer_ino = NT_PEER_NOINO | ((__u64)peer & NT_PEER_ID) |
			   (BPF_CORE_READ(peer, __sk_common.skc_state) == TCP_CLOSE ? NT_PEER_CLOSED
										    : 0);
	nt_unix_name(peer_ino, (__u64)BPF_CORE_READ((struct unix_sock *)peer, addr), ts);
	return peer_ino;
}

/*
 * The head of struct sock_common, read in one copy instead of six: its
 * layout (addresses, hash, ports, family, state) has been the same since
 * Linux 2.6, and every traced call reads it.
 */
struct skc_head {
	__be32 daddr;
	__be32 rcv_saddr;
	__u32 hash;
	__be16 dport;
	__u16 num;
	__u16 family;
	__u8 state;
};

/*
 * The struct socket of sk, a socket of the current call, and its inode
 * number: from the sock itself, where the fd's way reads the task's table,
 * the file and the inode.  The inode is the struct socket's neighbour in
 * their socket_alloc.
 */
static __always_inline struct socket *socket_of_sk(struct sock *sk, unsigned long *ino)
{
	struct socket *sock = BPF_CORE_READ(sk, sk_socket);
	struct socket_alloc *sa = NULL;

	if (!sock)
		return NULL;
	sa = (void *)sock - bpf_core_field_offset(sa->socket);
	*ino = BPF_CORE_READ(sa, vfs_inode.i_ino);
	return sock;
}

/*
 * Fills out from fd's socket; returns its struct sock, 0 if fd is not a
 * socket.  sk_hint: that socket's struct sock if the call already met it (a
 * sock_send_length or sock_recv_length hit), 0 if not: five of the nine reads
 * saved.  ts: the time of the record out goes in (0: none), for unix names.
 * A global function: the verifier walks it once per program, not at each of
 * the places that read a socket (sys_exit has three).  Linux 6.1 refuses a
 * program whose stack and its global functions' add up to more than 512
 * bytes (make test-vm loads them there).
 */
__weak __noinline __u64 nt_read_sock(int fd, __u64 sk_hint, struct nt_sock *out, __u64 ts)
{
	unsigned long ino = 0;
	struct sock *sk = (void *)sk_hint;
	struct socket *sock;
	struct skc_head head;
	__u16 type = 0, protocol = 0;

	if (!out)
		return 0;
	if (sk) {
		if (!socket_of_sk(sk, &ino) ||
		    nt_read_pair(sk, sk_type, &type, sk_protocol, &protocol))
			return 0;
	} else {
		sock = file_socket(fd_file(fd), &ino);
		if (!sock || nt_read_pair(sock, type, &type, sk, &sk) || !sk)
			return 0;
		protocol = BPF_CORE_READ(sk, sk_protocol);
	}
	if (bpf_core_read(&head, sizeof(head), &sk->__sk_common.skc_addrpair))
		return 0;
	out->valid = 1;
	out->ino = ino;
	out->family = head.family;
	out->type = type;
	out->protocol = protocol;
	out->state = head.state;
	out->local.family = head.family;
	out->peer.family = head.family;
	out->local.port = head.num;
	out->peer.port = bpf_ntohs(head.dport);
	/*
	 * A connection that reached CLOSE gave its port back (inet_num is 0) but
	 * keeps the one it used, which getsockname still shows: a close after
	 * the peer's FIN would otherwise say 127.0.0.1:0.  A connect undone
	 * (refused, blocking) has no peer left, nor a port to show.
	 */
	if (!head.num && head.dport && (head.family == AF_INET || head.family == AF_INET6))
		out->local.port = bpf_ntohs(BPF_CORE_READ((struct inet_sock *)sk, inet_sport));
	if (head.family == AF_INET) {
		__builtin_memcpy(&out->local.addr, &head.rcv_saddr, 4);
		__builtin_memcpy(&out->peer.addr, &head.daddr, 4);
	} else if (head.family == AF_INET6) {
		nt_read_pair(sk, __sk_common.skc_v6_rcv_saddr, &out->local.addr,
			     __sk_common.skc_v6_daddr, &out->peer.addr);
	} else if (head.family == AF_UNIX) {
		out->local.port = 0;
		out->peer.port = 0;
		out->peer_ino = unix_peer((__u64)sk, ino, ts);
	}
	return (__u64)sk;
}

static __always_inline __u64 read_sock(int fd, struct nt_sock *out, __u64 ts)
{
	return nt_read_sock(fd, 0, out, ts);
}

/* The struct sock behind fd, 0 if fd is not a socket. */
static __always_inline __u64 sock_of_fd(int fd)
{
	unsigned long ino;
	struct socket *sock = file_socket(fd_file(fd), &ino);

	return sock ? (__u64)BPF_CORE_READ(sock, sk) : 0;
}

/*
 * A listening socket's accept queue: the connections waiting << 32 | the most
 * it holds (the backlog as the kernel capped it).  0, or -1 if unread.
 */
static __always_inline int listen_queue(__u64 sk, __u64 *q)
{
	__u32 len = 0, max = 0;

	if (!sk || nt_read_pair((struct sock *)sk, sk_ack_backlog, &len, sk_max_ack_backlog, &max))
		return -1;
	*q = (__u64)len << 32 | max;
	return 0;
}

static __always_inline int fd_is_socket(int fd)
{
	unsigned long ino;

	return file_socket(fd_file(fd), &ino) != NULL;
}

#endif /* SOCK_BPF_H */
