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
	struct file *f = NULL;

	if (fd < 0 || (unsigned int)fd >= BPF_CORE_READ(fdt, max_fds))
		return 0;
	bpf_probe_read_kernel(&f, sizeof(f), BPF_CORE_READ(fdt, fd) + fd);
	return (__u64)f;
}

static __always_inline struct file *fd_file(int fd)
{
	return (struct file *)nt_fd_file(fd);
}

static __always_inline struct socket *file_socket(struct file *f)
{
	if (!f || (BPF_CORE_READ(f, f_inode, i_mode) & S_IFMT) != S_IFSOCK)
		return NULL;
	return BPF_CORE_READ(f, private_data);
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

/* Fills out from fd's socket; returns its struct sock, 0 if fd is not a socket. */
static __always_inline __u64 read_sock(int fd, struct nt_sock *out)
{
	struct file *f = fd_file(fd);
	struct inode *inode = f ? BPF_CORE_READ(f, f_inode) : NULL;
	struct skc_head head;
	struct socket *sock;
	struct sock *sk;

	if (!inode || (BPF_CORE_READ(inode, i_mode) & S_IFMT) != S_IFSOCK)
		return 0;
	sock = BPF_CORE_READ(f, private_data);
	sk = sock ? BPF_CORE_READ(sock, sk) : NULL;
	if (!sk || bpf_core_read(&head, sizeof(head), &sk->__sk_common.skc_addrpair))
		return 0;
	out->valid = 1;
	out->ino = BPF_CORE_READ(inode, i_ino);
	out->family = head.family;
	out->type = BPF_CORE_READ(sock, type);
	out->protocol = BPF_CORE_READ(sk, sk_protocol);
	out->state = head.state;
	out->local.family = head.family;
	out->peer.family = head.family;
	out->local.port = head.num;
	out->peer.port = bpf_ntohs(head.dport);
	if (head.family == AF_INET) {
		__builtin_memcpy(&out->local.addr, &head.rcv_saddr, 4);
		__builtin_memcpy(&out->peer.addr, &head.daddr, 4);
	} else if (head.family == AF_INET6) {
		BPF_CORE_READ_INTO(&out->local.addr, sk, __sk_common.skc_v6_rcv_saddr);
		BPF_CORE_READ_INTO(&out->peer.addr, sk, __sk_common.skc_v6_daddr);
	} else if (head.family == AF_UNIX) {
		struct sock *peer = BPF_CORE_READ((struct unix_sock *)sk, peer);

		out->local.port = 0;
		out->peer.port = 0;
		if (peer)
			out->peer_ino = BPF_CORE_READ(peer, sk_socket, file, f_inode, i_ino);
	}
	return (__u64)sk;
}

/* The struct sock behind fd, 0 if fd is not a socket. */
static __always_inline __u64 sock_of_fd(int fd)
{
	struct socket *sock = file_socket(fd_file(fd));

	return sock ? (__u64)BPF_CORE_READ(sock, sk) : 0;
}

static __always_inline int fd_is_socket(int fd)
{
	return file_socket(fd_file(fd)) != NULL;
}

#endif /* SOCK_BPF_H */
