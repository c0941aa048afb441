// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The syscall surface, on the raw sys_enter/sys_exit tracepoints (tp_btf):
 * two links whatever -e selects, typed pt_regs reads, no tracefs.  The
 * per-syscall syscalls:sys_enter_X events were tried first: each of their 72
 * perf events waits out an RCU grace period under a global mutex when
 * detached, and teardown took 2.8 s.  Here the tgid filter runs first, then a
 * table lookup drops calls nobody asked for.  Enter keeps the arguments per
 * thread; exit reads what the call produced (addresses, events, the fd's
 * socket) and sends one complete record.
 */
#include "common.bpf.h"
#include "sock.bpf.h"
#include "conns.bpf.h"

#define TS_COMPAT 0x0002 /* x86: a 32-bit syscall, numbered differently */

/* A zeroed entry for a thread's first traced call (too big for the BPF stack). */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct inflight);
} inflight_zero SEC(".maps");

static __always_inline __s64 read_timespec_ns(const void *uptr)
{
	struct {
		__s64 sec;
		__s64 nsec;
	} ts;

	if (!uptr || bpf_probe_read_user(&ts, sizeof(ts), uptr))
		return -1;
	return ts.sec * 1000000000LL + ts.nsec;
}

static __always_inline __s64 read_timeval_ns(const void *uptr)
{
	struct {
		__s64 sec;
		__s64 usec;
	} tv;

	if (!uptr || bpf_probe_read_user(&tv, sizeof(tv), uptr))
		return -1;
	return tv.sec * 1000000000LL + tv.usec * 1000;
}

static __always_inline __s64 read_u32(const void *uptr)
{
	__u32 v;

	if (!uptr || bpf_probe_read_user(&v, sizeof(v), uptr))
		return -1;
	return v;
}

/*
 * A whole NT_FDSET_BYTES of each set, whatever nfds is: an fd_set is 128
 * bytes, so this stays inside the caller's memory, and a fixed size keeps the
 * verifier simple.  The decoder looks only at the bits below nfds.
 */
static __always_inline void copy_fdsets(__u8 (*dst)[NT_FDSET_BYTES], const __u64 *ptrs)
{
#pragma unroll
	for (int i = 0; i < 3; i++)
		if (ptrs[i])
			bpf_probe_read_user(dst[i], NT_FDSET_BYTES, (const void *)ptrs[i]);
}

