/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The record layout shared by the BPF programs and user space: every record
 * in the ring buffer starts with struct ev_hdr, and hdr.type says which
 * struct follows.  No includes: the BPF side includes this after vmlinux.h,
 * user space after <linux/types.h>.  Fields go largest first with explicit
 * padding; tests/unit/test_abi.c pins every size and offset.
 */
#ifndef SOCKTRACE_H
#define SOCKTRACE_H

#define NT_COMM_LEN	16
#define NT_AUX_MAX	512  /* call-specific user memory copied at exit */
#define NT_SOCKADDR_MAX 128  /* sizeof(struct sockaddr_storage) */
#define NT_FDSET_BYTES	32   /* select: the first 256 fds of each set */
#define NT_VEC_MAX	32   /* pollfds / epoll events copied per call */
#define NT_MMSG_MAX	8    /* mmsghdr entries whose msg_len is copied */
#define NT_MMSG_SUM_MAX 1024 /* UIO_MAXIOV: the most messages one call moves */
#define NT_IOV_MAX	8    /* iovecs summed for sendmsg/recvmsg lengths */
#define NT_CMSG_MAX	64   /* sendmsg/recvmsg control bytes copied */
#define NT_SOCKOPT_MAX	16   /* option value bytes copied */
#define NT_PATH_MAX	64   /* exec filename bytes */
#define NT_HITS_MAX	16   /* kernel-path hits kept per call (a power of two) */
#define NT_STACK_DEPTH	32   /* kernel stack frames kept per stack */
#define NT_USER_SP	4  /* -u: the first words at the user stack pointer (call-site recovery) */
#define NT_USER_FRAMES	16 /* -u: user frames, by frame pointers, innermost first */

enum ev_type {
	EV_CALL = 1,  /* one completed system call (enter and exit paired in BPF) */
	EV_PROC = 2,  /* a traced process forked, exec'd or exited */
	EV_UREQ = 3,  /* an io_uring request completed (one record per CQE) */
	EV_UNAME = 4, /* a unix socket's bound name, by inode (struct ev_uname) */
	EV_LOST = 5,  /* made by user space: records lost since the drain before */
};

/* Our own call ids, stable across architectures and recordings. */
enum nt_sys {
	NT_SYS_NONE = 0,
	NT_SYS_SOCKET,
	NT_SYS_SOCKETPAIR,
	NT_SYS_BIND,
	NT_SYS_LISTEN,
	NT_SYS_ACCEPT,
	NT_SYS_ACCEPT4,
	NT_SYS_CONNECT,
	NT_SYS_GETSOCKNAME,
	NT_SYS_GETPEERNAME,
	NT_SYS_SETSOCKOPT,
	NT_SYS_GETSOCKOPT,
	NT_SYS_SHUTDOWN,
	NT_SYS_SENDTO,
	NT_SYS_SENDMSG,
	NT_SYS_SENDMMSG,
	NT_SYS_RECVFROM,
	NT_SYS_RECVMSG,
	NT_SYS_RECVMMSG,
	NT_SYS_READ,
	NT_SYS_WRITE,
	NT_SYS_READV,
	NT_SYS_WRITEV,
	NT_SYS_CLOSE,
	NT_SYS_SELECT,
	NT_SYS_PSELECT6,
	NT_SYS_POLL,
	NT_SYS_PPOLL,
	NT_SYS_EPOLL_CREATE,
	NT_SYS_EPOLL_CREATE1,
	NT_SYS_EPOLL_CTL,
	NT_SYS_EPOLL_WAIT,
	NT_SYS_EPOLL_PWAIT,
	NT_SYS_EPOLL_PWAIT2,
	NT_SYS_IO_URING_SETUP,
	NT_SYS_IO_URING_ENTER,
	NT_SYS_IO_URING_REGISTER,
	NT_SYS_SENDFILE,
	NT_SYS_SPLICE,
	NT_SYS_MAX,
};

