// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * --explain: one plain sentence per kind of call, what the kernel did, in the
 * lecture notes' terms (their sock_bind() is __sys_bind -> inet_bind here).
 * Pure data and formatting.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <linux/io_uring.h>
#include <linux/types.h>
#include "socktrace.h"
#include "decode.h"
#include "explain.h"
#include "util.h"

static const char *const sentences[NT_SYS_MAX] = {
	[NT_SYS_SOCKET] = "the kernel creates a socket (__sock_create, the notes' sock_create) "
			  "and gives the process a file descriptor for it",
	[NT_SYS_SOCKETPAIR] = "the kernel creates two sockets already connected to each other",
	[NT_SYS_BIND] = "the socket gets its local address and port (__sys_bind -> inet_bind, "
			"inet6_bind for IPv6; the notes' sock_bind); it fails if another socket "
			"holds them",
	[NT_SYS_LISTEN] = "the socket becomes passive (inet_listen, the notes' sock_listen): "
			  "completed handshakes wait in a queue of up to %s until accept takes "
			  "them",
	[NT_SYS_ACCEPT] = "the kernel takes the first completed connection off the listen queue "
			  "(inet_accept, the notes' sock_accept) and returns a new socket for it; "
			  "the listening socket stays as it was, and (queue: N of M) counts the "
			  "connections still waiting behind this one",
	[NT_SYS_CONNECT] = "the kernel sends a SYN and, for TCP, the three-way handshake runs "
			   "(tcp_v4_connect, tcp_v6_connect for IPv6): the socket goes SYN_SENT, "
			   "then ESTABLISHED",
	[NT_SYS_GETSOCKNAME] = "the kernel reports the address the socket is bound to",
	[NT_SYS_GETPEERNAME] = "the kernel reports the address of the connected peer",
	[NT_SYS_SETSOCKOPT] = "an option of the socket or its protocol is set",
	[NT_SYS_GETSOCKOPT] = "an option of the socket or its protocol is read",
	[NT_SYS_SHUTDOWN] = "one or both directions of the connection are closed (a FIN goes out "
			    "for writes); the fd stays open",
	[NT_SYS_SENDTO] = "the bytes are copied into the socket's send buffer (sock_sendmsg -> "
			  "tcp_sendmsg, the notes' sock_sendmsg); the call returns once they are "
			  "queued, not when the peer has them",
	[NT_SYS_RECVFROM] = "bytes waiting in the socket's receive buffer are copied to the "
			    "process (sock_recvmsg -> tcp_recvmsg, the notes' sock_recvmsg); with "
			    "none there, a blocking socket sleeps until some arrive",
	[NT_SYS_CLOSE] = "the fd goes away; with the last reference the socket is released "
			 "(sock_close -> inet_release) and TCP ends the connection with a FIN (a "
			 "RST if bytes it got were never read)",
	[NT_SYS_SELECT] = "the kernel checks every fd in the three sets (up to FD_SETSIZE, 1024) "
			  "and sleeps until one is ready; the sets come back holding only the "
			  "ready ones, and the caller scans them all again",
	[NT_SYS_POLL] = "the kernel checks every entry of the pollfd array and sleeps until one is "
			"ready; no fd limit, but the whole array is scanned on each call",
	[NT_SYS_EPOLL_CREATE1] = "the kernel creates an epoll instance: an interest list it keeps "
				 "between calls, and a ready list",
	[NT_SYS_EPOLL_CTL] = "an fd is added to (or changed in, removed from) the interest list, "
			     "once, not on every wait",
	[NT_SYS_EPOLL_WAIT] = "the kernel returns only the fds on its ready list (sleeping until "
			      "there is one): the cost does not grow with idle connections",
	[NT_SYS_IO_URING_SETUP] = "the kernel creates a submission and a completion ring shared "
				  "with the process: requests and results pass through memory, "
				  "not system calls",
	[NT_SYS_IO_URING_ENTER] = "one system call hands the kernel every request queued in the "
				  "submission ring and can wait for completions too",
	[NT_SYS_IO_URING_REGISTER] = "resources (buffers, files) are registered once with the "
				     "ring, so requests need not pass them each time",
	[NT_SYS_READ] = "on a socket, read is recv without flags: bytes from the receive buffer",
	[NT_SYS_WRITE] = "on a socket, write is send without flags: bytes into the send buffer",
	[NT_SYS_SENDFILE] = "the kernel sends a file's bytes from the page cache into the socket "
			    "(splice_to_socket -> sock_sendmsg): they never pass through the "
			    "process's memory",
	[NT_SYS_SPLICE] = "the kernel moves bytes between a pipe and the socket without copying "
			  "them through the process (tcp_splice_read, or splice_to_socket -> "
			  "sock_sendmsg); a proxy splices socket -> pipe -> socket",
};

