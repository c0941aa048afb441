/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The model the renderers read: one decoded call, one process event.
 * Decoding happens once; the text and JSON renderers only lay it out.
 */
#ifndef MODEL_H
#define MODEL_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <linux/types.h>
#include "socktrace.h"
#include "poison.h"
#include "xlat.h"

#define CALL_MAX_ARGS 8
#define CALL_TEXT_MAX 256

struct call_arg {
	const char *name; /* JSON key */
	char text[CALL_TEXT_MAX];
	long long num;
	int is_num; /* JSON writes num, not text */
	int hide;   /* the text view leaves it out (a zero flag set) */
};

struct call_sock {
	int valid;
	const char *kind; /* "TCP", "UDP", "UNIX-STREAM", ... */
	const char *family;
	const char *type;
	const char *state; /* TCP state name, or NULL */
	char local[64];	   /* unix: "unix:INODE", its identity */
	char peer[64];	   /* unix: "unix:INODE", or one of the two below */
	/* unix: the bound names of the socket and its peer, where known (unames.h) */
	const char *local_name, *peer_name;
	uint64_t ino;
	uint64_t peer_ino;
	uint16_t local_port, peer_port; /* inet: what --ports matches, 0 if none */
};

/*
 * A unix peer without an inode: a connection not yet accepted, or a peer
 * that closed.  A connected unix socket has one peer: its own end names the
 * connection.
 */
#define UNIX_PEER_UNACCEPTED "unix:(not accepted)"
#define UNIX_PEER_CLOSED     "unix:(closed)"

static inline int unix_peer_unknown(const char *peer)
{
	return !strncmp(peer, "unix:(", 6);
}

/* The ends as a view shows them: a unix socket's name where it has one. */
static inline const char *sock_local_shown(const struct call_sock *s)
{
	return s->local_name ? s->local_name : s->local;
}

static inline const char *sock_peer_shown(const struct call_sock *s)
{
	return s->peer_name ? s->peer_name : s->peer;
}

/* One hook hit inside a call, as decoded. */
struct path_hit {
	unsigned int fn; /* enum nt_fn */
	const char *name;
	int point;	   /* a tracepoint (an instant), not a function */
	int site;	   /* with point: a cgroup hook, run inside function fn */
	int exited;	   /* dur_ns and val are known */
	uint32_t start_ns; /* after the call began */
	uint32_t dur_ns;
	int32_t val; /* return value, bytes, or old << 8 | new TCP state */
	int depth;
	int stackid;	 /* -1: none */
	uint64_t callee; /* NT_HIT_CALLEE: the function's address; kpath.c names it */
};

#define PATH_LINE_MAX  512
#define PATH_STACK_MAX 1024

/* The kernel path of a call: its hits, and what kpath.c made of them. */
struct call_path {
	int nhits;
	struct path_hit hits[NT_HITS_MAX];
	int truncated;		  /* more hits than were kept */
	int deferred;		  /* close: sent after the socket's release */
	char line[PATH_LINE_MAX]; /* "__sys_connect → inet_stream_connect → tcp_v4_connect" */
	char states[128]; /* "CLOSE → SYN_SENT → ESTABLISHED", a state kept alone: "FIN_WAIT1" */
	int rst_sent;	  /* the call's TCP socket sent a RST (tcp_send_reset) */
	const char *note; /* why there is no path, or NULL */
	int nstacks;	  /* -k: symbolized stacks, one per hit with a stack */
	int stack_hit[NT_HITS_MAX];
	char stacks[NT_HITS_MAX][PATH_STACK_MAX];
};

/* An io_uring request's completion (one per CQE), when call.req.is_req. */
struct call_req {
	int is_req;
	uint64_t id;
	uint64_t link_id; /* linked after this request, 0 if none */
	uint64_t user_data;
	uint64_t submit_ns, complete_ns;
	const char *op; /* "RECV", or NULL if unknown */
	unsigned int opcode;
	int fd;	     /* -1: the opcode takes none; NT_UR_FD_UNKNOWN: it had one */
	int fixed;   /* fd is a registered-file index */
	int ring_fd; /* -1 if unknown */
	uint32_t submit_tid, complete_tid;
	uint32_t shot; /* 1, 2, ... : which CQE of a multishot request */
	uint32_t cflags;
	int more;     /* IORING_CQE_F_MORE: more CQEs will come */
	int sqpoll;   /* submitted by the SQ thread: no syscall made */
	int before;   /* submitted before tracing began: first seen at a completion */
	int poll;     /* armed on poll (not ready when issued) */
	int taskwork; /* finished in task work after a wakeup */
	int iowq;     /* punted to an io-wq worker */
	int failed;
	char how[96]; /* "inline", "armed on poll → task work", ... */
	char cflags_text[64];
};