/*
 * The kernel functions and tracepoints whose hits make up a call's kernel
 * path.  Functions are hooked by fentry/fexit or kprobe/kretprobe; the
 * NT_TP_* tracepoints serve the tracepoint mechanism (with a kernel stack)
 * and TCP state changes under every mechanism; with them, cgroup socket
 * hooks hit functions by name (NT_HIT_SITE).
 */
enum nt_fn {
	NT_FN_NONE = 0,
	NT_FN___SOCK_CREATE,
	NT_FN_INET_CREATE,
	NT_FN_INET6_CREATE,
	NT_FN_UNIX_CREATE,
	NT_FN___SYS_BIND,
	NT_FN_INET_BIND,
	NT_FN_INET6_BIND,
	NT_FN_UNIX_BIND,
	NT_FN___SYS_LISTEN,
	NT_FN_INET_LISTEN,
	NT_FN_DO_ACCEPT,
	NT_FN_INET_ACCEPT,
	NT_FN___SYS_CONNECT,
	NT_FN_INET_STREAM_CONNECT,
	NT_FN_TCP_V4_CONNECT,
	NT_FN_TCP_V6_CONNECT,
	NT_FN_SOCK_SENDMSG,
	NT_FN___SOCK_SENDMSG,
	NT_FN_TCP_SENDMSG,
	NT_FN_UDP_SENDMSG,
	NT_FN_UNIX_STREAM_SENDMSG,
	NT_FN_UNIX_DGRAM_SENDMSG,
	NT_FN_SOCK_RECVMSG,
	NT_FN_TCP_RECVMSG,
	NT_FN_UDP_RECVMSG,
	NT_FN_UNIX_STREAM_RECVMSG,
	NT_FN_UNIX_DGRAM_RECVMSG,
	NT_FN_SOCK_CLOSE,
	NT_FN_INET_RELEASE,
	NT_FN_IO_ISSUE_SQE, /* io_uring: the functions that issue a request */
	NT_FN_IO_ACCEPT,
	NT_FN_IO_CONNECT,
	NT_FN_IO_SEND,
	NT_FN_IO_SENDMSG,
	NT_FN_IO_RECV,
	NT_FN_IO_RECVMSG,
	NT_TP_SOCK_SEND_LENGTH,
	NT_TP_SOCK_RECV_LENGTH,
	NT_TP_TCP_SENDMSG_LOCKED,
	NT_TP_TCP_RCV_SPACE_ADJUST,
	NT_TP_INET_SOCK_SET_STATE,
	NT_TP_SCHED_SWITCH, /* a traced call blocked: where it slept */
	/* io_uring: where a request's path is shown (see uring.bpf.c) */
	NT_TP_URING_SUBMIT,
	NT_TP_URING_POLL_ARM,
	NT_TP_URING_TASK_ADD,
	NT_TP_URING_QUEUE_ASYNC,
	NT_TP_URING_FAILED,
	NT_TP_URING_COMPLETE,
	/* added later: recordings name hits by these ids, so new ones go last */
	NT_FN___SYS_SHUTDOWN,
	NT_FN_INET_SHUTDOWN,
	NT_FN_TCP_SHUTDOWN,
	NT_FN_UNIX_SHUTDOWN,
	/* functions a cgroup socket hook runs in (path.bpf.c), not hooked themselves */
	NT_FN_UDPV6_SENDMSG,
	NT_FN_UDPV6_RECVMSG,
	NT_FN_TCP_V4_PRE_CONNECT,
	NT_FN_TCP_V6_PRE_CONNECT,
	NT_FN_UDP_PRE_CONNECT,
	NT_FN_UDPV6_PRE_CONNECT,
	NT_FN_UNIX_STREAM_CONNECT,
	NT_FN_UNIX_DGRAM_CONNECT,
	/* the function a socket's send or receive ran, named by its address (NT_HIT_CALLEE) */
	NT_FN_CALLEE,
	/* sendfile and splice: to a socket before 6.5 (sendpage), and from one */
	NT_FN_TCP_SENDPAGE,
	NT_FN_TCP_SPLICE_READ,
	/* a RST the call's own TCP socket sent: under every mechanism, as its states are */
	NT_TP_TCP_SEND_RESET,
	NT_FN_MAX,
};