/*
 * Where UDP and unix sockets do otherwise than TCP, which the sentences above
 * tell: no handshake, no FIN, a datagram whole, bytes straight to the peer.
 */
enum sock_kind { SK_TCP, SK_UDP, SK_UNIX, SK_TCP_LISTENER, SK_TCP_UNCONNECTED, SK_MAX };

static const char *const kind_sentences[SK_MAX][NT_SYS_MAX] = {
	[SK_UDP] =
		{
			[NT_SYS_CONNECT] =
				"on UDP no packet goes out: the kernel keeps the peer's address "
				"(ip4_datagram_connect), so sends need none and only that peer's "
				"datagrams come in",
			[NT_SYS_SENDTO] =
				"the datagram goes to the kernel whole (sock_sendmsg -> "
				"udp_sendmsg, the notes' sock_sendmsg) and out as one packet at "
				"once; nothing tells the sender it arrived",
			[NT_SYS_RECVFROM] =
				"one whole datagram is copied to the process (sock_recvmsg -> "
				"udp_recvmsg, the notes' sock_recvmsg), with its sender's "
				"address; with none queued, a blocking socket sleeps until one "
				"arrives",
			[NT_SYS_CLOSE] =
				"the fd goes away; with the last reference the socket is released "
				"(sock_close -> inet_release): there is no connection to end, so "
				"nothing is sent",
			[NT_SYS_SHUTDOWN] =
				"one or both directions are shut for this socket; on UDP no "
				"packet tells the peer",
		},
	[SK_UNIX] =
		{
			[NT_SYS_BIND] =
				"the socket gets its name (unix_bind, the notes' sock_bind): a "
				"path becomes a socket file, an abstract name (@...) lives only "
				"in the kernel; it fails if the name is taken",
			[NT_SYS_LISTEN] =
				"the socket becomes passive (unix_listen, the notes' sock_listen): "
				"connecting sockets wait in a queue of up to %s until accept "
				"takes them",
			[NT_SYS_ACCEPT] =
				"the kernel takes the first waiting connection (unix_accept, the "
				"notes' sock_accept) and returns a new socket for it; the "
				"listening socket stays as it was",
			[NT_SYS_CONNECT] =
				"the kernel finds the socket bound to that name "
				"(unix_stream_connect) and links this one to it: no packets, no "
				"handshake; ENOENT if no socket has the name",
			[NT_SYS_SENDTO] =
				"the bytes go straight onto the peer socket's receive queue "
				"(unix_stream_sendmsg, unix_dgram_sendmsg): no network stack in "
				"between",
			[NT_SYS_RECVFROM] =
				"bytes the peer's sends queued on this socket are copied to the "
				"process (unix_stream_recvmsg, unix_dgram_recvmsg); with none "
				"there, a blocking socket sleeps until some arrive",
			[NT_SYS_CLOSE] =
				"the fd goes away; with the last reference the socket is released "
				"(unix_release) and its peer reads end of file",
			[NT_SYS_SHUTDOWN] =
				"one or both directions are shut: after a write shutdown the "
				"peer reads end of file; the fd stays open",
		},
	/* a listener has no connection to end, but a queue to empty */
	[SK_TCP_LISTENER] =
		{
			[NT_SYS_CLOSE] =
				"the listening socket is released (sock_close -> inet_release "
				"-> inet_csk_listen_stop): connections still waiting in its "
				"queue are reset and the port is free again; no FIN, it had no "
				"connection of its own",
		},
	[SK_TCP_UNCONNECTED] =
		{
			[NT_SYS_CLOSE] =
				"the fd goes away and the socket is released (sock_close -> "
				"inet_release); it has no connection left to end (never made, "
				"refused, reset, or closed both ways already: TIME_WAIT holds the "
				"rest), so nothing is sent",
		},
};

