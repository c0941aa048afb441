// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The hook table; see hooks.h. */
#include <string.h>
#include <linux/types.h>
#include "socktrace.h"
#include "hooks.h"

const char *const mech_names[] = {
	[MECH_AUTO] = "auto",	  [MECH_FENTRY] = "fentry",
	[MECH_KPROBE] = "kprobe", [MECH_TRACEPOINT] = "tracepoint",
	[MECH_NONE] = NULL,
};

const struct hook hooks[HOOK_MAX] = {
	[HOOK_SOCK_CREATE] = {"sock_create",
			      {NT_FN___SOCK_CREATE, NT_FN_INET_CREATE, NT_FN_INET6_CREATE,
			       NT_FN_UNIX_CREATE},
			      {},
			      {CG_SOCK_CREATE}},
	[HOOK_BIND] = {"bind",
		       {NT_FN___SYS_BIND, NT_FN_INET_BIND, NT_FN_INET6_BIND, NT_FN_UNIX_BIND},
		       {},
		       {CG_BIND4, CG_BIND6}},
	[HOOK_LISTEN] = {"listen",
			 {NT_FN___SYS_LISTEN, NT_FN_INET_LISTEN},
			 {NT_TP_INET_SOCK_SET_STATE}},
	[HOOK_ACCEPT] = {"accept", {NT_FN_DO_ACCEPT, NT_FN_INET_ACCEPT}, {NT_TP_SCHED_SWITCH}},
	[HOOK_CONNECT] = {"connect",
			  {NT_FN___SYS_CONNECT, NT_FN_INET_STREAM_CONNECT, NT_FN_TCP_V4_CONNECT,
			   NT_FN_TCP_V6_CONNECT},
			  {NT_TP_INET_SOCK_SET_STATE},
			  {CG_CONNECT4, CG_CONNECT6, CG_UNIX_CONNECT}},
	[HOOK_SENDMSG] = {"sendmsg",
			  {NT_FN_SOCK_SENDMSG, NT_FN___SOCK_SENDMSG, NT_FN_TCP_SENDMSG,
			   NT_FN_UDP_SENDMSG, NT_FN_UNIX_STREAM_SENDMSG, NT_FN_UNIX_DGRAM_SENDMSG,
			   NT_FN_TCP_SENDPAGE},
			  {NT_TP_TCP_SENDMSG_LOCKED, NT_TP_SOCK_SEND_LENGTH},
			  {CG_SENDMSG4, CG_SENDMSG6}},
	[HOOK_RECVMSG] = {"recvmsg",
			  {NT_FN_SOCK_RECVMSG, NT_FN_TCP_RECVMSG, NT_FN_UDP_RECVMSG,
			   NT_FN_UNIX_STREAM_RECVMSG, NT_FN_UNIX_DGRAM_RECVMSG,
			   NT_FN_TCP_SPLICE_READ},
			  {NT_TP_TCP_RCV_SPACE_ADJUST, NT_TP_SOCK_RECV_LENGTH, NT_TP_SCHED_SWITCH},
			  {CG_RECVMSG4, CG_RECVMSG6}},
	[HOOK_CLOSE] = {"close",
			{NT_FN_SOCK_CLOSE, NT_FN_INET_RELEASE},
			{NT_TP_INET_SOCK_SET_STATE},
			{CG_SOCK_RELEASE}},
	/* the socket functions under it come from the sendmsg/recvmsg hooks */
	[HOOK_URING] = {"io_uring",
			{NT_FN_IO_ISSUE_SQE, NT_FN_IO_ACCEPT, NT_FN_IO_CONNECT, NT_FN_IO_SEND,
			 NT_FN_IO_SENDMSG, NT_FN_IO_RECV, NT_FN_IO_RECVMSG},
			{NT_TP_SOCK_SEND_LENGTH, NT_TP_SOCK_RECV_LENGTH}},
	[HOOK_SHUTDOWN] = {"shutdown",
			   {NT_FN___SYS_SHUTDOWN, NT_FN_INET_SHUTDOWN, NT_FN_TCP_SHUTDOWN,
			    NT_FN_UNIX_SHUTDOWN},
			   {NT_TP_INET_SOCK_SET_STATE}},
};