#define NT_HIT_EXITED 0x1 /* dur_ns and val (the return value) are known */
#define NT_HIT_POINT  0x2 /* a tracepoint: an instant, no duration */
#define NT_HIT_SITE   0x4 /* with POINT: a cgroup hook, inside function fn; no stack */
/*
 * With POINT and SITE: the function a send or receive called through the
 * socket's operations (its protocol's, for inet), read where it had just
 * returned (sock_send_length, sock_recv_length).  fn is NT_FN_CALLEE; the
 * function's address is val (high 32 bits) and dur_ns (low).
 */
#define NT_HIT_CALLEE 0x8

/* One hook hit inside a call, in the order they happened. */
struct nt_hit {
	__u32 start_off; /* ns after the call's enter */
	__u32 dur_ns;	 /* with NT_HIT_EXITED */
	__s32 stackid;	 /* in the stacks map, -1 if none was taken */
	__s32 val;	 /* return value; send/recv: bytes; set_state: old << 8 | new */
	__u16 fn;	 /* enum nt_fn */
	__u8 depth;	 /* nesting among function hits */
	__u8 flags;	 /* NT_HIT_* */
};

/*
 * Slots of nt_maybe_traced, by tgid modulo this: a set slot says the tgid
 * may be traced (the tgids map says for sure), a clear one that it is not.
 */
#define NT_TGID_SLOTS 65536

/* The tgids map's values: traced; traced, and -u's reader woken for its maps. */
enum nt_tgid_state {
	NT_TGID_TRACED = 1,
	NT_TGID_MAPS_WOKEN = 2,
};

/* Arch syscall numbers go up to ~460 on x86_64; the map is indexed by them. */
#define NT_NR_MAX 512

/* An endpoint: IPv4 in addr[0..3], IPv6 in addr[0..15]; port in host order. */
struct nt_addr {
	__u8 addr[16];
	__u16 port;
	__u16 family;
};

/* What the kernel knows of the socket behind a call's fd (like strace -yy). */
struct nt_sock {
	__u64 ino;	/* socket inode: the identity of unix sockets */
	__u64 peer_ino; /* unix: the peer's inode, 0 if none; or NT_PEER_NOINO */
	struct nt_addr local;
	struct nt_addr peer;
	__u16 family;
	__u16 type;
	__u16 protocol;
	__u8 state; /* TCP state (TCP_ESTABLISHED = 1, ...) */
	__u8 valid; /* 1 when the fd was a socket and was read */
};

/*
 * A unix peer that has no inode: the socket a connect made, until accept
 * gives it one (a client sends before the server runs), or a peer that
 * closed.  Its low bits name it while it lives, for its EV_UNAME.
 */
#define NT_PEER_NOINO  (1ULL << 63)
#define NT_PEER_CLOSED (1ULL << 62) /* with NT_PEER_NOINO: it closed */
#define NT_PEER_ID     0xffffffffffffULL

struct ev_hdr {
	__u64 ts_ns; /* bpf_ktime_get_ns(): CLOCK_MONOTONIC */
	__u32 tgid;
	__u32 tid;
	__u16 type; /* enum ev_type */
	__u16 size; /* bytes of the whole record */
	__u32 cpu;
};