SEC("tp_btf/sys_enter")
int BPF_PROG(tp_btf_sys_enter, struct pt_regs *regs, long id)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)pid_tgid, zero = 0;
	struct inflight *in;
	__u32 nr = id;
	__u64 *a;
	__u16 sys;

	/* cheapest first: most syscalls of most processes end at the table */
	sys = nr < NT_NR_MAX ? targ_sys_id[nr & (NT_NR_MAX - 1)] : NT_SYS_NONE;
	if (sys == NT_SYS_NONE && !nt_deferred_pending && targ_count < 2)
		return 0;
	if (!trace_allowed(pid_tgid >> 32))
		return 0;
	if (targ_count >= 2 && sys == NT_SYS_NONE) {
		count_add(0, 0, 0,
			  0); /* any other syscall: a user/kernel transition all the same */
		return 0;
	}
	in = bpf_map_lookup_elem(&inflight, &tid);
	if (in && in->active && in->deferred)
		flush_deferred(in, tid, pid_tgid);
	if (sys == NT_SYS_NONE)
		return 0;
	if (bpf_get_current_task_btf()->thread_info.status & TS_COMPAT)
		return 0;
	if (!in) {
		struct inflight *z = bpf_map_lookup_elem(&inflight_zero, &zero);

		if (!z || bpf_map_update_elem(&inflight, &tid, z, BPF_NOEXIST) ||
		    !(in = bpf_map_lookup_elem(&inflight, &tid))) {
			stat_inc(NT_STAT_LOST_INFLIGHT);
			return 0;
		}
	}
	in->active = 0;
	in->deferred = 0;
	in->flags = 0;
	in->sk = 0;
	in->sets.present = 0;
	/* the x86_64 syscall convention; slots past a call's own args are unused */
	a = in->args;
	a[0] = regs->di;
	a[1] = regs->si;
	a[2] = regs->dx;
	a[3] = regs->r10;
	a[4] = regs->r8;
	a[5] = regs->r9;
	/*
	 * read/write/close are traced only on sockets: close is checked now (its
	 * socket is read before it goes), the others at exit, where their socket
	 * is read anyway (a socket server's reads paid for the check twice).
	 */
	if (sys == NT_SYS_CLOSE && !fd_is_socket((int)a[0])) {
		if (targ_count >= 2)
			count_add(0, 0, 0, 0);
		return 0;
	}
	in->nr = nr;
	in->sys = sys;
	in->tgid = pid_tgid >> 32;
	in->enter_val = -1;
	in->nuser = 0;
	/* -c counts calls and bytes: what a record would show is not read (select's sets...) */
	if (targ_count && sys != NT_SYS_CLOSE)
		goto armed;

	switch (sys) {
	case NT_SYS_CLOSE:
		__builtin_memset(&in->sock, 0, sizeof(in->sock));
		in->sk = read_sock((int)a[0], &in->sock, 0); /* before the call's stamp */
		in->flags |= NT_F_SOCK_ENTER;
		break;
	case NT_SYS_SELECT:
	case NT_SYS_PSELECT6:
		for (int i = 0; i < 3; i++)
			if (a[1 + i])
				in->sets.present |= 1 << i;
		copy_fdsets(in->sets.in, &a[1]);
		in->enter_val = sys == NT_SYS_SELECT ? read_timeval_ns((void *)a[4])
						     : read_timespec_ns((void *)a[4]);
		break;
	case NT_SYS_PPOLL:
		in->enter_val = read_timespec_ns((void *)a[2]);
		break;
	case NT_SYS_EPOLL_PWAIT2:
		in->enter_val = read_timespec_ns((void *)a[3]);
		break;
	case NT_SYS_ACCEPT:
	case NT_SYS_ACCEPT4:
	case NT_SYS_GETSOCKNAME:
	case NT_SYS_GETPEERNAME:
		in->enter_val = read_u32((void *)a[2]);
		break;
	case NT_SYS_RECVFROM:
		in->enter_val = read_u32((void *)a[5]);
		break;
	case NT_SYS_RECVMSG:
		in->enter_val = read_u32((void *)a[1] +
					 __builtin_offsetof(struct user_msghdr, msg_namelen));
		break;
	case NT_SYS_RECVMMSG:
		/* struct mmsghdr is 64 bytes, msg_namelen 8 bytes in */
		for (int i = 0; i < NT_MMSG_MAX && i < a[2]; i++)
			in->mmsg_namelen[i] = read_u32((void *)a[1] + i * 64 + 8);
		break;
	case NT_SYS_GETSOCKOPT:
		in->enter_val = read_u32((void *)a[4]);
		break;
	}
	if (targ_ustack) {
		/*
		 * The user stack where the call entered: the words at the stack
		 * pointer (a libc wrapper without a frame keeps its caller's return
		 * address there), then the frame-pointer chain from the syscall's IP.
		 */
		long n;

		if (bpf_probe_read_user(in->user, NT_USER_SP * sizeof(__u64), (void *)regs->sp))
			__builtin_memset(in->user, 0, NT_USER_SP * sizeof(__u64));
		n = bpf_get_stack(ctx, &in->user[NT_USER_SP], NT_USER_FRAMES * sizeof(__u64),
				  BPF_F_USER_STACK);
		in->nuser = NT_USER_SP + (n > 0 ? n / sizeof(__u64) : 0);
	}
armed:
	path_reset(&in->p, bpf_ktime_get_ns());
	in->active = 1;
	return 0;
}

/*
 * Copies len bytes of user memory to aux; returns the bytes kept.  This and
 * the rarer calls' captures below are global functions: the verifier walks
 * each once per program, not on every path through sys_exit's switch (its
 * load 16 -> 11 ms).  The kernel lets a global function's pointer arguments
 * be NULL, and takes a user address as a number.
 */
__noinline __u32 aux_copy(struct call_buf *b, __u32 off, __u64 uptr, __u32 len)
{
	if (!b || off >= NT_AUX_MAX)
		return 0;
	if (len > NT_AUX_MAX - off) {
		len = NT_AUX_MAX - off;
		b->ev.flags |= NT_F_AUX_TRUNC;
	}
	if (!uptr || !len)
		return 0;
	/* the masks restate the bounds in a form the verifier keeps */
	barrier_var(off);
	barrier_var(len);
	off &= NT_AUX_MAX - 1;
	len &= NT_AUX_MAX - 1;
	if (off + len > NT_AUX_MAX)
		return 0;
	if (bpf_probe_read_user(&b->aux[off], len, (const void *)uptr)) {
		b->ev.flags |= NT_F_AUX_FAULT;
		return 0;
	}
	return len;
}

