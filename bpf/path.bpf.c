// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The kernel path of a call: each hooked kernel function (or in-kernel
 * tracepoint) that runs inside a traced call appends a hit to that call's
 * in-flight entry, found by tid, so hits arrive attached to their call in its
 * one record.  Every function has a fentry/fexit pair and a kprobe/kretprobe
 * pair; user space loads the pair of the mechanism it chose for the hook and
 * leaves the rest unloaded.  On kernels with neither, the tracepoint
 * programs take a kernel stack where they fire, which shows the path that led
 * there, and the cgroup socket hooks name the function they run in.
 * inet_sock_set_state runs under every mechanism: TCP state changes.
 */
#include "common.bpf.h"
#include "sock.bpf.h"

#define IPPROTO_TCP 6
#define IPPROTO_UDP 17
#define SOCK_DGRAM  2

static __always_inline struct inflight *current_call(void)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();

	return active_call(pid_tgid >> 32, (__u32)pid_tgid);
}

/* The path call in records, NULL for none or a call with no kernel path to show. */
static __always_inline struct nt_path *path_of(struct inflight *in)
{
	return in && has_path(in) ? &in->p : NULL;
}

/* Where this thread's hits go: the io_uring request it is issuing, else its call. */
static __always_inline struct nt_path *current_path(__u64 pid_tgid, struct inflight **call)
{
	__u32 tid = (__u32)pid_tgid;
	struct inflight *in;

	*call = NULL;
	if (nt_uring_issuing) {
		__u64 *req = bpf_map_lookup_elem(&uring_issue, &tid);
		struct ureq *u = req ? bpf_map_lookup_elem(&ureqs, req) : NULL;

		if (u)
			return &u->p;
	}
	in = active_call(pid_tgid >> 32, tid);
	*call = in;
	return path_of(in);
}

static __always_inline int fn_enter(void *ctx, __u16 fn)
{
	struct inflight *in;
	struct nt_path *p = current_path(bpf_get_current_pid_tgid(), &in);
	__u32 d, i;

	if (!p)
		return 0;
	i = p->nhits;
	d = p->depth;
	if (d < NT_OPEN_MAX) {
		barrier_var(d);
		p->open[d & (NT_OPEN_MAX - 1)] = i < NT_HITS_MAX ? i : 0xff;
	}
	hit_add(ctx, p, fn, 0, 0);
	p->depth = d + 1;
	return 0;
}

static __always_inline int fn_exit(__u16 fn, long ret)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)pid_tgid, d, i;
	struct inflight *in;
	struct nt_path *p = current_path(pid_tgid, &in);
	struct nt_hit *h;

	if (!p || !p->depth)
		return 0;
	d = p->depth - 1;
	p->depth = d;
	if (d < NT_OPEN_MAX) {
		barrier_var(d);
		i = p->open[d & (NT_OPEN_MAX - 1)];
		if (i < NT_HITS_MAX) {
			barrier_var(i);
			h = &p->hits[i & (NT_HITS_MAX - 1)];
			if (h->fn == fn) {
				h->dur_ns = path_offset(p) - h->start_off;
				h->val = ret;
				h->flags |= NT_HIT_EXITED;
			}
		}
	}
	/* the socket's release is over: the held-back close can go */
	if (fn == NT_FN_SOCK_CLOSE && in && in->deferred)
		flush_deferred(in, tid, pid_tgid);
	return 0;
}