/* EV_CALL flags */
#define NT_F_AUX_TRUNC	0x1 /* aux holds a prefix of what the call saw */
#define NT_F_AUX_FAULT	0x2 /* user memory could not be read */
#define NT_F_SOCK_ENTER 0x4 /* sock was read at enter (close) */
#define NT_F_HITS_TRUNC 0x8 /* more hook hits than NT_HITS_MAX: the path is cut */
/* close: sent once the socket's release ran, after the syscall returned (deferred fput) */
#define NT_F_DEFERRED 0x10
#define NT_F_SLEPT    0x20 /* the call slept (its first sleep is a hit) */
/*
 * -s N: aux ends with the payload's first bytes, then their count as a __u16
 * (the call's own aux comes before them).  Only the first buffer (iovec) of a
 * call is read.
 */
#define NT_F_DATA	0x40
#define NT_F_DATA_TRUNC 0x80 /* the call moved more bytes than were kept */
#define NT_PAYLOAD_MAX	256  /* -s at most */
/* Put together by user space when tracing stopped: the call had not returned
 * (no result; dur_ns is its time so far). */
#define NT_F_UNFINISHED 0x100
/* Entered before tracing began (attach): its time counts from then, a lower bound. */
#define NT_F_BEFORE_TRACE 0x200
#define NT_ENTER_UNSEEN	  (-2)
/*
 * accept's listener, listen's socket: enter_val holds its accept queue after
 * the call, the connections waiting << 32 | the most it holds (the backlog as
 * the kernel capped it).
 */
#define NT_F_QUEUE 0x400
/* sendfile, splice: the socket is where the bytes came from (a receive), not their way out */
#define NT_F_SOCK_SRC 0x800
/*
 * -u: the process's first user stack since it was traced or exec'd.  User
 * space names frames from /proc/PID/maps, which go with the process: the
 * record wakes the reader, which reads them at once.
 */
#define NT_F_MAPS_NEW 0x1000

struct ev_call {
	struct ev_hdr hdr;
	__u64 dur_ns;
	__u64 args[6];
	__s64 ret;
	/*
	 * A value read at enter, -1 if none: select/pselect6/ppoll/epoll_pwait2
	 * the timeout in ns; accept/getsockname/getpeername/recvfrom/recvmsg/
	 * getsockopt the address or option length passed in.  NT_ENTER_UNSEEN: the call
	 * began before tracing did (NT_F_BEFORE_TRACE), so it was not read.
	 * Replaced at exit with NT_F_QUEUE; and for sendmmsg/recvmmsg, whose
	 * result counts messages, with the bytes they moved (their msg_len
	 * summed, up to NT_MMSG_SUM_MAX of them).
	 */
	__s64 enter_val;
	struct nt_sock sock;
	char comm[NT_COMM_LEN];
	__u16 sys;     /* enum nt_sys */
	__u16 flags;   /* NT_F_* */
	__u16 aux_len; /* bytes of aux that follow */
	__u8 nhits;    /* struct nt_hit entries after aux */
	__u8 nuser;    /* -u: __u64 user words after the hits (see NT_USER_SP) */
		       /*
	 * __u8 aux[aux_len];		layout by sys, see the nt_aux_* structs
	 * __u8 pad[to a multiple of 4];
	 * struct nt_hit hits[nhits];	the kernel path, in the order it ran
	 * __u8 pad[to a multiple of 8];
	 * __u64 user[nuser];		-u: NT_USER_SP words at the user stack pointer, then
	 *				the frame-pointer frames (the first is the syscall's IP)
	 */
};

/* aux of select/pselect6: the sets before (in) and after (out) the call */
struct nt_aux_fdsets {
	__u8 present; /* bit i: set i (read, write, except) was non-NULL */
	__u8 __pad[7];
	__u8 in[3][NT_FDSET_BYTES];
	__u8 out[3][NT_FDSET_BYTES];
};

/* aux of sendmsg/recvmsg: the msghdr summarized, then msg_name bytes */
struct nt_aux_msghdr {
	__u64 iov_bytes; /* sum of the first NT_IOV_MAX iov_len */
	__u32 iovlen;
	__u32 controllen;
	__u32 msg_flags; /* recvmsg: flags the kernel returned */
	__u32 namelen;
	/* __u8 name[namelen]; then the first bytes of msg_control (what recvmsg got), up to
	 * NT_CMSG_MAX, to the end of aux */
};

