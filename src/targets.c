// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Turns the words given to `attach` into tgids, refusing what cannot be
 * traced (no such process, a kernel thread, a zombie, socktrace itself) with
 * one line each.  A NAME matches /proc/PID/comm exactly, like pgrep NAME.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "log.h"
#include "targets.h"
#include "util.h"

#define PF_KTHREAD 0x00200000

void proc_comm(uint32_t pid, char *buf, size_t len)
{
	char path[64];
	FILE *f;

	buf[0] = 0;
	snprintf(path, sizeof(path), "/proc/%u/comm", pid);
	f = fopen(path, "r");
	if (!f)
		return;
	if (fgets(buf, len, f))
		buf[strcspn(buf, "\n")] = 0;
	fclose(f);
}

/* state and flags from /proc/PID/stat; -ENOENT if there is no such process */
static int proc_stat(uint32_t pid, char *state, unsigned long *flags)
{
	char path[64], line[1024], *p;
	FILE *f;
	int n;

	snprintf(path, sizeof(path), "/proc/%u/stat", pid);
	f = fopen(path, "r");
	if (!f)
		return -ENOENT;
	p = fgets(line, sizeof(line), f);
	fclose(f);
	/* the comm may hold spaces and parens: fields resume after the last ')' */
	if (!p || !(p = strrchr(line, ')')))
		return -EINVAL;
	n = sscanf(p + 2, "%c %*d %*d %*d %*d %*d %lu", state, flags);
	return n == 2 ? 0 : -EINVAL;
}

int proc_alive(uint32_t pid)
{
	char state;
	unsigned long flags;

	return !proc_stat(pid, &state, &flags) && state != 'Z' && state != 'X';
}

/* 1 traceable, 0 not (message logged when loud) */
static int check_pid(uint32_t pid, int loud)
{
	char state;
	unsigned long flags;

	if (proc_stat(pid, &state, &flags)) {
		if (loud)
			err("no process with pid %u", pid);
		return 0;
	}
	if (pid == (uint32_t)getpid()) {
		if (loud)
			err("pid %u is socktrace itself: give the pid of another process", pid);
		return 0;
	}
	if (flags & PF_KTHREAD) {
		if (loud)
			err("pid %u is a kernel thread: it makes no socket calls to trace", pid);
		return 0;
	}
	if (state == 'Z' || state == 'X') {
		if (loud)
			err("pid %u has exited (a zombie waiting for its parent): nothing to trace",
			    pid);
		return 0;
	}
	return 1;
}

void targets_add(struct targets *t, uint32_t pid)
{
	for (int i = 0; i < t->n; i++)
		if (t->pids[i] == pid)
			return;
	if (t->n < TARGETS_MAX)
		t->pids[t->n++] = pid;
}

static int by_name(const char *name, struct targets *t)
{
	DIR *d = opendir("/proc");
	struct dirent *de;
	char comm[64];
	int found = 0;
	long pid;

	if (!d) {
		err("failed to read /proc: %s", strerror(errno));
		return -errno;
	}
	while ((de = readdir(d))) {
		if (parse_long(de->d_name, 1, 0x7fffffff, &pid))
			continue;
		proc_comm(pid, comm, sizeof(comm));
		if (strcmp(comm, name) || !check_pid(pid, 0))
			continue;
		targets_add(t, pid);
		found++;
	}
	closedir(d);
	if (!found) {
		err("no process named '%s' (names match exactly, as pgrep does; try pgrep -f to "
		    "find its pid)",
		    name);
		return -ESRCH;
	}
	return 0;
}

void targets_prune(struct targets *t)
{
	int j = 0;

	for (int i = 0; i < t->n; i++)
		if (proc_alive(t->pids[i]))
			t->pids[j++] = t->pids[i];
	t->n = j;
}

int targets_resolve(char **words, int nwords, struct targets *t)
{
	char comm[64];
	size_t o;
	long pid;
	int ret;

	memset(t, 0, sizeof(*t));
	for (int i = 0; i < nwords; i++) {
		const char *w = words[i];

		if (isdigit((unsigned char)w[0])) {
			if (parse_long(w, 1, TARGET_PID_MAX, &pid)) {
				err("invalid pid '%s'", w);
				return -EINVAL;
			}
			if (!check_pid(pid, 1))
				return -ESRCH;
			targets_add(t, pid);
		} else if ((ret = by_name(w, t))) {
			return ret;
		}
	}
	proc_comm(t->pids[0], comm, sizeof(comm));
	o = snprintf(t->desc, sizeof(t->desc), "%s (pid%s", comm, t->n > 1 ? "s" : "");
	for (int i = 0; i < t->n && o < sizeof(t->desc); i++)
		o += snprintf(t->desc + o, sizeof(t->desc) - o, "%s%u", i ? ", " : " ", t->pids[i]);
	if (o < sizeof(t->desc))
		snprintf(t->desc + o, sizeof(t->desc) - o, ")");
	return 0;
}