/* What an argument makes of a call without kinds of socket: its sentence, ahead of the call's own. */
static const struct arg_sentence {
	enum nt_sys sys;
	int arg;
	const char *word; /* in the argument's text; an option's name is the whole of it */
	const char *sentence;
} arg_sentences[] = {
	/* io_uring_setup asked for a kernel thread to poll the ring: the lesson of --sqpoll */
	{NT_SYS_IO_URING_SETUP, 1, "SQPOLL",
	 "the kernel creates a submission and a completion ring shared with the process, and "
	 "with IORING_SETUP_SQPOLL a kernel thread (iou-sqp-PID) that polls the submission "
	 "ring: while it runs, requests need no system call at all"},
	/* how the io_uring server lets go of its sockets before it exits */
	{NT_SYS_IO_URING_REGISTER, 1, "SYNC_CANCEL",
	 "every request still pending on the ring is cancelled (each completes with "
	 "ECANCELED), and the call returns once they are done: the sockets they held are "
	 "free before the process exits, not when a kernel worker tears the ring down"},
	/* the other half of EINPROGRESS: a non-blocking connect's result is read as an option */
	{NT_SYS_GETSOCKOPT, 2, "SO_ERROR",
	 "SO_ERROR is the socket's pending error, read and cleared: after a non-blocking "
	 "connect, how the handshake went (0: connected; ECONNREFUSED: nothing listens there; "
	 "ETIMEDOUT: no answer came)"},
	/* the options servers set, each its own lesson (the demo servers set the first two) */
	{NT_SYS_SETSOCKOPT, 2, "SO_REUSEADDR",
	 "SO_REUSEADDR lets bind take a port that an earlier server's connections still hold in "
	 "TIME_WAIT: a restarted server can listen again at once"},
	{NT_SYS_SETSOCKOPT, 2, "TCP_NODELAY",
	 "TCP_NODELAY at 1 turns Nagle's algorithm off: a small write goes out at once instead "
	 "of waiting until what was sent before it is acknowledged (a delayed ACK takes 40 ms or "
	 "more); accepted sockets inherit it from the listener"},
	{NT_SYS_SETSOCKOPT, 2, "SO_REUSEPORT",
	 "SO_REUSEPORT lets several sockets bind the same address and port; the kernel spreads "
	 "the incoming connections (or datagrams) among them by a hash of both ends' addresses "
	 "and ports"},
	{NT_SYS_SETSOCKOPT, 2, "SO_KEEPALIVE",
	 "SO_KEEPALIVE at 1 makes TCP probe a connection idle for tcp_keepalive_time (2 hours "
	 "unless TCP_KEEPIDLE says otherwise) and reset it if the peer no longer answers"},
	{NT_SYS_SETSOCKOPT, 2, "SO_LINGER",
	 "SO_LINGER sets what close does with data not yet sent: on with a time, close waits up "
	 "to that long for it to go; on with 0, close drops it and sends a RST instead of a FIN "
	 "(no TIME_WAIT)"},
	{NT_SYS_SETSOCKOPT, 2, "SO_RCVBUF",
	 "SO_RCVBUF sizes the receive buffer: the kernel doubles the value for its bookkeeping, "
	 "caps it at net.core.rmem_max, and TCP stops growing the buffer by itself"},
	{NT_SYS_SETSOCKOPT, 2, "SO_SNDBUF",
	 "SO_SNDBUF sizes the send buffer: the kernel doubles the value for its bookkeeping, "
	 "caps it at net.core.wmem_max, and TCP stops growing the buffer by itself"},
	{NT_SYS_SETSOCKOPT, 2, "IPV6_V6ONLY",
	 "IPV6_V6ONLY says whether an IPv6 socket takes IPv6 only (1) or IPv4 too (0), its "
	 "IPv4 peers then named as ::ffff:a.b.c.d"},
	{NT_SYS_SETSOCKOPT, 2, "TCP_CORK",
	 "TCP_CORK at 1 holds back segments that are not full until it is cleared (or 200 ms "
	 "pass): a header and a body written apart go out together"},
};

