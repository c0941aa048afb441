/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* `attach` targets: PID or exact process name -> live, traceable tgids (via /proc). */
#ifndef TARGETS_H
#define TARGETS_H

#include <stddef.h>
#include <stdint.h>
#include "poison.h"

#define TARGETS_MAX 1024
/* The kernel's PID_MAX_LIMIT: no pid is larger (pid_max cannot be set higher). */
#define TARGET_PID_MAX 4194304

struct targets {
	uint32_t pids[TARGETS_MAX];
	int n;
	char desc[256]; /* "python3 (pid 4242)" */
	char note[160]; /* a thread's id given for its process: which, "" if none */
};

/* 0, or -errno after logging one line that names the problem. */
int targets_resolve(char **words, int nwords, struct targets *t);
/* Adds pid unless it is there already; -ENOSPC if the table is full. */
int targets_add(struct targets *t, uint32_t pid);
/* "pid 7", "pids 7, 8, 9": the first max, then ", ..."; the length written. */
size_t targets_fmt_pids(const struct targets *t, int max, char *buf, size_t len);
/* Drops the pids whose process has exited (zombies included). */
void targets_prune(struct targets *t);
/* The process's name from /proc, "" if gone. */
void proc_comm(uint32_t pid, char *buf, size_t len);
int proc_alive(uint32_t pid);
/* How many sockets the process holds in its fds (0 if gone). */
int proc_sockets(uint32_t pid);

#endif /* TARGETS_H */
