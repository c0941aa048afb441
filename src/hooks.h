/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The kernel-path hooks: those the mission names (sock_create, bind, listen,
 * accept, connect, sendmsg, recvmsg, close, and an io_uring request) and
 * shutdown.  For each, the kernel functions it may hook and the in-kernel
 * tracepoints and cgroup socket hooks that stand in for them when neither
 * fentry nor kprobes exist.  Pure data shared by probes.c (what to attach)
 * and kpath.c (how to name what was hit).
 */
#ifndef HOOKS_H
#define HOOKS_H

#include "poison.h"

enum mech { MECH_AUTO, MECH_FENTRY, MECH_KPROBE, MECH_TRACEPOINT, MECH_NONE };

#define HOOK_FNS_MAX 8
#define HOOK_TPS_MAX 3
#define HOOK_CGS_MAX 3

/*
 * The cgroup socket hooks that stand in, beside the tracepoints, where
 * neither fentry nor kprobes exist: each runs inside a known kernel function
 * for every socket on the machine (path.bpf.c's cg_* programs).
 */
enum cg_hook {
	CG_NONE,
	CG_SOCK_CREATE,
	CG_BIND4,
	CG_BIND6,
	CG_CONNECT4,
	CG_CONNECT6,
	CG_SENDMSG4,
	CG_SENDMSG6,
	CG_RECVMSG4,
	CG_RECVMSG6,
	CG_SOCK_RELEASE,
	CG_UNIX_CONNECT,
	CG_MAX
};

struct cg_hook_info {
	const char *prog;	 /* the BPF program */
	const char *attach_type; /* its name in the kernel's enum bpf_attach_type */
	const char *where;	 /* the functions it runs in */
};

extern const struct cg_hook_info cg_hooks[CG_MAX];

struct hook {
	const char *name;
	unsigned int fns[HOOK_FNS_MAX]; /* enum nt_fn, 0-terminated */
	unsigned int tps[HOOK_TPS_MAX]; /* enum nt_fn NT_TP_*, 0-terminated */
	unsigned int cgs[HOOK_CGS_MAX]; /* enum cg_hook, 0-terminated */
};

enum hook_id {
	HOOK_SOCK_CREATE,
	HOOK_BIND,
	HOOK_LISTEN,
	HOOK_ACCEPT,
	HOOK_CONNECT,
	HOOK_SENDMSG,
	HOOK_RECVMSG,
	HOOK_CLOSE,
	HOOK_URING,    /* an io_uring request, issued by io_issue_sqe */
	HOOK_SHUTDOWN, /* after io_uring: recordings number their hook notes */
	HOOK_MAX
};

extern const struct hook hooks[HOOK_MAX];
/* Indexed by enum mech, NULL-terminated at MECH_NONE: also the --mechanism words. */
extern const char *const mech_names[];

/* The kernel name of a function or tracepoint id, NULL if unknown. */
const char *fn_name(unsigned int fn);
/* Is fn one of the NT_TP_* tracepoints? */
int fn_is_tracepoint(unsigned int fn);
/* The hook whose path a syscall (enum nt_sys) takes, or -1. */
int hook_of_sys(unsigned int sys);
/* "auto", "fentry", ... -> enum mech, -1 if unknown */
int mech_by_name(const char *name);

#endif /* HOOKS_H */
