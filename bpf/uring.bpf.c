// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * io_uring requests, from their submission to each of their completions, on
 * the io_uring:* tracepoints: work strace cannot see, since a request needs
 * no syscall of its own (SQPOLL needs none at all).  A traced process's
 * request gets an entry at submission (keyed by its struct io_kiocb); the
 * tracepoints on its way (poll arm, task work, io-wq punt, link, failure)
 * mark how it ran and add hits to its kernel path; each CQE sends one record
 * and the last one drops the entry.  Nothing here changes how a ring
 * behaves: tracepoints only, no uprobes in the program's liburing.
 */
#include "common.bpf.h"
#include "sock.bpf.h"
#include "conns.bpf.h"

#define PF_IO_WORKER		     0x10
#define IORING_SETUP_SQPOLL	     (1U << 1)
#define IORING_CQE_F_MORE	     (1U << 1)
#define IORING_CQE_F_NOTIF	     (1U << 3)
#define IORING_ENTER_REGISTERED_RING (1U << 4)
#define REQ_F_FIXED_FILE	     (1U << 0) /* the first REQ_F_* bits are the IOSQE_* bits */
#define REQ_F_BUFFER_SELECT	     (1U << 5)

/* A ring's fd, by its struct io_ring_ctx, learnt at setup or from io_uring_enter. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u64);
	__type(value, __s32);
} uring_fds SEC(".maps");

/*
 * A multishot request's CQEs before its last are posted without the request
 * (io_req_post_cqe: the tracepoint's req is NULL): they are matched by ring
 * and user_data instead.
 */
struct ud_key {
	__u64 ring;
	__u64 user_data;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, NT_MAX_UREQS);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct ud_key);
	__type(value, __u64);
} ureq_by_ud SEC(".maps");

/*
 * Opcodes that may post more than one CQE.  A zero-copy send's second, its
 * notification, is posted by another request (the notif) with the same
 * user_data: found by that too.
 */
static __always_inline int op_multishot(__u8 op)
{
	return op == IORING_OP_ACCEPT || op == IORING_OP_RECV || op == IORING_OP_RECVMSG ||
	       op == IORING_OP_READ_MULTISHOT || op == IORING_OP_POLL_ADD ||
	       op == IORING_OP_TIMEOUT || op == IORING_OP_SEND_ZC || op == IORING_OP_SENDMSG_ZC;
}

/* A request entry is put together here (too big for the BPF stack). */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct ureq);
} ureq_scratch SEC(".maps");

struct ureq_buf {
	struct ev_ureq ev;
	struct nt_hit hits[NT_HITS_MAX];
	/* from where the hits end; sized for the verifier's masks of the hits' count
	 * and the length */
	__u8 data[NT_HITS_MAX * sizeof(struct nt_hit) + 2 * NT_PAYLOAD_MAX];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct ureq_buf);
} ureq_out SEC(".maps");

__u64 nt_ureq_seq = 0;

/* Which side of a socket an opcode works, for matching send/recv tracepoints. */
static __always_inline __u8 op_dir(__u8 op)
{
	switch (op) {
	case IORING_OP_SEND:
	case IORING_OP_SENDMSG:
	case IORING_OP_SEND_ZC:
	case IORING_OP_SENDMSG_ZC:
	case IORING_OP_WRITE:
	case IORING_OP_WRITEV:
	case IORING_OP_WRITE_FIXED:
		return URING_DIR_SEND;
	case IORING_OP_RECV:
	case IORING_OP_RECVMSG:
	case IORING_OP_READ:
	case IORING_OP_READV:
	case IORING_OP_READ_FIXED:
	case IORING_OP_READ_MULTISHOT:
		return URING_DIR_RECV;
	}
	return 0;
}

/* Opcodes whose sqe->fd is the file they work on (the kernel's needs_file). */
static __always_inline int op_has_fd(__u8 op)
{
	switch (op) {
	case IORING_OP_NOP:
	case IORING_OP_TIMEOUT:
	case IORING_OP_TIMEOUT_REMOVE:
	case IORING_OP_ASYNC_CANCEL:
	case IORING_OP_LINK_TIMEOUT:
	case IORING_OP_OPENAT:
	case IORING_OP_OPENAT2:
	case IORING_OP_FILES_UPDATE:
	case IORING_OP_STATX:
	case IORING_OP_PROVIDE_BUFFERS:
	case IORING_OP_REMOVE_BUFFERS:
	case IORING_OP_RENAMEAT:
	case IORING_OP_UNLINKAT:
	case IORING_OP_MKDIRAT:
	case IORING_OP_SYMLINKAT:
	case IORING_OP_LINKAT:
	case IORING_OP_SETXATTR:
	case IORING_OP_GETXATTR:
	case IORING_OP_SOCKET:
	case IORING_OP_POLL_REMOVE:
	case IORING_OP_MADVISE:
		return 0;
	}
	return 1;
}