/* aux of sendmmsg/recvmmsg */
#define NT_MMSG_NAME 28 /* of each message's address: a sockaddr_in6 whole */
struct nt_aux_mmsg {
	__u32 n; /* entries copied */
	__u32 lens[NT_MMSG_MAX];
	/*
	 * Each message's peer, as its msg_name held it after the call (recvmmsg:
	 * who sent it; sendmmsg: where it went); namelens[i] 0 if none.  Not in
	 * recordings made before these were (their aux ends at lens).
	 */
	__u32 namelens[NT_MMSG_MAX];
	__u8 names[NT_MMSG_MAX][NT_MMSG_NAME];
};

/* aux of setsockopt/getsockopt */
struct nt_aux_sockopt {
	__u32 optlen;
	__u8 val[NT_SOCKOPT_MAX];
};

/* aux of io_uring_setup: the start of struct io_uring_params after the call */
struct nt_aux_uring_params {
	__u32 sq_entries;
	__u32 cq_entries;
	__u32 flags;
	__u32 sq_thread_cpu;
	__u32 sq_thread_idle;
	__u32 features;
};

/* EV_UREQ how: the way the request ran, as its tracepoints showed */
#define NT_UR_SQPOLL	 0x1   /* submitted by the kernel's SQ thread: no syscall */
#define NT_UR_POLL	 0x2   /* not ready at issue: armed on the file's poll */
#define NT_UR_TASKWORK	 0x4   /* a wakeup queued it as task work to finish */
#define NT_UR_IOWQ	 0x8   /* punted to an io-wq worker thread */
#define NT_UR_FAILED	 0x10  /* io_uring_req_failed fired */
#define NT_UR_LINKED	 0x20  /* linked after link_id (IOSQE_IO_LINK/HARDLINK) */
#define NT_UR_FIXED	 0x40  /* fd is a registered-file index */
#define NT_UR_HITS_TRUNC 0x80  /* more hits than fit: the path is cut */
#define NT_UR_NO_FD	 0x100 /* the opcode takes no fd */
/* an ACCEPT: link_id holds the listener's accept queue after it, as NT_F_QUEUE */
#define NT_UR_QUEUE 0x200
/* -s: data_len bytes of the request's buffer follow the hits; it moved more */
#define NT_UR_DATA_TRUNC 0x400
/* submitted before tracing began (attach): first seen when woken, its time from then */
#define NT_UR_BEFORE	 0x800
#define NT_UR_FD_UNKNOWN (-2) /* ev_ureq fd: it had one, no longer readable */

/*
 * One completion (CQE) of one io_uring request.  A single-shot request has
 * one; a multishot request (accept, recv with F_MORE) has one per CQE, all
 * with its id, counted by shot.  hdr.ts_ns is when this shot began (the
 * submission, or the previous CQE); hdr.tid submitted it.
 */
struct ev_ureq {
	struct ev_hdr hdr;
	__u64 submit_ns;
	__u64 complete_ns;
	__u64 user_data;
	__u64 id;      /* the request, numbered in submission order from 1 */
	__u64 link_id; /* with NT_UR_LINKED: the request this one followed */
	struct nt_sock sock;
	char comm[NT_COMM_LEN]; /* the submitting thread's */
	__s32 res;
	__u32 cflags; /* IORING_CQE_F_* */
	__s32 fd;
	__s32 ring_fd;	    /* -1 if unknown */
	__u32 complete_tid; /* the thread that posted the CQE */
	__u32 shot;	    /* 1, 2, ... per CQE of this request */
	__u16 how;	    /* NT_UR_* */
	__u8 opcode;	    /* IORING_OP_* */
	__u8 nhits;	    /* struct nt_hit entries that follow */
	__u16 data_len;	    /* -s: the buffer's first bytes, after the hits */
	__u16 __pad;
	/* struct nt_hit hits[nhits]; start_off counts from hdr.ts_ns; __u8 data[data_len] */
};