/* A listening socket's accept queue after the call, in place of enter_val (NT_F_QUEUE). */
static __always_inline void note_queue(struct call_buf *b, __u64 sk)
{
	__u64 q;

	if (listen_queue(sk, &q))
		return;
	b->ev.enter_val = q;
	b->ev.flags |= NT_F_QUEUE;
}

static __always_inline __u32 cap_sockaddr(struct call_buf *b, const void *uptr, __s64 len)
{
	if (len <= 0)
		return 0;
	if (len > NT_SOCKADDR_MAX) {
		len = NT_SOCKADDR_MAX;
		b->ev.flags |= NT_F_AUX_TRUNC;
	}
	return aux_copy(b, 0, (__u64)uptr, len);
}

/* An address the kernel wrote back: *lenp after, at most what fit before. */
static __always_inline __u32 cap_sockaddr_out(struct call_buf *b, const void *uptr,
					      const void *lenp, __s64 len_in)
{
	__s64 len = read_u32(lenp);

	if (len > len_in)
		len = len_in;
	return cap_sockaddr(b, uptr, len);
}

/*
 * A message's header, its address (at most name_max of it: recvmsg's
 * msg_namelen after is the address's whole length, which may be more than
 * the buffer held) and its control messages.
 */
__noinline __u32 cap_msghdr(struct call_buf *b, __u64 uptr, __u32 name_max)
{
	struct nt_aux_msghdr *m;
	struct user_msghdr h;
	struct iovec iov;
	__u32 name_len;

	if (!b)
		return 0;
	m = (void *)b->aux;
	if (!uptr || bpf_probe_read_user(&h, sizeof(h), (const void *)uptr)) {
		b->ev.flags |= NT_F_AUX_FAULT;
		return 0;
	}
	m->iovlen = h.msg_iovlen;
	m->controllen = h.msg_controllen;
	m->msg_flags = h.msg_flags;
	m->iov_bytes = 0;
	for (int i = 0; i < NT_IOV_MAX; i++) {
		if (i >= h.msg_iovlen)
			break;
		if (bpf_probe_read_user(&iov, sizeof(iov), &h.msg_iov[i]))
			break;
		m->iov_bytes += iov.iov_len;
	}
	if (h.msg_iovlen > NT_IOV_MAX)
		b->ev.flags |= NT_F_AUX_TRUNC;
	name_len = 0;
	if (h.msg_namelen > name_max)
		h.msg_namelen = name_max;
	if (h.msg_name && h.msg_namelen > 0) {
		__u32 n = h.msg_namelen > NT_SOCKADDR_MAX ? NT_SOCKADDR_MAX : h.msg_namelen;

		name_len = aux_copy(b, sizeof(*m), (__u64)h.msg_name, n);
	}
	m->namelen = name_len;
	/* fds passed, packet info, timestamps: at exit, recvmsg's controllen is what it got */
	if (h.msg_control && h.msg_controllen > 0)
		return sizeof(*m) + name_len +
		       aux_copy(b, sizeof(*m) + name_len, (__u64)h.msg_control,
				h.msg_controllen > NT_CMSG_MAX ? NT_CMSG_MAX : h.msg_controllen);
	return sizeof(*m) + name_len;
}

/*
 * The first messages' lengths and addresses.  A received address is at most
 * what its buffer held (the msg_namelen passed in): msg_namelen after is the
 * whole address's length.  A sent address's length is its own.
 */