/* infer: the current task submitted it (not merely woke it), maybe from io_uring_enter */
static __always_inline __s32 ring_fd_of(__u64 ctx, int infer)
{
	__s32 *fd = bpf_map_lookup_elem(&uring_fds, &ctx);
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	struct inflight *in;

	if (fd)
		return *fd;
	if (!infer)
		return -1;
	/* submitted from io_uring_enter: its first argument names the ring */
	in = active_call(pid_tgid >> 32, (__u32)pid_tgid);
	if (in && in->sys == NT_SYS_IO_URING_ENTER &&
	    !(in->args[3] & IORING_ENTER_REGISTERED_RING)) {
		__s32 v = (__s32)in->args[0];

		bpf_map_update_elem(&uring_fds, &ctx, &v, BPF_ANY);
		return v;
	}
	return -1;
}

/*
 * -s: the user buffer a request moves its bytes through, as its prep left it
 * (a message's msghdr, for its first iovec); 0 for a vector, or a buffer the
 * kernel picks at completion.
 */
static __always_inline int op_msg(__u8 op)
{
	return op == IORING_OP_SENDMSG || op == IORING_OP_RECVMSG || op == IORING_OP_SENDMSG_ZC;
}

static __always_inline __u64 req_buf(struct io_kiocb *req, __u8 op, __u32 flags, __u32 *len)
{
	if (!targ_payload || (flags & REQ_F_BUFFER_SELECT))
		return 0;
	if (op == IORING_OP_SEND || op == IORING_OP_RECV || op == IORING_OP_SEND_ZC || op_msg(op)) {
		struct io_sr_msg *sr = (void *)req;

		*len = BPF_CORE_READ(sr, len);
		return (__u64)BPF_CORE_READ(sr, buf); /* the union's umsg, for a message */
	}
	if (op == IORING_OP_READ || op == IORING_OP_WRITE) {
		struct io_rw *rw = (void *)req;

		*len = BPF_CORE_READ(rw, len);
		return BPF_CORE_READ(rw, addr);
	}
	return 0;
}

/*
 * The struct sock of the file a request works on, 0 if not a socket.  Not
 * inline: its locals stay off the stack of track's deeper calls (6.1 allows
 * 512 bytes for a chain of calls).
 */
__noinline __u64 req_file_sk(__u64 req_addr)
{
	struct io_kiocb *req = (void *)req_addr;
	unsigned long ino;
	struct socket *so;

	if (!req)
		return 0;
	so = file_socket(BPF_CORE_READ(req, file), &ino);
	return so ? (__u64)BPF_CORE_READ(so, sk) : 0;
}

/* Before 6.13 or so a request named its task itself; since, its io_uring_task does. */
struct io_kiocb___task {
	struct task_struct *task;
} __attribute__((preserve_access_index));

static __always_inline struct task_struct *req_task(struct io_kiocb *req)
{
	struct io_kiocb___task *old = (void *)req;

	if (bpf_core_field_exists(old->task))
		return BPF_CORE_READ(old, task);
	return BPF_CORE_READ(req, tctx, task);
}

/*
 * A new entry for req, submitted by the current task; NULL if not traced.
 * since: 0 at its submission; else a request submitted before tracing
 * began, first seen on its way (in whatever task woke it), dated from
 * then: its own task and its file say whose it is.
 */