#define HOOK(name, id)                                                                             \
	SEC("fentry/" #name)                                                                       \
	int BPF_PROG(fentry_##name)                                                                \
	{                                                                                          \
		return fn_enter(ctx, id);                                                          \
	}                                                                                          \
	SEC("fexit/" #name)                                                                        \
	int BPF_PROG(fexit_##name)                                                                 \
	{                                                                                          \
		__u64 ret = 0;                                                                     \
		bpf_get_func_ret(ctx, &ret);                                                       \
		return fn_exit(id, (long)ret);                                                     \
	}                                                                                          \
	SEC("kprobe/" #name)                                                                       \
	int BPF_KPROBE(kprobe_##name)                                                              \
	{                                                                                          \
		return fn_enter(ctx, id);                                                          \
	}                                                                                          \
	SEC("kretprobe/" #name)                                                                    \
	int BPF_KRETPROBE(kretprobe_##name, long ret)                                              \
	{                                                                                          \
		return fn_exit(id, ret);                                                           \
	}

HOOK(__sock_create, NT_FN___SOCK_CREATE)
HOOK(inet_create, NT_FN_INET_CREATE)
HOOK(inet6_create, NT_FN_INET6_CREATE)
HOOK(unix_create, NT_FN_UNIX_CREATE)
HOOK(__sys_bind, NT_FN___SYS_BIND)
HOOK(inet_bind, NT_FN_INET_BIND)
HOOK(inet6_bind, NT_FN_INET6_BIND)
HOOK(unix_bind, NT_FN_UNIX_BIND)
HOOK(__sys_listen, NT_FN___SYS_LISTEN)
HOOK(inet_listen, NT_FN_INET_LISTEN)
HOOK(do_accept, NT_FN_DO_ACCEPT)
HOOK(inet_accept, NT_FN_INET_ACCEPT)
HOOK(__sys_connect, NT_FN___SYS_CONNECT)
HOOK(inet_stream_connect, NT_FN_INET_STREAM_CONNECT)
HOOK(tcp_v4_connect, NT_FN_TCP_V4_CONNECT)
HOOK(tcp_v6_connect, NT_FN_TCP_V6_CONNECT)
HOOK(sock_sendmsg, NT_FN_SOCK_SENDMSG)
HOOK(__sock_sendmsg, NT_FN___SOCK_SENDMSG)
HOOK(tcp_sendmsg, NT_FN_TCP_SENDMSG)
HOOK(udp_sendmsg, NT_FN_UDP_SENDMSG)
HOOK(unix_stream_sendmsg, NT_FN_UNIX_STREAM_SENDMSG)
HOOK(unix_dgram_sendmsg, NT_FN_UNIX_DGRAM_SENDMSG)
HOOK(sock_recvmsg, NT_FN_SOCK_RECVMSG)
HOOK(tcp_recvmsg, NT_FN_TCP_RECVMSG)
HOOK(udp_recvmsg, NT_FN_UDP_RECVMSG)
HOOK(unix_stream_recvmsg, NT_FN_UNIX_STREAM_RECVMSG)
HOOK(unix_dgram_recvmsg, NT_FN_UNIX_DGRAM_RECVMSG)
HOOK(tcp_sendpage, NT_FN_TCP_SENDPAGE)
HOOK(tcp_splice_read, NT_FN_TCP_SPLICE_READ)
HOOK(sock_close, NT_FN_SOCK_CLOSE)
HOOK(inet_release, NT_FN_INET_RELEASE)
HOOK(__sys_shutdown, NT_FN___SYS_SHUTDOWN)
HOOK(inet_shutdown, NT_FN_INET_SHUTDOWN)
HOOK(tcp_shutdown, NT_FN_TCP_SHUTDOWN)
HOOK(unix_shutdown, NT_FN_UNIX_SHUTDOWN)
HOOK(io_accept, NT_FN_IO_ACCEPT)
HOOK(io_connect, NT_FN_IO_CONNECT)
HOOK(io_send, NT_FN_IO_SEND)
HOOK(io_sendmsg, NT_FN_IO_SENDMSG)
HOOK(io_recv, NT_FN_IO_RECV)
HOOK(io_recvmsg, NT_FN_IO_RECVMSG)

/*
 * io_issue_sqe runs a request's op (inline in the submitting syscall, in
 * task work, or in an io-wq worker): between its entry and exit, the
 * thread's hits belong to that request.
 */
static __always_inline int issue_enter(void *ctx, __u64 req)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();

	if (!bpf_map_lookup_elem(&ureqs, &req))
		return 0;
	if (bpf_map_update_elem(&uring_issue, &tid, &req, BPF_NOEXIST))
		return 0;
	__sync_fetch_and_add(&nt_uring_issuing, 1);
	return fn_enter(ctx, NT_FN_IO_ISSUE_SQE);
}

static __always_inline int issue_exit(long ret)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();

	if (!bpf_map_lookup_elem(&uring_issue, &tid))
		return 0;
	fn_exit(NT_FN_IO_ISSUE_SQE, ret);
	bpf_map_delete_elem(&uring_issue, &tid);
	__sync_fetch_and_add(&nt_uring_issuing, -1);
	return 0;
}

SEC("fentry/io_issue_sqe")
int BPF_PROG(fentry_io_issue_sqe, struct io_kiocb *req)
{
	return issue_enter(ctx, (__u64)req);
}

SEC("fexit/io_issue_sqe")
int BPF_PROG(fexit_io_issue_sqe, struct io_kiocb *req, unsigned int issue_flags, int ret)
{
	return issue_exit(ret);
}

SEC("kprobe/io_issue_sqe")
int BPF_KPROBE(kprobe_io_issue_sqe, struct io_kiocb *req)
{
	return issue_enter(ctx, (__u64)req);
}

SEC("kretprobe/io_issue_sqe")
int BPF_KRETPROBE(kretprobe_io_issue_sqe, long ret)
{
	return issue_exit(ret);
}

/*
 * The tracepoints a send or receive passes in its own call chain (never from
 * softirq) are reached the same way by every call of one syscall: __sys_sendto
 * → sock_sendmsg → tcp_sendmsg → tcp_sendmsg_locked.  Their stack is walked
 * once per (syscall, tracepoint) and its id reused, with a fresh walk every
 * STACK_MEMO_REFRESH uses; the walk cost more than the rest of the call's
 * tracing (a busy server spent a fifth of its time unwinding).  Per CPU: no
 * locking.
 */
#define STACK_MEMO_FNS	   4
#define STACK_MEMO_REFRESH 1024

struct stack_memo {
	__s32 id;
	__u32 uses; /* 0: no stack yet */
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, NT_SYS_MAX *STACK_MEMO_FNS);
	__type(key, __u32);
	__type(value, struct stack_memo);
} stack_memo SEC(".maps");

static __always_inline struct stack_memo *memo_of(const struct inflight *in, __u16 fn)
{
	__u32 slot = fn - NT_TP_SOCK_SEND_LENGTH, key;

	/* sock_send_length, sock_recv_length, tcp_sendmsg_locked, tcp_rcv_space_adjust */
	if (!in || targ_kstack || slot >= STACK_MEMO_FNS)
		return NULL;
	key = in->sys * STACK_MEMO_FNS + slot;
	return bpf_map_lookup_elem(&stack_memo, &key);
}

/* A tracepoint hit on p, the path of call in (or of a request, in NULL). */
static __always_inline int point_at(void *ctx, __u16 fn, __s32 val, struct nt_path *p,
				    struct inflight *in)
{
	struct stack_memo *m;
	struct nt_hit *h;

	if (!p)
		return 0;
	/*
	 * The path from the syscall down to the first tracepoint is the call's
	 * path (kpath.c reads no more); a later one (sock_send_length after
	 * tcp_sendmsg_locked) would cost another stack walk for nothing, unless
	 * -k asks for every hit's stack.
	 */
	m = p->stacked ? NULL : memo_of(in, fn);
	if (m && m->uses && m->uses++ % STACK_MEMO_REFRESH) {
		h = hit_add(ctx, p, fn, NT_HIT_POINT, 0);
		if (h)
			h->stackid = m->id;
	} else {
		h = hit_add(ctx, p, fn, NT_HIT_POINT, !p->stacked);
		if (m && h && h->stackid >= 0) {
			m->id = h->stackid;
			m->uses = 1;
		}
	}
	if (h && h->stackid >= 0)
		p->stacked = 1;
	if (h)
		h->val = val;
	return 0;
}

static __always_inline int point(void *ctx, __u16 fn, __s32 val)
{
	struct inflight *in;
	struct nt_path *p = current_path(bpf_get_current_pid_tgid(), &in);

	return point_at(ctx, fn, val, p, in);
}

/*
 * sock_send_length and sock_recv_length fire where sock_sendmsg and
 * sock_recvmsg get back from the socket's sendmsg or recvmsg, whose frame
 * is gone from the stack taken there: read which function that was (for
 * inet sockets, the protocol's, which inet_sendmsg and inet_recvmsg hand
 * over to) so that the path ends where the work was done.
 */
static __always_inline void callee_hit(struct nt_path *p, struct sock *sk, __u32 dir)
{
	struct proto *prot = NULL;
	__u32 i = p->nhits - 1;
	__u16 family = 0;
	struct nt_hit *h;
	__u64 fn;

	if (nt_read_pair(sk, __sk_common.skc_family, &family, __sk_common.skc_prot, &prot))
		return;
	if (family == AF_INET || family == AF_INET6)
		fn = dir == URING_DIR_SEND ? (__u64)BPF_CORE_READ(prot, sendmsg)
					   : (__u64)BPF_CORE_READ(prot, recvmsg);
	else
		fn = dir == URING_DIR_SEND ? (__u64)BPF_CORE_READ(sk, sk_socket, ops, sendmsg)
					   : (__u64)BPF_CORE_READ(sk, sk_socket, ops, recvmsg);
	/* at the instant of the tracepoint's hit, the one before: no clock read */
	if (!fn || i >= NT_HITS_MAX ||
	    !(h = hit_put_at(p, NT_FN_CALLEE, NT_HIT_POINT | NT_HIT_SITE | NT_HIT_CALLEE,
			     p->hits[i & (NT_HITS_MAX - 1)].start_off)))
		return;
	h->dur_ns = (__u32)fn;
	h->val = (__s32)(fn >> 32);
}

/*
 * Without function hooks, a socket's send/recv inside an io_uring request
 * (issued inline, from task work or by a worker) is matched to the request
 * by its socket and direction; a syscall on the socket keeps its own.
 */
static __always_inline int sock_length(void *ctx, __u16 fn, __u64 sk, __u32 dir, int ret)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	struct inflight *in = active_call(pid_tgid >> 32, (__u32)pid_tgid);
	struct uring_sk_key key = {.sk = sk, .dir = dir};
	struct nt_path *p;
	__u64 *req;
	struct ureq *u;
	struct nt_hit *h;
	int stacked;

	/* the stack costs more than the rest of a request's tracing: -k asks for it */
	if (nt_uring_sk_count && !nt_uring_issuing && (!in || in->sys == NT_SYS_IO_URING_ENTER) &&
	    (req = bpf_map_lookup_elem(&uring_sk, &key)) &&
	    (u = bpf_map_lookup_elem(&ureqs, req))) {
		h = hit_add(ctx, &u->p, fn, NT_HIT_POINT, 0);
		if (h)
			h->val = ret;
		return 0;
	}
	if (nt_uring_issuing)
		return point(ctx, fn, ret);
	/* the socket a send or receive works on: sys_exit reads it from here */
	if (in && !in->sk && in->sys != NT_SYS_CLOSE)
		in->sk = sk;
	/* the call looked up above: a second lookup was a tenth of this hook's cost */
	p = path_of(in);
	stacked = p && p->stacked;
	point_at(ctx, fn, ret, p, in);
	/* a stack taken earlier in the call (a TCP send's, a sleep's) shows more */
	if (p && !stacked)
		callee_hit(p, (struct sock *)sk, dir);
	return 0;
}

SEC("raw_tp/sock_send_length")
int BPF_PROG(tp_sock_send_length, struct sock *sk, int ret, int flags)
{
	return sock_length(ctx, NT_TP_SOCK_SEND_LENGTH, (__u64)sk, URING_DIR_SEND, ret);
}

SEC("raw_tp/sock_recv_length")
int BPF_PROG(tp_sock_recv_length, struct sock *sk, int ret, int flags)
{
	return sock_length(ctx, NT_TP_SOCK_RECV_LENGTH, (__u64)sk, URING_DIR_RECV, ret);
}

SEC("raw_tp/tcp_sendmsg_locked")
int BPF_PROG(tp_tcp_sendmsg_locked, struct sock *sk)
{
	return point(ctx, NT_TP_TCP_SENDMSG_LOCKED, 0);
}

SEC("raw_tp/tcp_rcv_space_adjust")
int BPF_PROG(tp_tcp_rcv_space_adjust, struct sock *sk)
{
	return point(ctx, NT_TP_TCP_RCV_SPACE_ADJUST, 0);
}

/* Is sk the socket this call works on?  Loopback peers change state in the
 * caller's softirq too; those changes belong to the peer's own calls. */
static __always_inline int call_owns(const struct inflight *in, const struct sock *sk)
{
	if (in->sys == NT_SYS_CLOSE)
		return in->sk == (__u64)sk;
	return sock_of_fd((int)in->args[0]) == (__u64)sk;
}

SEC("raw_tp/inet_sock_set_state")
int BPF_PROG(tp_inet_sock_set_state, struct sock *sk, int oldstate, int newstate)
{
	struct inflight *in;
	struct nt_hit *h;

	if (BPF_CORE_READ(sk, sk_protocol) != IPPROTO_TCP)
		return 0;
	in = current_call();
	if (!in || !call_owns(in, sk)) {
		/* an io_uring CONNECT's or SHUTDOWN's, matched by its socket as a
		 * request's sends are: the io_uring_enter that issued it owns none */
		struct uring_sk_key key = {.sk = (__u64)sk, .dir = URING_DIR_STATE};
		struct ureq *u;
		__u64 *req;

		if (!nt_uring_sk_count || (in && in->sys != NT_SYS_IO_URING_ENTER) ||
		    !(req = bpf_map_lookup_elem(&uring_sk, &key)) ||
		    !(u = bpf_map_lookup_elem(&ureqs, req)))
			return 0;
		h = hit_add(ctx, &u->p, NT_TP_INET_SOCK_SET_STATE, NT_HIT_POINT, 0);
		if (h)
			h->val = (oldstate & 0xff) << 8 | (newstate & 0xff);
		return 0;
	}
	h = hit_add(ctx, &in->p, NT_TP_INET_SOCK_SET_STATE, NT_HIT_POINT, targ_state_stack);
	if (h)
		h->val = (oldstate & 0xff) << 8 | (newstate & 0xff);
	return 0;
}

/*
 * A RST the call's socket sent in place of a FIN (a close with data left
 * unread, SO_LINGER 0, connect(AF_UNSPEC)): why the peer's next call fails
 * with ECONNRESET.  Only sk is read: the reason argument came in 6.10.
 */
SEC("raw_tp/tcp_send_reset")
int BPF_PROG(tp_tcp_send_reset, struct sock *sk)
{
	struct inflight *in = current_call();

	if (sk && in && call_owns(in, sk))
		hit_add(ctx, &in->p, NT_TP_TCP_SEND_RESET, NT_HIT_POINT, 0);
	return 0;
}

/*
 * Where a traced call sleeps is a kernel path no tracepoint on the call's
 * own way shows (accept waiting for a connection, recv for data): the stack
 * at the switch away shows it, and the switch back gives how long it slept.
 */
SEC("tp_btf/sched_switch")
int BPF_PROG(tp_sched_switch, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	__u32 i;
	struct inflight *in;
	struct nt_hit *h;

	in = current_call();
	/* only a sleep in the call itself, not a preemption, and once per call */
	if (in && has_path(in) && !preempt && prev->__state && !in->p.slept) {
		in->p.slept = 1;
		hit_add(ctx, &in->p, NT_TP_SCHED_SWITCH, NT_HIT_POINT, 1);
	}
	in = active_call(next->tgid, next->pid);
	if (!in || !in->p.nhits)
		return 0;
	i = (in->p.nhits - 1) & (NT_HITS_MAX - 1);
	h = &in->p.hits[i];
	if (h->fn == NT_TP_SCHED_SWITCH && !(h->flags & NT_HIT_EXITED)) {
		h->dur_ns = path_offset(&in->p) - h->start_off;
		h->flags |= NT_HIT_EXITED;
	}
	return 0;
}

/*
 * Where no tracepoint lies on a hook's way (socket, bind, a UDP socket's
 * connect, send, receive and release, a unix connect), a cgroup socket hook
 * may: the kernel runs it inside a known function, for every socket on the
 * machine.  A hit there names that function.  It always allows (1), so the
 * call goes on as if nothing were attached, and takes no stack: cgroup
 * programs may not.
 */
static __always_inline int site(__u16 fn)
{
	struct inflight *in;
	struct nt_path *p = current_path(bpf_get_current_pid_tgid(), &in);

	if (p && fn)
		hit_put(p, fn, NT_HIT_POINT | NT_HIT_SITE);
	return 1;
}

SEC("cgroup/sock_create")
int cg_sock_create(struct bpf_sock *sk)
{
	return site(sk->family == AF_INET6 ? NT_FN_INET6_CREATE : NT_FN_INET_CREATE);
}

/* The hooks that run in one function whatever the socket */
#define CG_SITE(sec, ctx_type, fn)                                                                 \
	SEC("cgroup/" #sec)                                                                        \
	int cg_##sec(struct ctx_type *ctx)                                                         \
	{                                                                                          \
		return site(fn);                                                                   \
	}

CG_SITE(sock_release, bpf_sock, NT_FN_INET_RELEASE)
CG_SITE(bind4, bpf_sock_addr, NT_FN_INET_BIND)
CG_SITE(bind6, bpf_sock_addr, NT_FN_INET6_BIND)
/* a send or receive on an unconnected UDP socket, with the peer's address */
CG_SITE(sendmsg4, bpf_sock_addr, NT_FN_UDP_SENDMSG)
CG_SITE(sendmsg6, bpf_sock_addr, NT_FN_UDPV6_SENDMSG)
CG_SITE(recvmsg4, bpf_sock_addr, NT_FN_UDP_RECVMSG)
CG_SITE(recvmsg6, bpf_sock_addr, NT_FN_UDPV6_RECVMSG)

/* the protocol's pre_connect runs it (a mapped IPv4 address on an IPv6 UDP socket: connect4) */
SEC("cgroup/connect4")
int cg_connect4(struct bpf_sock_addr *sa)
{
	return site(sa->protocol == IPPROTO_TCP	  ? NT_FN_TCP_V4_PRE_CONNECT
		    : sa->protocol == IPPROTO_UDP ? NT_FN_UDP_PRE_CONNECT
						  : NT_FN_NONE);
}

SEC("cgroup/connect6")
int cg_connect6(struct bpf_sock_addr *sa)
{
	return site(sa->protocol == IPPROTO_TCP	  ? NT_FN_TCP_V6_PRE_CONNECT
		    : sa->protocol == IPPROTO_UDP ? NT_FN_UDPV6_PRE_CONNECT
						  : NT_FN_NONE);
}

/* BPF_CGROUP_UNIX_CONNECT (Linux 6.7), which libbpf 1.1 has no section name
 * for: user space sets the attach type from the kernel's BTF before loading */
SEC("cgroup/connect4")
int cg_unix_connect(struct bpf_sock_addr *sa)
{
	return site(sa->type == SOCK_DGRAM ? NT_FN_UNIX_DGRAM_CONNECT : NT_FN_UNIX_STREAM_CONNECT);
}

/*
 * kprobe.multi (fprobe): every hooked function in one link per direction,
 * which attaches far faster than one kprobe each.  The function is known by
 * its address; user space fills fn_ips from kallsyms before attaching.
 */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, NT_FN_MAX);
	__type(key, __u64);
	__type(value, __u16);
} fn_ips SEC(".maps");

static __always_inline __u16 fn_of_ip(void *ctx)
{
	__u64 ip = bpf_get_func_ip(ctx);
	__u16 *fn = bpf_map_lookup_elem(&fn_ips, &ip);

	return fn ? *fn : NT_FN_NONE;
}

SEC("kprobe.multi")
int kprobe_multi_enter(struct pt_regs *ctx)
{
	__u16 fn = fn_of_ip(ctx);

	return fn ? fn_enter(ctx, fn) : 0;
}

SEC("kretprobe.multi")
int kprobe_multi_exit(struct pt_regs *ctx)
{
	__u16 fn = fn_of_ip(ctx);

	return fn ? fn_exit(fn, PT_REGS_RC(ctx)) : 0;
}
