// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Path assembly from hits, with a made-up symbol table and stacks. */
#include "hooks.h"
#include "kpath.h"
#include "unit.h"

static struct ksyms *ks;

static const struct ksyms *get_ksyms(void *ctx)
{
	(void)ctx;
	return ks;
}

/* stack 1: a tracepoint in tcp_v4_connect, seen from tp_btf (innermost first) */
static const uint64_t stack1[] = {
	0xffffffffc3c81000, 0x1000, 0x1100, 0x1200, 0x1300, 0x1400, 0x1500, 0x1600, 0x1700};
/* stack 2: the same tracepoint from a softirq inside the call */
static const uint64_t stack2[] = {0x1100, 0x1200, 0x1800, 0x1900, 0x1400, 0x1500, 0x1600};

static int get_stack(void *ctx, int id, uint64_t *frames, int max)
{
	const uint64_t *s = id == 1 ? stack1 : stack2;
	int n = id == 1 ? 9 : 7;

	(void)ctx;
	memcpy(frames, s, (n < max ? n : max) * sizeof(*frames));
	return n;
}

static struct call call_of(unsigned int sys)
{
	struct call c;

	memset(&c, 0, sizeof(c));
	c.sys = sys_by_id(sys);
	return c;
}

static void hit(struct call *c, unsigned int fn, int point, int depth, uint32_t dur, int val,
		int stackid)
{
	struct path_hit *h = &c->path.hits[c->path.nhits++];

	h->fn = fn;
	h->name = fn_name(fn);
	h->point = point;
	h->exited = !point && dur;
	h->dur_ns = dur;
	h->val = val;
	h->depth = depth;
	h->stackid = stackid;
}