static struct ureq *track(void *ctx, struct io_kiocb *req, __u64 since)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid(), key = (__u64)req,
	      now = since ? since : bpf_ktime_get_ns();
	struct task_struct *task = bpf_get_current_task_btf(), *owner = NULL;
	struct io_ring_ctx *rctx;
	__u32 zero = 0, flags;
	struct ureq *u;
	__u8 op;

	if (since) {
		owner = req_task(req);
		if (!owner)
			return NULL;
		pid_tgid = (__u64)BPF_CORE_READ(owner, tgid) << 32 | BPF_CORE_READ(owner, pid);
	}
	if (!trace_allowed(pid_tgid >> 32))
		return NULL;
	u = bpf_map_lookup_elem(&ureq_scratch, &zero);
	if (!u)
		return NULL;
	__builtin_memset(u, 0, sizeof(*u));
	path_reset(&u->p, now);
	u->submit_ns = now;
	if (since)
		u->how |= NT_UR_BEFORE;
	u->id = __sync_fetch_and_add(&nt_ureq_seq, 1) + 1;
	u->tgid = pid_tgid >> 32;
	u->tid = (__u32)pid_tgid;
	if (owner)
		BPF_CORE_READ_STR_INTO(&u->comm, owner, comm);
	else
		bpf_get_current_comm(u->comm, sizeof(u->comm));
	op = BPF_CORE_READ(req, opcode);
	u->opcode = op;
	u->user_data = BPF_CORE_READ(req, cqe.user_data);
	flags = BPF_CORE_READ(req, flags);
	rctx = BPF_CORE_READ(req, ctx);
	u->ring = (__u64)rctx;
	u->ring_fd = ring_fd_of((__u64)rctx, !owner);
	if ((!owner && (task->flags & PF_IO_WORKER)) ||
	    (BPF_CORE_READ(rctx, flags) & IORING_SETUP_SQPOLL))
		u->how |= NT_UR_SQPOLL;
	if (op == IORING_OP_CLOSE) {
		/* close keeps its fd in its own command data (struct io_close) */
		struct io_close *c = (void *)req;

		u->fd = BPF_CORE_READ(c, fd);
	} else if (op_has_fd(op)) {
		/* the CQE's result shares the fd's place: by the time a request is
		 * taken up, past its first issue, it is not the fd any more */
		u->fd = owner ? NT_UR_FD_UNKNOWN : BPF_CORE_READ(req, cqe.fd);
	} else {
		u->fd = -1;
		u->how |= NT_UR_NO_FD;
	}
	if (flags & REQ_F_FIXED_FILE) {
		u->how |= NT_UR_FIXED;
	} else if (owner) { /* not the current task's fd table: the file it holds */
		__u64 sk = req_file_sk((__u64)req);

		u->sk = sk ? nt_read_sock(-1, sk, &u->sock, u->p.ts) : 0;
	} else if (u->fd >= 0) {
		u->sk = read_sock(u->fd, &u->sock, u->p.ts);
	}
	if (u->sk) {
		u->dir = op_dir(op)					       ? op_dir(op)
			 : op == IORING_OP_CONNECT || op == IORING_OP_SHUTDOWN ? URING_DIR_STATE
									       : 0;
		/* bytes on a socket, as for read(2): a file's are not a trace's to show */
		u->buf = req_buf(req, op, flags, &u->buf_len);
	}
	if (bpf_map_update_elem(&ureqs, &key, u, BPF_ANY)) {
		stat_inc(NT_STAT_LOST_UREQ);
		return NULL;
	}
	u = bpf_map_lookup_elem(&ureqs, &key);
	if (u && op_multishot(op)) {
		struct ud_key k = {.ring = u->ring, .user_data = u->user_data};

		u->by_ud = !bpf_map_update_elem(&ureq_by_ud, &k, &key, BPF_ANY);
	}
	if (u && u->dir) {
		struct uring_sk_key sk = {.sk = u->sk, .dir = u->dir};

		if (!bpf_map_update_elem(&uring_sk, &sk, &key, BPF_NOEXIST))
			__sync_fetch_and_add(&nt_uring_sk_count, 1);
		else
			bpf_map_update_elem(&uring_sk, &sk, &key, BPF_EXIST);
	}
	return u;
}

static __always_inline struct ureq *lookup(void *req)
{
	__u64 key = (__u64)req;

	return bpf_map_lookup_elem(&ureqs, &key);
}

static __always_inline void mark_ureq(void *ctx, struct ureq *u, __u16 how, __u16 fn, __s32 val)
{
	struct nt_hit *h;

	if (!u)
		return;
	u->how |= how;
	h = hit_add(ctx, &u->p, fn, NT_HIT_POINT, 0);
	if (h)
		h->val = val;
}