const struct cg_hook_info cg_hooks[CG_MAX] = {
	[CG_SOCK_CREATE] = {"cg_sock_create", "BPF_CGROUP_INET_SOCK_CREATE",
			    "inet_create, inet6_create"},
	[CG_BIND4] = {"cg_bind4", "BPF_CGROUP_INET4_BIND", "inet_bind"},
	[CG_BIND6] = {"cg_bind6", "BPF_CGROUP_INET6_BIND", "inet6_bind"},
	[CG_CONNECT4] = {"cg_connect4", "BPF_CGROUP_INET4_CONNECT",
			 "tcp_v4_pre_connect, udp_pre_connect"},
	[CG_CONNECT6] = {"cg_connect6", "BPF_CGROUP_INET6_CONNECT",
			 "tcp_v6_pre_connect, udpv6_pre_connect"},
	[CG_SENDMSG4] = {"cg_sendmsg4", "BPF_CGROUP_UDP4_SENDMSG", "udp_sendmsg"},
	[CG_SENDMSG6] = {"cg_sendmsg6", "BPF_CGROUP_UDP6_SENDMSG", "udpv6_sendmsg"},
	[CG_RECVMSG4] = {"cg_recvmsg4", "BPF_CGROUP_UDP4_RECVMSG", "udp_recvmsg"},
	[CG_RECVMSG6] = {"cg_recvmsg6", "BPF_CGROUP_UDP6_RECVMSG", "udpv6_recvmsg"},
	[CG_SOCK_RELEASE] = {"cg_sock_release", "BPF_CGROUP_INET_SOCK_RELEASE", "inet_release"},
	[CG_UNIX_CONNECT] = {"cg_unix_connect", "BPF_CGROUP_UNIX_CONNECT",
			     "unix_stream_connect, unix_dgram_connect"},
};

static const char *const fn_names[NT_FN_MAX] = {
	[NT_FN___SOCK_CREATE] = "__sock_create",
	[NT_FN_INET_CREATE] = "inet_create",
	[NT_FN_INET6_CREATE] = "inet6_create",
	[NT_FN_UNIX_CREATE] = "unix_create",
	[NT_FN___SYS_BIND] = "__sys_bind",
	[NT_FN_INET_BIND] = "inet_bind",
	[NT_FN_INET6_BIND] = "inet6_bind",
	[NT_FN_UNIX_BIND] = "unix_bind",
	[NT_FN___SYS_LISTEN] = "__sys_listen",
	[NT_FN_INET_LISTEN] = "inet_listen",
	[NT_FN_DO_ACCEPT] = "do_accept",
	[NT_FN_INET_ACCEPT] = "inet_accept",
	[NT_FN___SYS_CONNECT] = "__sys_connect",
	[NT_FN_INET_STREAM_CONNECT] = "inet_stream_connect",
	[NT_FN_TCP_V4_CONNECT] = "tcp_v4_connect",
	[NT_FN_TCP_V6_CONNECT] = "tcp_v6_connect",
	[NT_FN_SOCK_SENDMSG] = "sock_sendmsg",
	[NT_FN___SOCK_SENDMSG] = "__sock_sendmsg",
	[NT_FN_TCP_SENDMSG] = "tcp_sendmsg",
	[NT_FN_UDP_SENDMSG] = "udp_sendmsg",
	[NT_FN_UNIX_STREAM_SENDMSG] = "unix_stream_sendmsg",
	[NT_FN_UNIX_DGRAM_SENDMSG] = "unix_dgram_sendmsg",
	[NT_FN_SOCK_RECVMSG] = "sock_recvmsg",
	[NT_FN_TCP_RECVMSG] = "tcp_recvmsg",
	[NT_FN_UDP_RECVMSG] = "udp_recvmsg",
	[NT_FN_UNIX_STREAM_RECVMSG] = "unix_stream_recvmsg",
	[NT_FN_UNIX_DGRAM_RECVMSG] = "unix_dgram_recvmsg",
	[NT_FN_SOCK_CLOSE] = "sock_close",
	[NT_FN_INET_RELEASE] = "inet_release",
	[NT_FN___SYS_SHUTDOWN] = "__sys_shutdown",
	[NT_FN_INET_SHUTDOWN] = "inet_shutdown",
	[NT_FN_TCP_SHUTDOWN] = "tcp_shutdown",
	[NT_FN_UNIX_SHUTDOWN] = "unix_shutdown",
	[NT_FN_UDPV6_SENDMSG] = "udpv6_sendmsg",
	[NT_FN_UDPV6_RECVMSG] = "udpv6_recvmsg",
	[NT_FN_TCP_V4_PRE_CONNECT] = "tcp_v4_pre_connect",
	[NT_FN_TCP_V6_PRE_CONNECT] = "tcp_v6_pre_connect",
	[NT_FN_UDP_PRE_CONNECT] = "udp_pre_connect",
	[NT_FN_UDPV6_PRE_CONNECT] = "udpv6_pre_connect",
	[NT_FN_UNIX_STREAM_CONNECT] = "unix_stream_connect",
	[NT_FN_UNIX_DGRAM_CONNECT] = "unix_dgram_connect",
	[NT_FN_CALLEE] = "?", /* named by its address, once the symbols are read */
	[NT_FN_TCP_SENDPAGE] = "tcp_sendpage",
	[NT_FN_TCP_SPLICE_READ] = "tcp_splice_read",
	[NT_FN_IO_ISSUE_SQE] = "io_issue_sqe",
	[NT_FN_IO_ACCEPT] = "io_accept",
	[NT_FN_IO_CONNECT] = "io_connect",
	[NT_FN_IO_SEND] = "io_send",
	[NT_FN_IO_SENDMSG] = "io_sendmsg",
	[NT_FN_IO_RECV] = "io_recv",
	[NT_FN_IO_RECVMSG] = "io_recvmsg",
	[NT_TP_SOCK_SEND_LENGTH] = "sock_send_length",
	[NT_TP_SOCK_RECV_LENGTH] = "sock_recv_length",
	[NT_TP_TCP_SENDMSG_LOCKED] = "tcp_sendmsg_locked",
	[NT_TP_TCP_RCV_SPACE_ADJUST] = "tcp_rcv_space_adjust",
	[NT_TP_INET_SOCK_SET_STATE] = "inet_sock_set_state",
	[NT_TP_SCHED_SWITCH] = "sched_switch",
	[NT_TP_URING_SUBMIT] = "io_uring_submit_req",
	[NT_TP_URING_POLL_ARM] = "io_uring_poll_arm",
	[NT_TP_URING_TASK_ADD] = "io_uring_task_add",
	[NT_TP_URING_QUEUE_ASYNC] = "io_uring_queue_async_work",
	[NT_TP_URING_FAILED] = "io_uring_req_failed",
	[NT_TP_URING_COMPLETE] = "io_uring_complete",
	[NT_TP_TCP_SEND_RESET] = "tcp_send_reset",
};