__noinline __u32 cap_mmsg(struct call_buf *b, const struct inflight *in, __s64 ret)
{
	const __u8 *p;
	struct nt_aux_mmsg *m;
	struct {
		__u64 name;
		__u32 namelen;
	} h;

	if (!b || !in)
		return 0;
	p = (const void *)in->args[1];
	m = (void *)b->aux;
	m->n = 0;
	for (int i = 0; i < NT_MMSG_MAX; i++) {
		__u32 n;

		if (i >= ret)
			break;
		/* struct mmsghdr: a 56-byte user_msghdr (msg_name, msg_namelen first), msg_len */
		if (bpf_probe_read_user(&m->lens[i], sizeof(__u32), p + i * 64 + 56) ||
		    bpf_probe_read_user(&h, sizeof(h), p + i * 64))
			break;
		m->namelens[i] = 0;
		if (in->sys == NT_SYS_RECVMMSG && in->mmsg_namelen[i] < h.namelen)
			h.namelen = in->mmsg_namelen[i];
		n = h.namelen < NT_MMSG_NAME ? h.namelen : NT_MMSG_NAME;
		barrier_var(n);
		if (h.name && n && n <= NT_MMSG_NAME &&
		    !bpf_probe_read_user(m->names[i], n, (const void *)h.name))
			m->namelens[i] = h.namelen;
		m->n = i + 1;
	}
	if (ret > NT_MMSG_MAX)
		b->ev.flags |= NT_F_AUX_TRUNC;
	return sizeof(*m);
}

/* readv/writev: each iovec's length (the first NT_IOV_MAX), a __u64 each */
__noinline __u32 cap_iov_lens(struct call_buf *b, __u64 iovp, __u64 niov)
{
	struct iovec iov;
	__u32 n = 0;

	if (!b)
		return 0;
	for (int i = 0; i < NT_IOV_MAX && i < niov; i++) {
		if (bpf_probe_read_user(&iov, sizeof(iov), (void *)(iovp + i * sizeof(iov)))) {
			b->ev.flags |= NT_F_AUX_FAULT;
			break;
		}
		__builtin_memcpy(&b->aux[i * sizeof(__u64)], &iov.iov_len, sizeof(__u64));
		n++;
	}
	if (niov > NT_IOV_MAX)
		b->ev.flags |= NT_F_AUX_TRUNC;
	return n * sizeof(__u64);
}

static __always_inline __u32 cap_vec(struct call_buf *b, const void *uptr, __s64 n, __u32 elem)
{
	if (n <= 0)
		return 0;
	if (n > NT_VEC_MAX) {
		n = NT_VEC_MAX;
		b->ev.flags |= NT_F_AUX_TRUNC;
	}
	return aux_copy(b, 0, (__u64)uptr, n * elem);
}

__noinline __u32 cap_sockopt(struct call_buf *b, __u64 val, __s64 len)
{
	struct nt_aux_sockopt *o;
	__u32 n;

	if (!b)
		return 0;
	o = (void *)b->aux;
	if (len < 0)
		len = 0;
	o->optlen = len;
	n = len > NT_SOCKOPT_MAX ? NT_SOCKOPT_MAX : len;
	if (val && n &&
	    bpf_probe_read_user(o->val, n & (NT_SOCKOPT_MAX * 2 - 1), (const void *)val))
		b->ev.flags |= NT_F_AUX_FAULT;
	return sizeof(*o);
}

/* Calls whose result is a byte count. */
static __always_inline int moves_bytes(__u16 sys)
{
	return sys == NT_SYS_SENDTO || sys == NT_SYS_SENDMSG || sys == NT_SYS_RECVFROM ||
	       sys == NT_SYS_RECVMSG || sys == NT_SYS_READ || sys == NT_SYS_WRITE ||
	       sys == NT_SYS_READV || sys == NT_SYS_WRITEV || sys == NT_SYS_SENDFILE ||
	       sys == NT_SYS_SPLICE;
}

/* sendmmsg/recvmmsg: the bytes of the ret messages moved, each mmsghdr's msg_len summed. */
__noinline __u64 mmsg_bytes(__u64 uptr, __s64 ret)
{
	const __u8 *p = (const void *)uptr;
	__u64 sum = 0;

	for (int i = 0; i < NT_MMSG_SUM_MAX; i++) {
		__u32 len;

		/* struct mmsghdr: 64 bytes, msg_len after its 56-byte user_msghdr */
		if (i >= ret || bpf_probe_read_user(&len, sizeof(len), p + i * 64 + 56))
			break;
		sum += len;
	}
	return sum;
}

static __always_inline int is_mmsg(__u16 sys)
{
	return sys == NT_SYS_SENDMMSG || sys == NT_SYS_RECVMMSG;
}