static __always_inline void mark(void *ctx, void *req, __u16 how, __u16 fn, __s32 val)
{
	mark_ureq(ctx, lookup(req), how, fn, val);
}

/* Attached by user space to io_uring_submit_sqe on kernels before 6.4 (by name). */
SEC("raw_tp/io_uring_submit_req")
int BPF_PROG(uring_submit, struct io_kiocb *req)
{
	struct ureq *u = track(ctx, req, 0);
	struct nt_hit *h;

	if (u && (h = hit_add(ctx, &u->p, NT_TP_URING_SUBMIT, NT_HIT_POINT, 0)))
		h->val = u->opcode;
	return 0;
}

SEC("raw_tp/io_uring_create")
int BPF_PROG(uring_create, int fd, void *rctx, __u32 sq_entries, __u32 cq_entries, __u32 flags)
{
	__u64 key = (__u64)rctx;

	if (trace_allowed(bpf_get_current_pid_tgid() >> 32))
		bpf_map_update_elem(&uring_fds, &key, &fd, BPF_ANY);
	return 0;
}

SEC("raw_tp/io_uring_poll_arm")
int BPF_PROG(uring_poll_arm, struct io_kiocb *req, int mask, int events)
{
	mark(ctx, req, NT_UR_POLL, NT_TP_URING_POLL_ARM, events);
	return 0;
}

SEC("raw_tp/io_uring_task_add")
int BPF_PROG(uring_task_add, struct io_kiocb *req, int mask)
{
	/*
	 * A request armed on a socket's poll before tracing began, woken now (a
	 * server's multishot ACCEPT by a connection, a RECV by bytes): taken up
	 * here, as a multishot's CQEs do not name it.  In whatever task woke it:
	 * its own task says whose it is.  A table counts only what began in it.
	 */
	struct ureq *u = lookup(req);

	if (!u && !targ_count)
		u = track(ctx, req, nt_start_ns ? nt_start_ns : bpf_ktime_get_ns());
	mark_ureq(ctx, u, NT_UR_TASKWORK, NT_TP_URING_TASK_ADD, mask);
	return 0;
}

SEC("raw_tp/io_uring_queue_async_work")
int BPF_PROG(uring_queue_async, struct io_kiocb *req, int rw)
{
	mark(ctx, req, NT_UR_IOWQ, NT_TP_URING_QUEUE_ASYNC, rw);
	return 0;
}

SEC("raw_tp/io_uring_link")
int BPF_PROG(uring_link, struct io_kiocb *req, struct io_kiocb *target)
{
	struct ureq *u = lookup(req), *t = lookup(target);

	if (u && t) {
		u->how |= NT_UR_LINKED;
		u->link_id = t->id;
	}
	return 0;
}

/* A request that failed before its submission tracepoint (a bad SQE) gets its entry here. */
SEC("raw_tp/io_uring_req_failed")
int BPF_PROG(uring_req_failed, const struct io_uring_sqe *sqe, struct io_kiocb *req, int error)
{
	struct ureq *u = lookup(req);
	struct nt_hit *h;

	if (!u && !(u = track(ctx, req, 0)))
		return 0;
	u->how |= NT_UR_FAILED;
	h = hit_add(ctx, &u->p, NT_TP_URING_FAILED, NT_HIT_POINT, 0);
	if (h)
		h->val = error;
	return 0;
}

static __always_inline void forget(struct ureq *u, __u64 key)
{
	if (u->dir) {
		struct uring_sk_key sk = {.sk = u->sk, .dir = u->dir};
		__u64 *owner = bpf_map_lookup_elem(&uring_sk, &sk);

		if (owner && *owner == key && !bpf_map_delete_elem(&uring_sk, &sk))
			__sync_fetch_and_add(&nt_uring_sk_count, -1);
	}
	if (u->by_ud) {
		struct ud_key k = {.ring = u->ring, .user_data = u->user_data};
		__u64 *owner = bpf_map_lookup_elem(&ureq_by_ud, &k);

		if (owner && *owner == key)
			bpf_map_delete_elem(&ureq_by_ud, &k);
	}
	bpf_map_delete_elem(&ureqs, &key);
}

