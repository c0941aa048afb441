/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The model the renderers read: one decoded call, one process event.
 * Decoding happens once; the text and JSON renderers only lay it out.
 */
#ifndef MODEL_H
#define MODEL_H

#include <stdint.h>
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
	char local[64];
	char peer[64];
	uint64_t ino;
	uint64_t peer_ino;
};

struct call {
	const struct sys_info *sys;
	uint64_t ts_ns; /* CLOCK_MONOTONIC at enter */
	uint64_t dur_ns;
	uint32_t pid, tid, cpu;
	char comm[17];
	int nargs;
	struct call_arg args[CALL_MAX_ARGS];
	long long ret;
	int err; /* errno when the call failed, else 0 */
	const char *err_name;
	char ret_detail[CALL_TEXT_MAX]; /* what came back beside ret: ready fds, events */
	struct call_sock sock;
	int truncated; /* some argument shows only a prefix */
	int fault;     /* some user memory could not be read */
};

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