/* aux of io_uring_enter: the ring as the call left it */
struct nt_aux_uring_enter {
	__u32 cq_ready;	  /* CQEs waiting to be reaped */
	__u32 sq_pending; /* SQEs written and not yet consumed */
};

enum nt_proc_kind {
	NT_PROC_FORK = 1,
	NT_PROC_EXEC = 2,
	NT_PROC_EXIT = 3,
};

struct ev_proc {
	struct ev_hdr hdr;
	__u32 kind;	 /* enum nt_proc_kind */
	__u32 ppid;	 /* FORK: the parent's tgid */
	__s32 exit_code; /* EXIT: wait status as waitpid reports it */
	__u32 __pad;
	char comm[NT_COMM_LEN];
	char path[NT_PATH_MAX]; /* EXEC: the file executed */
};

/*
 * A unix socket's name, sent once per socket the first time a traced call
 * finds it bound (or connected to a bound peer): a call record carries only
 * inodes, which keeps it small; user space names them from these.  Stamped
 * as that call, and sent before it: the reader's (stable) sort puts it just
 * before the call, so earlier calls show the socket unnamed, as it was.
 */
#define NT_SUN_MAX 110 /* struct sockaddr_un: family and path */

struct ev_uname {
	struct ev_hdr hdr;
	__u64 ino;
	__u16 len; /* bytes of sa (the kernel's unix_address len) */
	__u8 sa[NT_SUN_MAX];
	__u8 __pad[4];
};

/*
 * A loss, in the stream where the reader found it, so a recording keeps it
 * too: hdr.ts_ns is the last record's before it.
 */
struct ev_lost {
	struct ev_hdr hdr;
	__u64 count;
};

/*
 * Counting mode (demo --compare): no records, per-CPU counters instead.
 * Slot 0 counts the traced processes' other syscalls, slots 1.. each nt_sys,
 * slots NT_SYS_MAX + opcode the io_uring completions of each opcode.
 */
#define NT_ERRNO_USER	134 /* errnos 0..133 */
#define NT_ERRNO_SLOTS	(NT_ERRNO_USER + 16)
#define NT_HIST_SUB	4 /* log2 buckets split in 4: percentiles within 19% */
#define NT_HIST_BUCKETS (48 * NT_HIST_SUB)
struct nt_count {
	__u64 calls;
	__u64 errors;
	__u64 ns; /* time inside the calls (requests: submission to completion) */
	__u64 max_ns;
	__u64 bytes; /* sends and receives: what they moved */
	/* durations: bucket nt_hist_bucket(ns) (see there), for percentiles and histograms */
	__u64 hist[NT_HIST_BUCKETS];
	/* the errors by errno, slot nt_errno_slot(errno): EAGAIN is not ECONNRESET */
	__u64 errnos[NT_ERRNO_SLOTS];
};

/*
 * Every errno has its slot: 1..133 (EHWPOISON, the last) as themselves, the
 * kernel's restart codes a signal leaves at a call's exit (ERESTARTSYS = 512
 * ...) after them, and slot 0 for any other.
 */
static inline __u32 nt_errno_slot(__u64 err)
{
	if (err < NT_ERRNO_USER)
		return (__u32)err;
	if (err >= 512 && err < 512 + NT_ERRNO_SLOTS - NT_ERRNO_USER)
		return (__u32)(err - 512 + NT_ERRNO_USER);
	return 0;
}

/* The errno a slot counts, 0 for slot 0 (any other). */
static inline int nt_slot_errno(__u32 slot)
{
	return slot < NT_ERRNO_USER ? (int)slot : (int)(slot - NT_ERRNO_USER + 512);
}

/*
 * read/write and their vector forms, sendfile and splice: traced only where
 * one of their fds is a socket, checked at exit.
 */