/* --by conn: a completion's part in its connection's row (conns.bpf.h). */
static __always_inline void count_ureq_conn(const struct ureq *u, __s32 res, __u64 pid_tgid)
{
	__u8 dir = op_dir(u->opcode);
	struct nt_conn *c;
	__u64 sk;

	/* an accepted connection: its row is made from its new fd, in the process it is in */
	if (u->opcode == IORING_OP_ACCEPT) {
		if (res < 0 || (pid_tgid >> 32) != u->tgid || (u->how & NT_UR_FIXED))
			return;
		sk = sock_of_fd(res);
		c = conn_row(sk, res, NULL);
		if (c)
			conn_add(sk, c, u->tgid, 0, 0, 0);
		return;
	}
	/* the socket read when the request was submitted */
	c = conn_row(u->sk, -1, &u->sock);
	if (c)
		conn_add(u->sk, c, u->tgid, dir && res > 0 ? res : 0, dir == URING_DIR_RECV,
			 u->opcode == IORING_OP_CLOSE && res == 0);
}

/*
 * -s: up to targ_payload of the res bytes request u moved, from its buffer
 * (a message's first), after the n hits in b; the bytes added to the record.
 * Not inline: the message header read here stays off the stack of the
 * calls that take up a request (6.1 allows 512 bytes for a chain of calls).
 */
__noinline __u32 req_payload(struct ureq_buf *b, const struct ureq *u, __u32 n, __s32 res)
{
	__u32 want, len, msg;
	__u64 src;

	if (!b || !u || res <= 0)
		return 0;
	src = u->buf;
	len = u->buf_len;
	msg = op_msg(u->opcode);
	want = (__u32)res < targ_payload ? (__u32)res : targ_payload;
	if (msg) {
		struct user_msghdr h;
		struct iovec iov;

		if (bpf_probe_read_user(&h, sizeof(h), (void *)src) || !h.msg_iovlen ||
		    bpf_probe_read_user(&iov, sizeof(iov), h.msg_iov))
			return 0;
		src = (__u64)iov.iov_base;
		if (iov.iov_len < want)
			want = iov.iov_len;
	} else if (len < want) {
		/* a datagram's recv under MSG_TRUNC returns its whole length: the
		 * rest was never in the buffer, so there is nothing more to show */
		want = len;
	}
	if (want > NT_PAYLOAD_MAX)
		want = NT_PAYLOAD_MAX;
	if ((__u32)res > want && (msg || want < len))
		b->ev.how |= NT_UR_DATA_TRUNC;
	barrier_var(want);
	want &= 2 * NT_PAYLOAD_MAX - 1;
	if (bpf_probe_read_user((void *)b->hits +
					(n & (NT_HITS_MAX * 2 - 1)) * sizeof(struct nt_hit),
				want, (void *)src))
		return 0;
	b->ev.data_len = want;
	return want;
}