/*
 * A zero-copy send's notification CQE (IORING_CQE_F_NOTIF): the kernel is done
 * with the buffer.  Shown as the request's last CQE, never counted as a send.
 */
static inline int req_is_notif(const struct call_req *r)
{
	return r->is_req && (r->cflags & 8 /* IORING_CQE_F_NOTIF */);
}

/* -u: the user stack the call entered the kernel from */
struct call_user {
	int nsp, nfp;
	uint64_t sp[NT_USER_SP];     /* words at the user stack pointer */
	uint64_t fp[NT_USER_FRAMES]; /* by frame pointers: the IP, then return addresses */
	/* resolved (pipeline): innermost first */
	int nframes;
	struct user_frame {
		uint64_t addr;
		const char *sym; /* NULL: not named */
		uint64_t off;
		const char *module;
		const char *file; /* -uu: source file and line (0: unknown) */
		int line;
		int call_site; /* recovered from the stack pointer, not the frame chain */
	} frames[NT_USER_FRAMES + 1];
	const char *cut; /* why the stack ends where it does, NULL if at its root */
};

struct call {
	const struct sys_info *sys;
	uint64_t ts_ns; /* CLOCK_MONOTONIC at enter */
	uint64_t dur_ns;
	uint32_t pid, tid, cpu;
	char comm[17];
	int unfinished;	  /* still in the kernel when tracing stopped: no result, dur so far */
	int began_before; /* entered before tracing began (attach): ts and dur from then */
	int from_sock;	  /* sendfile, splice: the bytes came from the socket (a receive) */
	int peek;	  /* MSG_PEEK: the bytes stay queued for the next receive */
	/* sendmmsg, recvmmsg (ret counts messages): the bytes they moved, 0 if not known */
	uint64_t mmsg_bytes;
	int nargs;
	struct call_arg args[CALL_MAX_ARGS];
	/* from here on: reset for each call (call_reset), sock written whole (decode_sock) */
	long long ret;
	int err; /* errno when the call failed, else 0 */
	const char *err_name;
	char ret_detail[CALL_TEXT_MAX]; /* what came back beside ret: ready fds, events */
	/* accept, listen: the listening socket's accept queue after the call */
	struct call_queue {
		int known;
		uint32_t queued, max;
	} queue;
	struct call_sock sock;
	int truncated; /* some argument shows only a prefix */
	int fault;     /* some user memory could not be read */
	struct call_path path;
	struct call_req req;
	struct call_user user;
	/* -s N: the first bytes the call moved (across a vector call's buffers) */
	struct call_data {
		int len;       /* 0: none kept */
		int truncated; /* the call moved more */
		uint8_t bytes[NT_PAYLOAD_MAX];
	} data;
};

/*
 * A call kept for later (the sequence view holds a drain's): all of it but
 * -k's stack texts past the ones made, 16 of its 22 KB, which copying whole
 * cost a third of a busy trace's time.
 */
static inline void call_copy(struct call *dst, const struct call *src)
{
	const size_t stacks = offsetof(struct call, path.stacks),
		     after = offsetof(struct call, req);

	memcpy(dst, src, stacks);
	memcpy(dst->path.stacks, src->path.stacks,
	       (size_t)src->path.nstacks * sizeof(src->path.stacks[0]));
	memcpy((char *)dst + after, (const char *)src + after, sizeof(*src) - after);
}

enum proc_kind { PROC_FORK = 1, PROC_EXEC = 2, PROC_EXIT = 3 };

struct proc_event {
	uint64_t ts_ns;
	uint32_t pid, tid, ppid;
	int kind;
	int exit_code; /* wait status */
	char comm[17];
	char path[65];
};

#endif /* MODEL_H */