/* The bytes a call took in or sent (a peek took none), for the counts. */
static __always_inline __u64 bytes_moved(const struct inflight *in, __s64 ret)
{
	if (ret <= 0 || nt_sys_peeks(in->sys, in->args))
		return 0;
	if (is_mmsg(in->sys))
		return mmsg_bytes(in->args[1], ret);
	return moves_bytes(in->sys) ? ret : 0;
}

/*
 * The fd of a read, write, sendfile or splice that is a socket, or -1: then
 * it is no socket call.  *src: the bytes came from it.
 */
static __always_inline int rw_sock_fd(const struct inflight *in, int *src)
{
	int fds[2] = {-1, -1}, n = nt_rw_fds(in->sys, in->args, fds);

	*src = 0;
	if (fd_is_socket(fds[0]))
		return fds[0];
	if (n > 1 && fd_is_socket(fds[1])) {
		*src = 1;
		return fds[1];
	}
	return -1;
}

static __always_inline int receives(__u16 sys)
{
	return sys == NT_SYS_RECVFROM || sys == NT_SYS_RECVMSG || sys == NT_SYS_READ ||
	       sys == NT_SYS_READV || sys == NT_SYS_RECVMMSG;
}

/* --by conn: a syscall's part in its connection's row (conns.bpf.h), bytes its bytes_moved. */
static __always_inline void count_conn(struct inflight *in, __s64 ret, __u64 bytes)
{
	int fd = (int)(in->sys == NT_SYS_EPOLL_CTL ? in->args[2] : in->args[0]), src = 0;
	struct nt_conn *c;
	__u64 key;

	switch (in->sys) {
	case NT_SYS_SENDFILE:
	case NT_SYS_SPLICE:
		fd = rw_sock_fd(in, &src);
		break;
	case NT_SYS_SOCKET:
	case NT_SYS_SOCKETPAIR:
	case NT_SYS_SELECT:
	case NT_SYS_PSELECT6:
	case NT_SYS_POLL:
	case NT_SYS_PPOLL:
	case NT_SYS_EPOLL_CREATE:
	case NT_SYS_EPOLL_CREATE1:
	case NT_SYS_EPOLL_CTL:
	case NT_SYS_EPOLL_WAIT:
	case NT_SYS_EPOLL_PWAIT:
	case NT_SYS_EPOLL_PWAIT2:
	case NT_SYS_IO_URING_SETUP:
	case NT_SYS_IO_URING_ENTER:
	case NT_SYS_IO_URING_REGISTER:
		return;
	case NT_SYS_ACCEPT:
	case NT_SYS_ACCEPT4:
		if (ret < 0)
			return;
		fd = ret; /* the accepted connection is the one counted */
		break;
	}
	/*
	 * A close's socket was read at entry, its fd is gone now: a socket
	 * whose close is its first call (a socketpair only polled) is a row too.
	 */
	key = in->sys == NT_SYS_CLOSE ? in->sk : (__u64)sock_of_fd(fd);
	c = in->sys == NT_SYS_CLOSE ? conn_row(key, -1, &in->sock) : conn_row(key, fd, NULL);
	if (c)
		conn_add(key, c, bpf_get_current_pid_tgid() >> 32, bytes, receives(in->sys) || src,
			 in->sys == NT_SYS_CLOSE && ret == 0);
}

/* The ring behind fd (the call succeeded on it, so it is one): what is left in it. */
__noinline __u32 cap_uring_enter(struct call_buf *b, int fd)
{
	struct file *f = fd_file(fd);
	struct io_ring_ctx *ctx = f ? BPF_CORE_READ(f, private_data) : NULL;
	struct io_rings *r = ctx ? BPF_CORE_READ(ctx, rings) : NULL;
	struct nt_aux_uring_enter *e;

	if (!b || !r)
		return 0;
	e = (void *)b->aux;
	e->cq_ready = BPF_CORE_READ(r, cq.tail) - BPF_CORE_READ(r, cq.head);
	e->sq_pending = BPF_CORE_READ(r, sq.tail) - BPF_CORE_READ(r, sq.head);
	return sizeof(*e);
}

__noinline __u32 cap_fdsets(struct call_buf *b, struct inflight *in)
{
	struct nt_aux_fdsets *s;

	if (!b || !in)
		return 0;
	s = (void *)b->aux;
	__builtin_memcpy(s, &in->sets, sizeof(*s));
	if (b->ev.ret > 0)
		copy_fdsets(s->out, &in->args[1]);
	return sizeof(*s);
}