/* The arg_sentences entry c's arguments call for, or -1. */
static int arg_sentence(const struct call *c)
{
	for (size_t i = 0; !c->req.is_req && i < ARRAY_SIZE(arg_sentences); i++) {
		const struct arg_sentence *a = &arg_sentences[i];
		int option = a->sys == NT_SYS_SETSOCKOPT || a->sys == NT_SYS_GETSOCKOPT;

		/* SO_RCVBUFFORCE is not SO_RCVBUF: it passes rmem_max */
		if (c->sys->id == a->sys && c->nargs > a->arg &&
		    (option ? !strcmp(c->args[a->arg].text, a->word)
			    : strstr(c->args[a->arg].text, a->word) != NULL))
			return i;
	}
	return -1;
}

/* The kind of socket a call was on, as kind_sentences tells them apart. */
static enum sock_kind kind_of(const struct call *c)
{
	const char *k = c->sock.valid ? c->sock.kind : NULL;

	if (k && !strncmp(k, "UDP", 3))
		return SK_UDP;
	if (k && !strncmp(k, "UNIX", 4))
		return SK_UNIX;
	if (k && !strncmp(k, "TCP", 3) && c->sock.state)
		return !strcmp(c->sock.state, "LISTEN") ? SK_TCP_LISTENER
		       : !strcmp(c->sock.state, "CLOSE") || !strcmp(c->sock.state, "SYN_SENT")
			       ? SK_TCP_UNCONNECTED
			       : SK_TCP;
	return SK_TCP; /* and what the sentences above fit best */
}

/* Calls that read as another's sentence (accept4 as accept, ...). */
static unsigned int same_as(unsigned int sys)
{
	switch (sys) {
	case NT_SYS_ACCEPT4:
		return NT_SYS_ACCEPT;
	case NT_SYS_SENDMSG:
	case NT_SYS_SENDMMSG:
		return NT_SYS_SENDTO;
	case NT_SYS_RECVMSG:
	case NT_SYS_RECVMMSG:
		return NT_SYS_RECVFROM;
	case NT_SYS_READV:
		return NT_SYS_READ;
	case NT_SYS_WRITEV:
		return NT_SYS_WRITE;
	case NT_SYS_PSELECT6:
		return NT_SYS_SELECT;
	case NT_SYS_PPOLL:
		return NT_SYS_POLL;
	case NT_SYS_EPOLL_CREATE:
		return NT_SYS_EPOLL_CREATE1;
	case NT_SYS_EPOLL_PWAIT:
	case NT_SYS_EPOLL_PWAIT2:
		return NT_SYS_EPOLL_WAIT;
	}
	return sys;
}

static const char *const req_sentences[] = {
	[IORING_OP_ACCEPT] = "an ACCEPT request: the kernel accepts a connection without a system "
			     "call of its own; multishot, one request keeps accepting",
	[IORING_OP_RECV] = "a RECV request: the kernel copies received bytes when they arrive "
			   "(armed on the socket's poll if none are there) and posts a completion",
	[IORING_OP_SEND] = "a SEND request: the kernel queues the bytes on the socket and posts a "
			   "completion",
	[IORING_OP_CLOSE] = "a CLOSE request: the fd is closed by the kernel, asynchronously",
	[IORING_OP_SEND_ZC] = "a SEND_ZC request: the kernel sends from the process's own pages "
			      "without copying them; a second CQE (F_NOTIF) says when it no "
			      "longer needs them, and only then may the buffer be written again",
	[IORING_OP_SOCKET] = "a SOCKET request: the kernel creates a socket, as socket() does, "
			     "and its fd comes back in the completion",
	[IORING_OP_CONNECT] = "a CONNECT request: the kernel runs the connect (for TCP the "
			      "handshake) and posts its result when it is over; the process "
			      "waits on no system call meanwhile",
	[IORING_OP_READ] = "a READ request on a socket: a RECV without flags, as read() is recv()",
	[IORING_OP_WRITE] = "a WRITE request on a socket: a SEND without flags, as write() is "
			    "send()",
	[IORING_OP_SENDMSG] = "a SENDMSG request: sendmsg() done by the kernel, several buffers "
			      "(and an address, control data) in one message",
	[IORING_OP_RECVMSG] = "a RECVMSG request: recvmsg() done by the kernel, into several "
			      "buffers, with the sender's address and control data",
	[IORING_OP_SHUTDOWN] = "a SHUTDOWN request: shutdown() done by the kernel (a FIN goes out "
			       "for writes); the fd stays open",
};

