// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Turns the words given to `attach` into tgids, refusing what cannot be
 * traced (no such process, a kernel thread, a zombie, socktrace itself) with
 * one line each.  A NAME matches /proc/PID/comm exactly, like pgrep -x NAME;
 * :PORT the processes with a socket listening on it, like fuser PORT/tcp.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "log.h"
#include "targets.h"
#include "util.h"

#define PF_KTHREAD    0x00200000
#define TASK_COMM_LEN 16 /* the kernel's, its NUL included */

/* /proc/PID/WHAT's first len - 1 bytes, NUL-terminated ("" if gone); their count. */
static size_t proc_read(long pid, const char *what, char *buf, size_t len)
{
	char path[64];
	size_t n = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%ld/%s", pid, what);
	f = fopen(path, "r");
	if (f) {
		n = fread(buf, 1, len - 1, f);
		fclose(f);
	}
	buf[n] = 0;
	return n;
}

void proc_comm(uint32_t pid, char *buf, size_t len)
{
	proc_read(pid, "comm", buf, len);
	buf[strcspn(buf, "\n")] = 0;
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

/* The process thread tid belongs to (tid itself for a main thread), 0 if unknown. */
static uint32_t proc_tgid(uint32_t tid)
{
	char path[64], line[128];
	unsigned int tgid = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%u/status", tid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f) && sscanf(line, "Tgid: %u", &tgid) != 1)
		;
	fclose(f);
	return tgid;
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

int targets_add(struct targets *t, uint32_t pid)
{
	for (int i = 0; i < t->n; i++)
		if (t->pids[i] == pid)
			return 0;
	if (t->n == TARGETS_MAX)
		return -ENOSPC;
	t->pids[t->n++] = pid;
	return 0;
}

/* Said once, by whichever word found one process too many. */
static int too_many(const char *word)
{
	err("'%s' brings the processes to trace past %d, the most socktrace attaches to at "
	    "once: name fewer",
	    word, TARGETS_MAX);
	return -ENOSPC;
}

/*
 * Adds every traceable process that match says is one; returns how many, or
 * -errno after a line when /proc cannot be read (-ENOSPC, unsaid, when the
 * table is full).  With no t, the first that matches is checked aloud, to say
 * why none could be traced: 1 if one matched.
 */
static int add_matching(struct targets *t, int (*match)(long pid, const void *arg), const void *arg)
{
	DIR *d = opendir("/proc");
	struct dirent *de;
	int found = 0;
	long pid;

	if (!d) {
		err("failed to read /proc: %s", strerror(errno));
		return -errno;
	}
	while ((de = readdir(d))) {
		if (parse_long(de->d_name, 1, 0x7fffffff, &pid) || !match(pid, arg))
			continue;
		if (!t) {
			check_pid(pid, 1);
			found = 1;
			break;
		}
		if (!check_pid(pid, 0))
			continue;
		if (targets_add(t, pid)) {
			found = -ENOSPC;
			break;
		}
		found++;
	}
	closedir(d);
	return found;
}

/* The base name of the process's argv[0], "" if unreadable. */
static void proc_argv0(long pid, char *buf, size_t len)
{
	char arg[4096];
	const char *base;
	size_t n;

	proc_read(pid, "cmdline", arg, sizeof(arg)); /* argv[0] ends at its NUL */
	base = strrchr(arg, '/') ? strrchr(arg, '/') + 1 : arg;
	n = strnlen(base, len - 1);
	memcpy(buf, base, n);
	buf[n] = 0;
}

/*
 * The kernel keeps 15 bytes of a name (TASK_COMM_LEN): a longer one matches
 * a process whose name is its first 15 and whose argv[0] is the whole of it,
 * where pgrep -x would match nothing.
 */
static int named(long pid, const void *name)
{
	char comm[64], argv0[256];

	proc_comm(pid, comm, sizeof(comm));
	if (strlen(name) < TASK_COMM_LEN)
		return !strcmp(comm, name);
	if (strncmp(comm, name, TASK_COMM_LEN - 1) || strlen(comm) != TASK_COMM_LEN - 1)
		return 0;
	proc_argv0(pid, argv0, sizeof(argv0));
	return !strcmp(argv0, name);
}

static int by_name(const char *name, struct targets *t)
{
	int found = add_matching(t, named, name);

	if (found == -ENOSPC)
		return too_many(name);
	if (!found && !add_matching(NULL, named, name))
		err("no process named '%s' (names match exactly, as pgrep -x does; try pgrep -f to "
		    "find its pid)",
		    name);
	if (!found)
		return -ESRCH;
	return found < 0 ? found : 0;
}

#define PORT_INODES_MAX 64

/*
 * The inodes of the sockets bound to port: TCP ones listening, UDP ones
 * bound, IPv4 and IPv6, as ss -ltun lists them, in the network namespace
 * whose tables are under net (/proc/net: socktrace's own).
 */
static int port_inodes(unsigned int port, const char *net, unsigned long *inodes, int max)
{
	static const char *const tables[] = {"tcp", "tcp6", "udp", "udp6"};
	char line[512], path[64];
	int n = 0;

	for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
		FILE *f;
		int tcp = i < 2;

		snprintf(path, sizeof(path), "%s/%s", net, tables[i]);
		if (!(f = fopen(path, "r")))
			continue;
		while (fgets(line, sizeof(line), f) && n < max) {
			unsigned int lport, st;
			unsigned long ino;

			/* sl local rem st tx:rx tr:when retrnsmt uid timeout inode */
			if (sscanf(line,
				   " %*d: %*[0-9A-Fa-f]:%x %*[0-9A-Fa-f]:%*x %x %*s %*s %*s %*s "
				   "%*s %lu",
				   &lport, &st, &ino) != 3)
				continue; /* the header */
			if (lport == port && ino && (!tcp || st == 0x0a /* TCP_LISTEN */))
				inodes[n++] = ino;
		}
		fclose(f);
	}
	return n;
}

struct port_socks {
	unsigned long inodes[PORT_INODES_MAX];
	int n;
};

#define NETNS_MAX 256

/*
 * A server in a container listens in a network namespace of its own, which
 * /proc/net does not show: each other namespace's tables are read through
 * the first process found in it. Socket inodes are unique across them all.
 */
static void port_inodes_elsewhere(unsigned int port, struct port_socks *ps)
{
	unsigned long seen[NETNS_MAX];
	int nseen = 0, known;
	char path[64];
	struct dirent *de;
	struct stat st;
	long pid;
	DIR *d;

	if (stat("/proc/self/ns/net", &st) || !(d = opendir("/proc")))
		return;
	seen[nseen++] = st.st_ino;
	while ((de = readdir(d)) && ps->n < PORT_INODES_MAX) {
		snprintf(path, sizeof(path), "/proc/%.20s/ns/net", de->d_name);
		if (parse_long(de->d_name, 1, 0x7fffffff, &pid) || stat(path, &st))
			continue;
		known = 0;
		for (int i = 0; i < nseen && !known; i++)
			known = seen[i] == st.st_ino;
		if (known)
			continue;
		if (nseen < NETNS_MAX) /* past it, a namespace may be read twice, none missed */
			seen[nseen++] = st.st_ino;
		snprintf(path, sizeof(path), "/proc/%ld/net", pid);
		ps->n += port_inodes(port, path, ps->inodes + ps->n, PORT_INODES_MAX - ps->n);
	}
	closedir(d);
}

/* The sockets pid holds in its fds, those among ps only unless ps is NULL. */
static int count_sockets(long pid, const struct port_socks *ps)
{
	char path[320], link[64];
	struct dirent *fe;
	int n = 0;
	DIR *fds;

	snprintf(path, sizeof(path), "/proc/%ld/fd", pid);
	if (!(fds = opendir(path)))
		return 0;
	while ((fe = readdir(fds))) {
		unsigned long ino;
		ssize_t len;
		int in = !ps;

		snprintf(path, sizeof(path), "/proc/%ld/fd/%s", pid, fe->d_name);
		len = readlink(path, link, sizeof(link) - 1);
		if (len <= 0)
			continue;
		link[len] = 0;
		if (sscanf(link, "socket:[%lu]", &ino) != 1)
			continue;
		for (int i = 0; ps && i < ps->n && !in; i++)
			in = ps->inodes[i] == ino;
		n += in;
	}
	closedir(fds);
	return n;
}

static int holds_socket(long pid, const void *arg)
{
	return count_sockets(pid, arg) > 0;
}

int proc_sockets(uint32_t pid)
{
	return count_sockets(pid, NULL);
}

/* The processes holding one of the port's sockets in an fd, as fuser PORT/tcp finds them. */
static int by_port(const char *word, struct targets *t)
{
	struct port_socks ps;
	long port;
	int found;

	if (parse_port(word + 1, &port)) /* cli.c said why */
		return -EINVAL;
	ps.n = port_inodes(port, "/proc/net", ps.inodes, PORT_INODES_MAX);
	if (!ps.n) {
		port_inodes_elsewhere(port, &ps);
		if (!ps.n) {
			err("nothing listens on port %ld (TCP or UDP, in any network namespace)",
			    port);
			return -ESRCH;
		}
		err("port %ld listens in another network namespace than socktrace's (a "
		    "container's?): tracing what holds it there",
		    port);
	}
	found = add_matching(t, holds_socket, &ps);
	if (found == -ENOSPC)
		return too_many(word);
	if (!found) {
		err("port %ld's socket is in no process socktrace can trace (the kernel's own, "
		    "or another namespace's)",
		    port);
		return -ESRCH;
	}
	return found < 0 ? found : 0;
}

void targets_prune(struct targets *t)
{
	int j = 0;

	for (int i = 0; i < t->n; i++)
		if (proc_alive(t->pids[i]))
			t->pids[j++] = t->pids[i];
	t->n = j;
}

/*
 * "nginx (pids 7, 8, 9)", or by name when they differ: "epoll-server (pid 7),
 * poll-server (pid 8)", so no process is named for another.
 */
static void describe(struct targets *t)
{
	enum { PIDS_SHOWN = 8 };
	static char comms[TARGETS_MAX][64];
	static unsigned char named[TARGETS_MAX];
	size_t o = 0, len = sizeof(t->desc);

	for (int i = 0; i < t->n; i++) {
		proc_comm(t->pids[i], comms[i], sizeof(comms[i]));
		printable(comms[i]);
		named[i] = 0;
	}
	for (int i = 0; i < t->n && o < len; i++) {
		int same = 0, shown = 0;

		if (named[i])
			continue;
		for (int j = i; j < t->n; j++)
			same += !strcmp(comms[j], comms[i]);
		o += snprintf(t->desc + o, len - o, "%s%s (pid%s", o ? ", " : "", comms[i],
			      same > 1 ? "s" : "");
		for (int j = i; j < t->n && o < len; j++) {
			if (named[j] || strcmp(comms[j], comms[i]))
				continue;
			named[j] = 1;
			if (shown++ < PIDS_SHOWN)
				o += snprintf(t->desc + o, len - o, "%s%u", shown > 1 ? ", " : " ",
					      t->pids[j]);
		}
		if (o < len)
			o += snprintf(t->desc + o, len - o, "%s)",
				      shown > PIDS_SHOWN ? ", ..." : "");
	}
}

int targets_resolve(char **words, int nwords, struct targets *t)
{
	char comm[64];
	uint32_t tgid;
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
			/* /proc answers for a thread's id too, hidden from its listing */
			tgid = proc_tgid(pid);
			if (tgid && tgid != pid) {
				proc_comm(tgid, comm, sizeof(comm));
				printable(comm);
				snprintf(t->note, sizeof(t->note),
					 "%ld is a thread of %s (pid %u): tracing the whole "
					 "process, every thread",
					 pid, comm, tgid);
				pid = tgid;
			}
			if (targets_add(t, pid))
				return too_many(w);
		} else if ((ret = w[0] == ':' ? by_port(w, t) : by_name(w, t))) {
			return ret;
		}
	}
	describe(t);
	return 0;
}

size_t targets_fmt_pids(const struct targets *t, int max, char *buf, size_t len)
{
	size_t o = snprintf(buf, len, "pid%s", t->n > 1 ? "s" : "");

	for (int i = 0; i < t->n && i < max && o < len; i++)
		o += snprintf(buf + o, len - o, "%s%u", i ? ", " : " ", t->pids[i]);
	if (t->n > max && o < len)
		o += snprintf(buf + o, len - o, ", ...");
	return o < len ? o : len - 1;
}