static inline int nt_sys_is_rw(__u16 sys)
{
	return sys == NT_SYS_READ || sys == NT_SYS_WRITE || sys == NT_SYS_READV ||
	       sys == NT_SYS_WRITEV || sys == NT_SYS_SENDFILE || sys == NT_SYS_SPLICE;
}

/*
 * The fds of such a call that may be its socket, where the bytes go first:
 * sendfile(out_fd, in_fd, ...), splice(fd_in, off_in, fd_out, ...).  Returns
 * how many; a second is where the bytes come from.
 */
static inline int nt_rw_fds(__u16 sys, const __u64 *args, int fds[2])
{
	if (sys == NT_SYS_SENDFILE || sys == NT_SYS_SPLICE) {
		fds[0] = (int)args[sys == NT_SYS_SPLICE ? 2 : 0];
		fds[1] = (int)args[sys == NT_SYS_SPLICE ? 0 : 1];
		return 2;
	}
	fds[0] = (int)args[0];
	return 1;
}

/*
 * A receive with MSG_PEEK: its bytes stay queued for the next receive, so
 * they are not counted twice.
 */
#define NT_MSG_PEEK 0x2
static inline int nt_sys_peeks(__u16 sys, const __u64 *args)
{
	return (sys == NT_SYS_RECVFROM && (args[3] & NT_MSG_PEEK)) ||
	       (sys == NT_SYS_RECVMSG && (args[2] & NT_MSG_PEEK)) ||
	       (sys == NT_SYS_RECVMMSG && (args[3] & NT_MSG_PEEK));
}

/*
 * The bucket of a duration: below 4 ns the value itself, else
 * 4 * log2(ns) + the two bits after the leading one, so each power of two is
 * cut in four.  Shared by BPF and user space (tests/unit pins it).
 */
static inline __u32 nt_hist_bucket(__u64 ns)
{
	__u32 msb = 0;
	__u64 v = ns;

	if (ns < NT_HIST_SUB)
		return (__u32)ns;
	if (v >> 32) {
		v >>= 32;
		msb += 32;
	}
	if (v >> 16) {
		v >>= 16;
		msb += 16;
	}
	if (v >> 8) {
		v >>= 8;
		msb += 8;
	}
	if (v >> 4) {
		v >>= 4;
		msb += 4;
	}
	if (v >> 2) {
		v >>= 2;
		msb += 2;
	}
	if (v >> 1)
		msb += 1;
	if (msb >= 48)
		return NT_HIST_BUCKETS - 1;
	return msb * NT_HIST_SUB + (__u32)((ns >> (msb - 2)) & (NT_HIST_SUB - 1));
}
#define NT_COUNT_SLOTS (NT_SYS_MAX + 64)

/* --by conn: one connection (socket) of a traced process, counted in the kernel */
struct nt_conn {
	struct nt_sock sock; /* read at its first call */
	__u64 first_ns, last_ns;
	__u64 calls;
	__u64 bytes_in, bytes_out;
	__u32 pid;
	__u32 closed;	/* a close of it was seen */
	__u32 last_pid; /* the process of its latest call */
	__u32 __pad;
};

/* Per-CPU counters of what was lost, summed by user space for the footer. */
enum nt_stat {
	NT_STAT_LOST_RINGBUF = 0,  /* ring buffer full: call not delivered */
	NT_STAT_LOST_INFLIGHT,	   /* too many calls in flight: call not tracked */
	NT_STAT_LOST_PROC,	   /* fork/exec/exit record not delivered */
	NT_STAT_FOLLOW_FULL,	   /* child not followed: tgid map full */
	NT_STAT_HITS_TRUNC,	   /* calls whose path had more hits than fit */
	NT_STAT_STACK_LOST,	   /* kernel stacks not stored (stack map full) */
	NT_STAT_LOST_UREQ,	   /* io_uring request not tracked: table full */
	NT_STAT_LOST_UREQ_RINGBUF, /* io_uring completion not delivered: ring full */
	NT_STAT_LOST_UNAME,	   /* a unix socket's name not delivered: ring full */
	NT_STAT_NOT_SHOWN, /* calls and completions -Z, -z, --min-duration, --ports dropped */
	NT_STAT_CONNS,	   /* --by conn: connections counted (the map may evict some) */
	NT_STAT_MAX,
};