static int explain_call(const struct call *c, char *buf, size_t len)
{
	const char *s;
	int i;

	if (c->req.is_req) {
		s = c->req.opcode < ARRAY_SIZE(req_sentences) ? req_sentences[c->req.opcode] : NULL;
		/* READ and WRITE are said of sockets: wait for one */
		if (!s || ((c->req.opcode == IORING_OP_READ || c->req.opcode == IORING_OP_WRITE) &&
			   !c->sock.valid))
			return 0;
		snprintf(buf, len, "%s", s);
		return 1;
	}
	i = arg_sentence(c);
	s = i >= 0 ? arg_sentences[i].sentence : kind_sentences[kind_of(c)][same_as(c->sys->id)];
	if (!s)
		s = sentences[same_as(c->sys->id)];
	if (!s)
		return 0;
	if (c->sys->id == NT_SYS_LISTEN)
		snprintf(buf, len, s, c->nargs > 1 ? c->args[1].text : "BACKLOG");
	else
		snprintf(buf, len, "%s", s);
	return 1;
}

/*
 * What a result says, the first time it is seen: the outcomes a class meets
 * on the demos (EAGAIN, end of file, a signal) and the ones a failing client
 * shows.  Keys after the calls' and requests'.
 */
enum outcome {
	OUT_NONE,
	OUT_EOF,
	OUT_EAGAIN,
	OUT_EINPROGRESS,
	OUT_RESTART,
	OUT_ECONNREFUSED,
	OUT_ECONNREFUSED_UDP,
	OUT_ECONNREFUSED_UNIX,
	OUT_ECONNRESET,
	OUT_ECONNRESET_UNIX,
	OUT_EPIPE,
	OUT_SYN_AGAIN,
	OUT_EMFILE,
	OUT_ENFILE,
	OUT_EADDRINUSE,
	OUT_EADDRNOTAVAIL,
	OUT_EACCES_BIND,
	OUT_ETIMEDOUT,
	OUT_ENETUNREACH,
	OUT_EHOSTUNREACH,
	OUT_ENOTCONN,
	OUT_ECANCELED,
	OUT_EINTR,
	OUT_RST_SENT,
	OUT_MAX
};

#define OUTCOME_KEY0 (EXPLAIN_KEYS - OUT_MAX)