static __always_inline void completed(void *ctx, __u64 ring, void *req, __u64 user_data, __s32 res,
				      __u32 cflags)
{
	__u64 key = (__u64)req, now = bpf_ktime_get_ns(), pid_tgid = bpf_get_current_pid_tgid();
	struct ud_key k = {.ring = ring, .user_data = user_data};
	struct ureq_buf *b;
	struct ureq *u;
	struct nt_hit *h;
	__u32 zero = 0, n;
	__u64 size;

	u = key ? bpf_map_lookup_elem(&ureqs, &key) : NULL;
	if (!u && (!key || (cflags & IORING_CQE_F_NOTIF))) {
		__u64 *r = bpf_map_lookup_elem(&ureq_by_ud, &k);

		if (!r)
			return;
		key = *r;
		u = bpf_map_lookup_elem(&ureqs, &key);
	}
	if (!u)
		return;
	if (!result_shown(res, u->p.ts, now)) {
		/* --by conn: a CLOSE ends its row all the same (conns.bpf.h) */
		if (targ_conns && u->opcode == IORING_OP_CLOSE && res == 0)
			conn_close_uncounted(u->sk, u->tgid);
		stat_inc(NT_STAT_NOT_SHOWN);
		goto done;
	}
	/* a zero-copy send's notification is no second send: not counted */
	if (targ_count && (cflags & IORING_CQE_F_NOTIF))
		goto done;
	if (targ_count) {
		count_add(NT_SYS_MAX + (u->opcode & 63), res, now - u->p.ts,
			  op_dir(u->opcode) && res > 0 ? res : 0);
		if (targ_conns)
			count_ureq_conn(u, res, pid_tgid);
		goto done;
	}
	h = hit_add(ctx, &u->p, NT_TP_URING_COMPLETE, NT_HIT_POINT, 0);
	if (h)
		h->val = res;
	b = bpf_map_lookup_elem(&ureq_out, &zero);
	if (!b)
		goto done;
	__builtin_memset(&b->ev, 0, sizeof(b->ev));
	b->ev.submit_ns = u->submit_ns;
	b->ev.complete_ns = now;
	b->ev.user_data = u->user_data;
	b->ev.id = u->id;
	b->ev.link_id = u->link_id;
	__builtin_memcpy(&b->ev.sock, &u->sock, sizeof(u->sock));
	__builtin_memcpy(b->ev.comm, u->comm, sizeof(u->comm));
	/* an accepted connection: show its own endpoints, read where its fd lives;
	 * a connect: the ends it has now, not the unbound socket it was submitted on */
	if (((u->opcode == IORING_OP_ACCEPT && res >= 0) || u->opcode == IORING_OP_CONNECT) &&
	    (pid_tgid >> 32) == u->tgid && !(u->how & NT_UR_FIXED)) {
		__builtin_memset(&b->ev.sock, 0, sizeof(b->ev.sock));
		read_sock(u->opcode == IORING_OP_CONNECT ? u->fd : res, &b->ev.sock, u->p.ts);
	}
	/* the socket is final here: no hits copied for a completion not shown */
	if (!port_shown(&b->ev.sock)) {
		stat_inc(NT_STAT_NOT_SHOWN);
		goto done;
	}
	b->ev.res = res;
	b->ev.cflags = cflags;
	b->ev.fd = u->fd;
	b->ev.ring_fd = u->ring_fd;
	b->ev.complete_tid = (__u32)pid_tgid;
	b->ev.shot = ++u->shot;
	b->ev.how = u->how | (u->p.trunc ? NT_UR_HITS_TRUNC : 0);
	/* an accepted connection: its listener's queue after it, where link_id is free */
	if (u->opcode == IORING_OP_ACCEPT && res >= 0 && !(u->how & NT_UR_LINKED) &&
	    !listen_queue(u->sk, &b->ev.link_id))
		b->ev.how |= NT_UR_QUEUE;
	b->ev.opcode = u->opcode;
	n = u->p.nhits;
	if (n > NT_HITS_MAX)
		n = NT_HITS_MAX;
	barrier_var(n);
	if (n)
		bpf_probe_read_kernel(b->hits, (n & (NT_HITS_MAX * 2 - 1)) * sizeof(struct nt_hit),
				      u->p.hits);
	b->ev.nhits = n;
	size = sizeof(b->ev) + n * sizeof(struct nt_hit);
	b->ev.data_len = 0;
	/* the buffer is the submitter's: read only in its process */
	if (u->buf && res > 0 && (pid_tgid >> 32) == u->tgid)
		size += req_payload(b, u, n, res);
	fill_hdr(&b->ev.hdr, u->p.ts, EV_UREQ, size, (__u64)u->tgid << 32 | u->tid);
	barrier_var(size); /* the bound below on the register that is passed */
	if (size <= sizeof(*b))
		emit(b, size, NT_STAT_LOST_UREQ_RINGBUF);
done:
	if (cflags & IORING_CQE_F_MORE) {
		path_reset(&u->p, now); /* the next shot's path starts now, in the trace */
		u->how &= ~NT_UR_BEFORE;
	} else
		forget(u, key);
}

/* Since 6.4 (or so): the CQE as posted. */
SEC("raw_tp/io_uring_complete")
int BPF_PROG(uring_complete_cqe, struct io_ring_ctx *rctx, void *req, struct io_uring_cqe *cqe)
{
	/* the UAPI layout: one read, where a field at a time would be three */
	struct {
		__u64 user_data;
		__s32 res;
		__u32 flags;
	} c = {};

	bpf_probe_read_kernel(&c, sizeof(c), cqe);
	completed(ctx, (__u64)rctx, req, c.user_data, c.res, c.flags);
	return 0;
}

/* Before: (ctx, req, user_data, res, cflags, extra1, extra2).  User space loads one of the two. */
SEC("raw_tp/io_uring_complete")
int uring_complete_args(unsigned long long *ctx)
{
	completed(ctx, ctx[0], (void *)ctx[1], ctx[2], (__s32)ctx[3], (__u32)ctx[4]);
	return 0;
}