/* The counters of records lost: the footer's "events lost" by cause. */
static inline int nt_stat_is_loss(__u32 idx)
{
	return idx == NT_STAT_LOST_RINGBUF || idx == NT_STAT_LOST_INFLIGHT ||
	       idx == NT_STAT_LOST_PROC || idx == NT_STAT_LOST_UREQ ||
	       idx == NT_STAT_LOST_UREQ_RINGBUF || idx == NT_STAT_LOST_UNAME;
}

#define NT_OPEN_MAX  8 /* nested function hits tracked for their exit */
#define NT_PORTS_MAX 8 /* --ports: ports (or ranges) a trace may be narrowed to */

/* --ports: one port (lo == hi) or a range of them, host order */
struct nt_port_range {
	__u16 lo, hi;
};

/* -Z and -z: the calls shown by how they returned (strace's -e status=) */
enum nt_status { NT_STATUS_ALL, NT_STATUS_FAILED, NT_STATUS_SUCCESSFUL };

/* The kernel's tests for -Z or -z and for --ports, and report's for a recording */
static inline int nt_status_shows(__u32 status, __s64 ret)
{
	return status == NT_STATUS_ALL || (ret < 0) == (status == NT_STATUS_FAILED);
}

static inline int nt_port_in(struct nt_port_range r, __u16 port)
{
	return port >= r.lo && port <= r.hi;
}

/*
 * The kernel path being recorded for a call or an io_uring request: hits in
 * the order they ran, and the function hits still open (for their exit).
 */
struct nt_path {
	__u64 ts; /* hit offsets count from here */
	struct nt_hit hits[NT_HITS_MAX];
	__u8 nhits;
	__u8 depth;		/* function hits entered and not yet exited */
	__u8 open[NT_OPEN_MAX]; /* hit index of each open depth, 0xff if not kept */
	__u8 trunc;		/* more hits came than fit */
	__u8 slept;		/* its first sleep is already a hit */
	__u8 stacked;		/* a tracepoint stack was taken: the path is known */
	__u32 walk_ns;		/* spent walking kernel stacks: left out of the call's time */
};

/*
 * A call between its enter and its exit, keyed by tid: the inflight map's
 * values.  Each traced thread keeps its entry for life and marks it active
 * per call: no per-call insert, copy or delete (the entry goes when the
 * thread exits).  User space writes the calls threads are already in at
 * attach, and reads those still in flight when tracing stops.
 */
struct inflight {
	struct nt_path p;
	__u64 args[6];
	__s64 enter_val;	   /* see ev_call.enter_val */
	__s64 ret;		   /* a deferred close: its result */
	__u64 end_ts;		   /* a deferred close: when it returned, less its stack walks */
	__u64 sk;		   /* close: the struct sock, to match its state changes */
	struct nt_sock sock;	   /* close: the socket, read before it goes */
	struct nt_aux_fdsets sets; /* select: the sets as passed in */
	__u32 mmsg_namelen[NT_MMSG_MAX]; /* recvmmsg: each msg_namelen passed in */
	__u32 nr;			 /* arch syscall number, checked at exit */
	__u16 sys;
	__u16 flags;
	__u8 deferred; /* a close waiting for its socket's release */
	__u8 active;   /* between a traced call's enter and its exit */
	__u8 nuser;    /* -u: words in user[] */
	__u8 __pad;
	__u32 tgid; /* for the calls still in flight when tracing stops */
	__u64 user[NT_USER_SP + NT_USER_FRAMES];
};

#endif /* SOCKTRACE_H */