static const char *const outcome_sentences[OUT_MAX] = {
	[OUT_EOF] = "0 bytes on a stream socket is end of file: the peer closed its side (for "
		    "TCP its FIN arrived, and this end is CLOSE_WAIT) and no more bytes will come",
	[OUT_EAGAIN] = "EAGAIN: nothing was ready and the socket is non-blocking, so the call "
		       "returned at once instead of sleeping; the process waits for readiness "
		       "(select, poll, epoll) and tries again",
	[OUT_EINPROGRESS] = "EINPROGRESS: a non-blocking connect: the handshake goes on without "
			    "the process; the socket turns writable when it is over, and "
			    "getsockopt(SO_ERROR) says how it went",
	[OUT_RESTART] = "a signal arrived while the call waited; the process never sees this "
			"code: the kernel restarts the call, or returns EINTR, as the signal's "
			"handler asks",
	[OUT_ECONNREFUSED] = "ECONNREFUSED: nothing listens on that address and port: the "
			     "peer's kernel answered the SYN with a RST",
	[OUT_ECONNREFUSED_UDP] = "ECONNREFUSED on UDP: a datagram sent earlier to that port came "
				 "back as an ICMP port unreachable (nothing was bound there); the "
				 "kernel keeps the error for the socket's next call",
	[OUT_ECONNREFUSED_UNIX] = "ECONNREFUSED on a unix socket: the name exists but no socket "
				  "listens on it (its server exited and left the file), or "
				  "its accept queue is full",
	[OUT_ECONNRESET] = "ECONNRESET: the peer reset the connection (a RST: it closed with "
			   "bytes unread, or aborted)",
	[OUT_ECONNRESET_UNIX] = "ECONNRESET on a unix socket: the peer closed with bytes it had "
				"not read still queued",
	[OUT_EPIPE] = "EPIPE: the connection is closed for writing (the peer is gone, or "
		      "shutdown(SHUT_WR)); without MSG_NOSIGNAL the process also gets SIGPIPE",
	[OUT_SYN_AGAIN] = "a connect of a second or more most often means its first SYN went "
			  "unanswered and was sent again after 1 s (then 2, 4, ...): the "
			  "listener's accept queue was full, or a packet was lost",
	[OUT_EMFILE] = "EMFILE: the process has as many fds open as its limit allows (ulimit -n, "
		       "RLIMIT_NOFILE); an accept that fails so leaves the connection in the "
		       "listen queue, and a server that polls again at once spins on it",
	[OUT_ENFILE] = "ENFILE: the whole system's table of open files is full (fs.file-max): "
		       "every process's next socket or open fails until fds are closed",
	[OUT_EADDRINUSE] = "EADDRINUSE: another socket already holds that local address and "
			   "port: a server still running, or an earlier one's connections in "
			   "TIME_WAIT when SO_REUSEADDR is not set",
	[OUT_EADDRNOTAVAIL] = "EADDRNOTAVAIL: the address is not one of this host's (bind), or "
			      "no local port is left for a connection to that peer (connect: "
			      "net.ipv4.ip_local_port_range used up, often by TIME_WAIT)",
	[OUT_EACCES_BIND] = "EACCES on bind: a port below net.ipv4.ip_unprivileged_port_start "
			    "(1024) needs root or CAP_NET_BIND_SERVICE",
	[OUT_ETIMEDOUT] = "ETIMEDOUT: the peer stopped answering: a connect's SYNs went "
			  "unanswered through every retry (net.ipv4.tcp_syn_retries), or a "
			  "connection's data or keepalives were never acknowledged",
	[OUT_ENETUNREACH] = "ENETUNREACH: no route leads to that network (no interface or "
			    "default route covers it), so nothing was sent",
	[OUT_EHOSTUNREACH] = "EHOSTUNREACH: the host could not be reached: nothing answered "
			     "ARP on the local network, or a router (or a firewall's reject) sent "
			     "back an ICMP host unreachable",
	[OUT_ENOTCONN] = "ENOTCONN: the socket has no peer: not connected yet, never (a "
			 "listener, an unconnected UDP socket), or no longer",
	[OUT_ECANCELED] = "ECANCELED: the request was cancelled before it completed (an "
			  "io_uring cancel, or its ring closing); a multishot request posts no "
			  "more completions after this one",
	[OUT_RST_SENT] = "RST sent: the connection was reset, not closed with a FIN, because "
			 "bytes that arrived were never read (or SO_LINGER 0, or "
			 "connect(AF_UNSPEC), asked for it): what was still queued is dropped, "
			 "and the peer's next call fails with ECONNRESET",
	[OUT_EINTR] = "EINTR: a signal's handler ran while the call waited, and the call is not "
		      "restarted (no SA_RESTART, or a wait such as poll, epoll_wait or "
		      "io_uring_enter, which never are): the process sees the error and decides",
};