int main(void)
{
	static const char syms[] = "0000000000001000 T bpf_trace_run3\n"
				   "0000000000001100 T inet_sk_state_store\n"
				   "0000000000001200 T tcp_v4_connect\n"
				   "0000000000001300 T __inet_stream_connect\n"
				   "0000000000001400 T inet_stream_connect\n"
				   "0000000000001500 T __sys_connect\n"
				   "0000000000001600 T __x64_sys_connect\n"
				   "0000000000001700 T do_syscall_64\n"
				   "0000000000001800 T net_rx_action\n"
				   "0000000000001900 T __do_softirq\n"
				   "0000000000002000 T unix_stream_sendmsg\n"
				   "ffffffffc0000000 T unrelated\n";
	FILE *f = fmemopen((void *)syms, sizeof(syms) - 1, "r");
	const char *notes[HOOK_MAX] = {[HOOK_SOCK_CREATE] = "no tracepoint on its way"};
	struct kpath_ctx k = {.stack = get_stack, .ksyms = get_ksyms, .hook_note = notes};
	struct call c;

	ks = ksyms__parse(f);
	fclose(f);

	/* fentry/kprobe hits: names in order, the deepest timed one's duration and bytes */
	c = call_of(NT_SYS_SENDTO);
	hit(&c, NT_FN_SOCK_SENDMSG, 0, 0, 15000, 78, -1);
	hit(&c, NT_FN_TCP_SENDMSG, 0, 1, 11000, 78, -1);
	kpath_build(&k, &c);
	t_streq(c.path.line, "sock_sendmsg → tcp_sendmsg (78 B, 11.0µs)");
	t_check(c.path.note == NULL);

	c = call_of(NT_SYS_CONNECT);
	hit(&c, NT_FN_INET_STREAM_CONNECT, 0, 0, 40000, -115, -1);
	hit(&c, NT_FN_TCP_V4_CONNECT, 0, 1, 30000, 0, -1);
	hit(&c, NT_TP_INET_SOCK_SET_STATE, 1, 2, 0, 7 << 8 | 2, -1);
	hit(&c, NT_TP_INET_SOCK_SET_STATE, 1, 2, 0, 2 << 8 | 1, -1);
	kpath_build(&k, &c);
	t_streq(c.path.line, "inet_stream_connect → tcp_v4_connect (30.0µs)");
	t_streq(c.path.states, "CLOSE → SYN_SENT → ESTABLISHED");

	/* a close in FIN_WAIT1 sets it again: a state kept is no change */
	c = call_of(NT_SYS_CLOSE);
	hit(&c, NT_TP_INET_SOCK_SET_STATE, 1, 0, 0, 4 << 8 | 4, -1);
	hit(&c, NT_TP_INET_SOCK_SET_STATE, 1, 0, 0, 4 << 8 | 5, -1);
	hit(&c, NT_TP_INET_SOCK_SET_STATE, 1, 0, 0, 5 << 8 | 7, -1);
	kpath_build(&k, &c);
	t_streq(c.path.states, "FIN_WAIT1 → FIN_WAIT2 → CLOSE");
	c = call_of(NT_SYS_CLOSE);
	hit(&c, NT_TP_INET_SOCK_SET_STATE, 1, 0, 0, 4 << 8 | 4, -1);
	kpath_build(&k, &c);
	t_streq(c.path.states, "FIN_WAIT1");

	/* tracepoint hits: the frames between the syscall and the hook, outermost first;
	 * the stack from the softirq loses to the one in the call's own context */
	c = call_of(NT_SYS_CONNECT);
	hit(&c, NT_TP_INET_SOCK_SET_STATE, 1, 0, 0, 7 << 8 | 2, 2);
	hit(&c, NT_TP_INET_SOCK_SET_STATE, 1, 0, 0, 2 << 8 | 1, 1);
	kpath_build(&k, &c);
	t_streq(c.path.line, "__sys_connect → inet_stream_connect → __inet_stream_connect → "
			     "tcp_v4_connect → inet_sk_state_store");

	/* -k: every stack, symbolized, innermost first, from the hooked function
	 * (the BPF program's unnamed frame and bpf_trace_run3 left out) */
	k.want_stacks = 1;
	kpath_build(&k, &c);
	t_check(c.path.nstacks == 2 && c.path.stack_hit[1] == 1);
	t_streq(c.path.stacks[1], "inet_sk_state_store+0x0 ← tcp_v4_connect+0x0 ← "
				  "__inet_stream_connect+0x0 ← inet_stream_connect+0x0 ← "
				  "__sys_connect+0x0 ← __x64_sys_connect+0x0 ← do_syscall_64+0x0");

	/* a cgroup hook alone: the function it ran in */
	k.want_stacks = 0;
	c = call_of(NT_SYS_SOCKET);
	hit(&c, NT_FN_INET6_CREATE, 1, 0, 0, 0, -1);
	c.path.hits[0].site = 1;
	kpath_build(&k, &c);
	t_streq(c.path.line, "inet6_create");
	/* after a stack that shows more (a TCP connect's state change): left out */
	c = call_of(NT_SYS_CONNECT);
	hit(&c, NT_FN_TCP_V4_PRE_CONNECT, 1, 0, 0, 0, -1);
	c.path.hits[0].site = 1;
	hit(&c, NT_TP_INET_SOCK_SET_STATE, 1, 0, 0, 7 << 8 | 2, 1);
	kpath_build(&k, &c);
	t_streq(c.path.line, "__sys_connect → inet_stream_connect → __inet_stream_connect → "
			     "tcp_v4_connect → inet_sk_state_store");
	/* after the stack where recvmsg returned: one deeper, each function once */
	c = call_of(NT_SYS_RECVFROM);
	hit(&c, NT_FN_UDP_RECVMSG, 1, 0, 0, 0, -1);
	c.path.hits[0].site = 1;
	hit(&c, NT_FN_TCP_V4_CONNECT, 1, 0, 0, 0, -1);
	c.path.hits[1].site = 1;
	hit(&c, NT_TP_SOCK_RECV_LENGTH, 1, 0, 0, 5, 1);
	kpath_build(&k, &c);
	t_streq(c.path.line, "__sys_connect → inet_stream_connect → __inet_stream_connect → "
			     "tcp_v4_connect → inet_sk_state_store → udp_recvmsg");

	/* a callee: named by its address, one step deeper, not twice; unnamed: no step */
	c = call_of(NT_SYS_SENDTO);
	hit(&c, NT_TP_SOCK_SEND_LENGTH, 1, 0, 0, 5, 1);
	hit(&c, NT_FN_CALLEE, 1, 0, 0, 0, -1);
	c.path.hits[1].site = 1;
	c.path.hits[1].callee = 0x2000;
	kpath_build(&k, &c);
	t_streq(c.path.hits[1].name, "unix_stream_sendmsg");
	t_streq(c.path.line, "__sys_connect → inet_stream_connect → __inet_stream_connect → "
			     "tcp_v4_connect → inet_sk_state_store → unix_stream_sendmsg");
	c.path.hits[1].name = fn_name(NT_FN_CALLEE);
	c.path.hits[1].callee = 0x2010; /* inside a function, not its start: not a callee */
	kpath_build(&k, &c);
	t_streq(c.path.line, "__sys_connect → inet_stream_connect → __inet_stream_connect → "
			     "tcp_v4_connect → inet_sk_state_store");
	c.path.hits[1].callee = 0x2000;
	c.path.nhits = 1;
	hit(&c, NT_FN_CALLEE, 1, 0, 0, 0, -1);
	c.path.hits[1].site = 1;
	c.path.hits[1].callee = 0x2000;
	c.path.hits[0].stackid = -1; /* the callee alone */
	kpath_build(&k, &c);
	t_streq(c.path.line, "unix_stream_sendmsg");

	/* no hits: the hook's note, never a guessed path */
	c = call_of(NT_SYS_SOCKET);
	kpath_build(&k, &c);
	t_streq(c.path.line, "");
	t_streq(c.path.note, "no tracepoint on its way");
	/* calls with no hook get no path line at all */
	c = call_of(NT_SYS_EPOLL_WAIT);
	kpath_build(&k, &c);
	t_check(c.path.note == NULL && !*c.path.line);
	ksyms__free(ks);
	return t_done();
}