const char *fn_name(unsigned int fn)
{
	return fn < NT_FN_MAX ? fn_names[fn] : NULL;
}

int fn_is_tracepoint(unsigned int fn)
{
	return (fn >= NT_TP_SOCK_SEND_LENGTH && fn <= NT_TP_URING_COMPLETE) ||
	       fn == NT_TP_TCP_SEND_RESET;
}

int hook_of_sys(unsigned int sys)
{
	switch (sys) {
	case NT_SYS_SOCKET:
	case NT_SYS_SOCKETPAIR:
		return HOOK_SOCK_CREATE;
	case NT_SYS_BIND:
		return HOOK_BIND;
	case NT_SYS_LISTEN:
		return HOOK_LISTEN;
	case NT_SYS_ACCEPT:
	case NT_SYS_ACCEPT4:
		return HOOK_ACCEPT;
	case NT_SYS_CONNECT:
		return HOOK_CONNECT;
	case NT_SYS_SENDTO:
	case NT_SYS_SENDMSG:
	case NT_SYS_SENDMMSG:
	case NT_SYS_WRITE:
	case NT_SYS_WRITEV:
	case NT_SYS_SENDFILE:
	case NT_SYS_SPLICE: /* either way: probes.c hooks both */
		return HOOK_SENDMSG;
	case NT_SYS_RECVFROM:
	case NT_SYS_RECVMSG:
	case NT_SYS_RECVMMSG:
	case NT_SYS_READ:
	case NT_SYS_READV:
		return HOOK_RECVMSG;
	case NT_SYS_CLOSE:
		return HOOK_CLOSE;
	case NT_SYS_SHUTDOWN:
		return HOOK_SHUTDOWN;
	}
	return -1;
}

int mech_by_name(const char *name)
{
	for (int i = 0; i < MECH_NONE; i++)
		if (!strcmp(mech_names[i], name))
			return i;
	return -1;
}