static enum outcome outcome_of(const struct call *c)
{
	if (c->unfinished)
		return OUT_NONE;
	switch (c->err) {
	case 0:
		if (c->path.rst_sent)
			return OUT_RST_SENT;
		if (!c->req.is_req && c->sys->id == NT_SYS_CONNECT && c->dur_ns >= 900000000ull &&
		    c->sock.kind && !strncmp(c->sock.kind, "TCP", 3))
			return OUT_SYN_AGAIN;
		/* recvmmsg's 0 is of messages */
		return !c->ret && call_receives(c) &&
				       (c->req.is_req || c->sys->id != NT_SYS_RECVMMSG) &&
				       c->sock.valid && c->sock.type &&
				       !strcmp(c->sock.type, "SOCK_STREAM")
			       ? OUT_EOF
			       : OUT_NONE;
	case EAGAIN:
		return OUT_EAGAIN;
	case EINPROGRESS:
		return OUT_EINPROGRESS;
	case 512: /* ERESTARTSYS ... ERESTART_RESTARTBLOCK: the kernel's own */
	case 513:
	case 514:
	case 516:
		return OUT_RESTART;
	case ECONNREFUSED:
		return kind_of(c) == SK_UDP    ? OUT_ECONNREFUSED_UDP
		       : kind_of(c) == SK_UNIX ? OUT_ECONNREFUSED_UNIX
					       : OUT_ECONNREFUSED;
	case ECONNRESET:
		return kind_of(c) == SK_UNIX ? OUT_ECONNRESET_UNIX : OUT_ECONNRESET;
	case EPIPE:
		return OUT_EPIPE;
	case EMFILE:
		return OUT_EMFILE;
	case ENFILE:
		return OUT_ENFILE;
	case EADDRINUSE:
		return OUT_EADDRINUSE;
	case EADDRNOTAVAIL:
		return OUT_EADDRNOTAVAIL;
	case EACCES:
		return !c->req.is_req && c->sys->id == NT_SYS_BIND ? OUT_EACCES_BIND : OUT_NONE;
	case ETIMEDOUT:
		return OUT_ETIMEDOUT;
	case ENETUNREACH:
		return OUT_ENETUNREACH;
	case EHOSTUNREACH:
		return OUT_EHOSTUNREACH;
	case ENOTCONN:
		return OUT_ENOTCONN;
	case ECANCELED:
		return OUT_ECANCELED;
	case EINTR:
		return OUT_EINTR;
	}
	return OUT_NONE;
}

static int explain_outcome(const struct call *c, char *buf, size_t len)
{
	enum outcome o = outcome_of(c);

	if (o == OUT_NONE)
		return 0;
	snprintf(buf, len, "%s", outcome_sentences[o]);
	return 1;
}

static unsigned int explain_outcome_key(const struct call *c)
{
	return OUTCOME_KEY0 + outcome_of(c);
}

/*
 * Calls with one sentence share a key (accept and accept4, ...); a call whose
 * sentence depends on its socket's kind has a key per kind.  Requests' keys
 * come after the calls', then a key per argument's sentence (one per option
 * of setsockopt), and the outcomes' last.
 */
#define REQ_KEY0 (NT_SYS_MAX * SK_MAX)
#define REQ_KEYS 64 /* a key per io_uring opcode below it, room to spare */
#define ARG_KEY0 (REQ_KEY0 + REQ_KEYS)
_Static_assert(ARG_KEY0 + ARRAY_SIZE(arg_sentences) <= OUTCOME_KEY0,
	       "EXPLAIN_KEYS holds every key");
_Static_assert(ARRAY_SIZE(req_sentences) <= REQ_KEYS, "a key per request");

static unsigned int explain_key(const struct call *c)
{
	unsigned int sys;
	enum sock_kind k;
	int i;

	if (c->req.is_req)
		return c->req.opcode < REQ_KEYS ? REQ_KEY0 + c->req.opcode : EXPLAIN_KEYS;
	if ((i = arg_sentence(c)) >= 0)
		return ARG_KEY0 + i;
	sys = same_as(c->sys->id);
	k = kind_of(c);
	return sys * SK_MAX + (kind_sentences[k][sys] ? k : SK_TCP);
}

int explain_new(struct explained *e, const struct call *c, char out[2][EXPLAIN_TEXT_MAX])
{
	unsigned int keys[2] = {explain_key(c), explain_outcome_key(c)};
	int (*say[2])(const struct call *, char *, size_t) = {explain_call, explain_outcome};
	int n = 0;

	for (int i = 0; i < 2; i++) {
		if (keys[i] >= EXPLAIN_KEYS || e->said[keys[i]] ||
		    !say[i](c, out[n], EXPLAIN_TEXT_MAX))
			continue;
		e->said[keys[i]] = 1;
		n++;
	}
	return n;
}