/* -s N reads a message's first iovecs, this many: N bytes rarely span more */
#define NT_PAYLOAD_IOVS 8

/*
 * -s N: the first bytes the call moved (ret of them, across the iovecs of a
 * vector call, in order), appended to aux with their count.  Returns the new
 * aux length.  Global, like aux_copy: the verifier walks its loop once.
 */
__noinline __u32 cap_payload(struct call_buf *b, __u32 off, struct inflight *in, __s64 ret)
{
	struct user_msghdr h;
	struct iovec iov = {};
	__u64 iovp = 0, niov = 1, want, got = 0;
	__u32 mlen, i;
	__u16 n16;

	/* the call's own aux first: what room it leaves, up to N, is the payload's */
	if (!b || !in || ret <= 0 || off > NT_AUX_MAX - 3)
		return off;
	switch (in->sys) {
	case NT_SYS_SENDTO:
	case NT_SYS_RECVFROM:
	case NT_SYS_READ:
	case NT_SYS_WRITE:
		/* a datagram's recvfrom under MSG_TRUNC returns its whole length:
		 * only the buffer's length of it was ever in the buffer */
		iov.iov_base = (void *)in->args[1];
		iov.iov_len = in->args[2];
		break;
	case NT_SYS_SENDMSG:
	case NT_SYS_RECVMSG:
		if (bpf_probe_read_user(&h, sizeof(h), (const void *)in->args[1]))
			return off;
		iovp = (__u64)h.msg_iov;
		niov = h.msg_iovlen;
		break;
	case NT_SYS_READV:
	case NT_SYS_WRITEV:
		iovp = in->args[1];
		niov = in->args[2];
		break;
	case NT_SYS_SENDMMSG:
	case NT_SYS_RECVMMSG:
		/* the first message's bytes (ret counts messages): its msg_len follows
		 * its header in struct mmsghdr */
		if (bpf_probe_read_user(&h, sizeof(h), (const void *)in->args[1]) ||
		    bpf_probe_read_user(&mlen, sizeof(mlen), (const void *)in->args[1] + sizeof(h)))
			return off;
		iovp = (__u64)h.msg_iov;
		niov = h.msg_iovlen;
		if (ret > 1)
			b->ev.flags |= NT_F_DATA_TRUNC;
		ret = mlen;
		if (!ret)
			return off;
		break;
	default:
		return off;
	}
	want = ret;
	if (want > targ_payload) {
		want = targ_payload;
		b->ev.flags |= NT_F_DATA_TRUNC;
	}
	if (want > NT_AUX_MAX - 2 - off) {
		want = NT_AUX_MAX - 2 - off;
		b->ev.flags |= NT_F_DATA_TRUNC;
	}
	for (i = 0; i < NT_PAYLOAD_IOVS && i < niov && got < want; i++) {
		__u64 o, n;

		if (iovp &&
		    bpf_probe_read_user(&iov, sizeof(iov), (void *)(iovp + i * sizeof(iov))))
			break;
		n = iov.iov_len < want - got ? iov.iov_len : want - got;
		/* the masks restate the bounds in a form the verifier keeps */
		o = (off + got) & (NT_AUX_MAX - 1);
		n &= 2 * NT_PAYLOAD_MAX - 1;
		if (n > NT_PAYLOAD_MAX || o + n > NT_AUX_MAX)
			break;
		if (n && bpf_probe_read_user(&b->aux[o], n, iov.iov_base)) {
			b->ev.flags |= NT_F_AUX_FAULT;
			break;
		}
		got += n;
	}
	/* more iovecs than were read held the rest (a fault, or the rest of a
	 * datagram the buffers had no room for, is not more to show) */
	if (got < want && i == NT_PAYLOAD_IOVS && i < niov)
		b->ev.flags |= NT_F_DATA_TRUNC;
	if (!got)
		return off;
	n16 = got;
	__builtin_memcpy(&b->aux[(off + got) & (2 * NT_AUX_MAX - 1)], &n16, sizeof(n16));
	b->ev.flags |= NT_F_DATA;
	return off + got + sizeof(n16);
}

SEC("tp_btf/sys_exit")
int BPF_PROG(tp_btf_sys_exit, struct pt_regs *regs, long ret)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)pid_tgid, aux_len = 0;
	struct inflight *in;
	struct call_buf *b;
	int sock_fd = -1, src, shown;
	__u64 *a, bytes;

	/* an active entry exists only for a traced thread: no tgid lookup needed */
	if (regs->orig_ax >= NT_NR_MAX || !targ_sys_id[regs->orig_ax & (NT_NR_MAX - 1)])
		return 0;
	in = active_call(pid_tgid >> 32, tid);
	if (!in)
		return 0;
	/* an enter whose exit was never seen (exec, a lost record) is not this call */
	if (in->nr != (__u32)regs->orig_ax || in->deferred)
		goto cleanup;
	shown = result_shown(ret, path_start(&in->p), 0);
	/*
	 * --by conn: the next socket at a closed one's address is another
	 * connection, so a close ends its row even where it is not counted.
	 */
	if (targ_conns && in->sys == NT_SYS_CLOSE && (targ_close_uncounted || !shown)) {
		if (ret == 0)
			conn_close_uncounted(in->sk, pid_tgid >> 32);
		if (targ_close_uncounted)
			goto cleanup;
	}
	if (!shown) {
		/* a read or write not on a socket was never a traced call */
		if (!nt_sys_is_rw(in->sys) || rw_sock_fd(in, &src) >= 0)
			stat_inc(NT_STAT_NOT_SHOWN);
		goto cleanup;
	}
	if (targ_count) {
		if (nt_sys_is_rw(in->sys) && rw_sock_fd(in, &src) < 0) {
			if (targ_count >= 2)
				count_add(0, 0, 0, 0); /* another syscall, all the same */
			goto cleanup;
		}
		bytes = bytes_moved(in, ret); /* an mmsg's read from user memory: once */
		count_add(in->sys, ret, bpf_ktime_get_ns() - path_start(&in->p), bytes);
		if (targ_conns)
			count_conn(in, ret, bytes);
		goto cleanup;
	}
	/*
	 * A socket's release runs after close returns (fput is deferred to task
	 * work), so its kernel path is not in yet: hold the record until the
	 * release ends (sock_close's exit) or the thread's next syscall.
	 */
	if (in->sys == NT_SYS_CLOSE && ret == 0) {
		/* its socket was read at entry; a failed close meets the test below */
		if (!port_shown(&in->sock)) {
			stat_inc(NT_STAT_NOT_SHOWN);
			goto cleanup;
		}
		in->ret = ret;
		/*
		 * Its time is settled here; the stacks its release walks come after
		 * it returned, and flush_deferred gives their time back.
		 */
		in->end_ts = bpf_ktime_get_ns() - in->p.walk_ns;
		in->p.walk_ns = 0;
		in->deferred = 1;
		__sync_fetch_and_add(&nt_deferred_pending, 1);
		return 0;
	}
	b = call_buf_get();
	if (!b)
		goto cleanup;

	a = in->args;
	call_fill(b, in, ret);

	switch (in->sys) {
	case NT_SYS_SOCKET:
	case NT_SYS_ACCEPT:
	case NT_SYS_ACCEPT4:
		sock_fd = (int)ret;
		if (in->sys != NT_SYS_SOCKET && ret >= 0) {
			aux_len = cap_sockaddr_out(b, (void *)a[1], (void *)a[2], in->enter_val);
			note_queue(b, sock_of_fd((int)a[0]));
		}
		break;
	case NT_SYS_SOCKETPAIR:
		if (ret == 0)
			aux_len = aux_copy(b, 0, a[3], 2 * sizeof(int));
		break;
	case NT_SYS_CLOSE:
		__builtin_memcpy(&b->ev.sock, &in->sock, sizeof(in->sock));
		break;
	case NT_SYS_BIND:
	case NT_SYS_CONNECT:
		sock_fd = (int)a[0];
		aux_len = cap_sockaddr(b, (void *)a[1], (__s32)a[2]);
		break;
	case NT_SYS_GETSOCKNAME:
	case NT_SYS_GETPEERNAME:
		sock_fd = (int)a[0];
		if (ret == 0)
			aux_len = cap_sockaddr_out(b, (void *)a[1], (void *)a[2], in->enter_val);
		break;
	case NT_SYS_SENDTO:
		sock_fd = (int)a[0];
		if (a[4])
			aux_len = cap_sockaddr(b, (void *)a[4], (__s32)a[5]);
		break;
	case NT_SYS_RECVFROM:
		sock_fd = (int)a[0];
		if (a[4] && a[5] && ret >= 0)
			aux_len = cap_sockaddr_out(b, (void *)a[4], (void *)a[5], in->enter_val);
		break;
	case NT_SYS_SENDMSG:
	case NT_SYS_RECVMSG:
		sock_fd = (int)a[0];
		aux_len = cap_msghdr(b, a[1], in->sys == NT_SYS_RECVMSG ? in->enter_val : ~0U);
		break;
	case NT_SYS_SENDMMSG:
	case NT_SYS_RECVMMSG:
		sock_fd = (int)a[0];
		if (ret > 0) {
			aux_len = cap_mmsg(b, in, ret);
			b->ev.enter_val = mmsg_bytes(a[1], ret);
		}
		break;
	case NT_SYS_SETSOCKOPT:
		sock_fd = (int)a[0];
		aux_len = cap_sockopt(b, a[3], (__s32)a[4]);
		break;
	case NT_SYS_GETSOCKOPT:
		sock_fd = (int)a[0];
		if (ret == 0)
			aux_len = cap_sockopt(b, a[3], read_u32((void *)a[4]));
		break;
	case NT_SYS_LISTEN:
	case NT_SYS_SHUTDOWN:
	case NT_SYS_READ:
	case NT_SYS_WRITE:
	case NT_SYS_READV:
	case NT_SYS_WRITEV:
		sock_fd = (int)a[0];
		break;
	case NT_SYS_SENDFILE:
	case NT_SYS_SPLICE:
		sock_fd = rw_sock_fd(in, &src);
		if (src)
			b->ev.flags |= NT_F_SOCK_SRC;
		if (in->sys == NT_SYS_SENDFILE && a[2]) /* the offset, as the call left it */
			aux_len = aux_copy(b, 0, a[2], sizeof(__s64));
		break;
	case NT_SYS_SELECT:
	case NT_SYS_PSELECT6:
		aux_len = cap_fdsets(b, in);
		break;
	case NT_SYS_POLL:
	case NT_SYS_PPOLL:
		aux_len = cap_vec(b, (void *)a[0], a[1], 8);
		break;
	case NT_SYS_EPOLL_CTL:
		sock_fd = (int)a[2];
		if (a[3])
			aux_len = aux_copy(b, 0, a[3], 12);
		break;
	case NT_SYS_EPOLL_WAIT:
	case NT_SYS_EPOLL_PWAIT:
	case NT_SYS_EPOLL_PWAIT2:
		aux_len = cap_vec(b, (void *)a[1], ret, 12);
		break;
	case NT_SYS_IO_URING_ENTER:
		if (ret >= 0 && !(a[3] & (1U << 4))) /* not IORING_ENTER_REGISTERED_RING */
			aux_len = cap_uring_enter(b, (int)a[0]);
		break;
	case NT_SYS_IO_URING_SETUP:
		if (ret >= 0)
			aux_len = aux_copy(b, 0, a[1], sizeof(struct nt_aux_uring_params));
		break;
	}
	/*
	 * One call site: the verifier walks read_sock's loads once, not once per
	 * case.  A send's or receive's socket came with its sock_*_length hit.
	 */
	if (sock_fd >= 0) {
		__u64 sk = nt_read_sock(sock_fd, moves_bytes(in->sys) ? in->sk : 0, &b->ev.sock,
					in->p.ts);

		if (in->sys == NT_SYS_LISTEN && ret == 0)
			note_queue(b, sk);
	}
	if (nt_sys_is_rw(in->sys) && !b->ev.sock.valid)
		goto cleanup; /* not a socket: not traced */
	if (!port_shown(&b->ev.sock)) {
		stat_inc(NT_STAT_NOT_SHOWN);
		goto cleanup;
	}
	/* a short write shows only against what was asked: after the socket test, as
	 * readv and writev on files are not traced */
	if (in->sys == NT_SYS_READV || in->sys == NT_SYS_WRITEV)
		aux_len = cap_iov_lens(b, a[1], a[2]);
	if (targ_payload && b->ev.sock.valid)
		aux_len = cap_payload(b, aux_len, in, ret);

	call_send(b, in, aux_len, pid_tgid, bpf_ktime_get_ns());
cleanup:
	in->active = 0;
	return 0;
}
