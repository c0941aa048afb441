// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * demo --compare: each backend's server under the same load from the load
 * client (run here, untraced), its system calls counted in the kernel
 * (counting mode: no records), then one table and what it shows.  Only what
 * was measured is said.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/types.h>
#include "socktrace.h"
#include "cmd_demo.h"
#include "compare.h"
#include "json.h"
#include "load.h"
#include "log.h"
#include "output.h"
#include "probes.h"
#include "util.h"
#include "xlat.h"

struct row {
	const char *backend;
	int sqpoll;
	const char *wait_call; /* the call it waits in */
	char label[24];
	struct load_result load;
	struct nt_count counts[NT_COUNT_SLOTS];
	uint64_t syscalls;    /* every syscall the server made while loaded */
	uint64_t completions; /* io_uring CQEs */
	double wait_avg_ns;
	int ok;
};

/* `socktrace serve B --port P`, its stdout on a pipe; waits for its "listening" line. */
static pid_t start_server(const char *self, const struct row *r, const char *host, int port)
{
	char portbuf[16], line[256];
	char *argv[] = {(char *)self, "serve",	(char *)r->backend, "--port",
			portbuf,      "--bind", (char *)host,	    r->sqpoll ? "--sqpoll" : NULL,
			NULL};
	struct pollfd pfd;
	int out[2];
	pid_t pid;
	ssize_t n;

	snprintf(portbuf, sizeof(portbuf), "%d", port);
	if (pipe2(out, O_CLOEXEC))
		return -1;
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		dup2(out[1], STDOUT_FILENO);
		execv(self, argv);
		_exit(127);
	}
	close(out[1]);
	pfd = (struct pollfd){.fd = out[0], .events = POLLIN};
	n = pid > 0 && poll(&pfd, 1, 5000) == 1 ? read(out[0], line, sizeof(line) - 1) : -1;
	close(out[0]); /* the server's summary line goes nowhere: SIGPIPE is ignored there */
	if (pid > 0 && n <= 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		return -1;
	}
	return pid;
}

static void measure(struct probes *p, const char *self, const struct config *cfg, struct row *r)
{
	struct load_opts lo = {
		.host = cfg->host,
		.connections = cfg->connections ? cfg->connections : 50,
		.idle = cfg->idle,
		.size = cfg->size ? cfg->size : 64,
		.requests = cfg->requests,
		.duration_ns = cfg->duration_set ? cfg->duration_ns : 3000000000ull,
		.slow_ms = -1,
	};
	struct timespec settle = {0, 100000000}; /* the server's last reads and closes */
	int status;
	pid_t pid;

	lo.port = demo_port(cfg);
	if (lo.port < 0 || (pid = start_server(self, r, cfg->host, lo.port)) < 0) {
		warn("%s: the server did not start", r->label);
		return;
	}
	probes__counts(p, r->counts); /* emptied: this backend counts from zero */
	probes__trace_pid(p, pid, 1);
	r->ok = !load_run(&lo, &r->load);
	nanosleep(&settle, NULL);
	probes__counts(p, r->counts);
	probes__trace_pid(p, pid, 0);
	stop_server_child(pid, &status);
	for (int i = 0; i < NT_SYS_MAX; i++)
		r->syscalls += r->counts[i].calls;
	for (int i = NT_SYS_MAX; i < NT_COUNT_SLOTS; i++)
		r->completions += r->counts[i].calls;
	{
		const struct sys_info *si = sys_by_name(r->wait_call);

		if (si && r->counts[si->id].calls)
			r->wait_avg_ns = (double)r->counts[si->id].ns / r->counts[si->id].calls;
	}
}

static double per_req(const struct row *r, uint64_t n)
{
	return r->load.round_trips ? (double)n / r->load.round_trips : 0;
}

/* "epoll_wait 0.98, read 1.00, sendto 1.00": the calls made per request, most first */
static void by_call(const struct row *r, char *buf, size_t len, int max)
{
	int used[NT_SYS_MAX] = {}, o = 0;

	buf[0] = 0;
	for (int k = 0; k < max; k++) {
		int best = -1;

		for (int i = 1; i < NT_SYS_MAX; i++)
			if (!used[i] && r->counts[i].calls &&
			    (best < 0 || r->counts[i].calls > r->counts[best].calls))
				best = i;
		if (best < 0)
			break;
		used[best] = 1;
		o += snprintf(buf + o, o < (int)len ? len - o : 0, "%s%s %.2f", k ? ", " : "",
			      sys_by_id(best)->name, per_req(r, r->counts[best].calls));
	}
	if (r->counts[0].calls)
		snprintf(buf + o, o < (int)len ? len - o : 0, "%sother %.2f", o ? ", " : "",
			 per_req(r, r->counts[0].calls));
}

/* A row the sentences compare: a backend whose round trips failed served another load. */
static int compared(const struct row *r)
{
	return r->ok && r->load.round_trips && !r->load.errors;
}

static const struct row *pick(const struct row *rows, int n, int most,
			      double (*key)(const struct row *))
{
	const struct row *best = NULL;

	for (int i = 0; i < n; i++)
		if (compared(&rows[i]) &&
		    (!best || (most ? key(&rows[i]) > key(best) : key(&rows[i]) < key(best))))
			best = &rows[i];
	return best;
}

static double calls_per_req(const struct row *r)
{
	return per_req(r, r->syscalls);
}

static double rate(const struct row *r)
{
	return r->load.secs > 0 ? r->load.round_trips / r->load.secs : 0;
}

static const struct row *find(const struct row *rows, int n, const char *label)
{
	for (int i = 0; i < n; i++)
		if (compared(&rows[i]) && !strcmp(rows[i].label, label))
			return &rows[i];
	return NULL;
}

/* Two or three sentences, each a comparison the table holds. */
static void summary(const struct row *rows, int n, int conns, int idle, char *buf, size_t len)
{
	const struct row *few = pick(rows, n, 0, calls_per_req),
			 *many = pick(rows, n, 1, calls_per_req), *fast = pick(rows, n, 1, rate),
			 *ep = find(rows, n, "epoll"), *ur = find(rows, n, "io_uring"),
			 *sq = find(rows, n, "io_uring+sqpoll"), *se = find(rows, n, "select"),
			 *po = find(rows, n, "poll");
	char a[32], b[32], c[32];
	size_t o = 0;

	for (int i = 0; i < n && o < len; i++)
		if (rows[i].ok && rows[i].load.errors)
			o += snprintf(
				buf + o, len - o,
				"%s: %llu round trip%s failed (first: %s)%s; its row is left "
				"out of what follows. ",
				rows[i].label, (unsigned long long)rows[i].load.errors,
				plural(rows[i].load.errors), rows[i].load.first_error,
				!strcmp(rows[i].label, "select")
					? ": the select server refuses a connection whose fd is "
					  "not below FD_SETSIZE (1024)"
					: "");
	if (!few || o >= len)
		return;
	o += snprintf(buf + o, len - o,
		      "Fewest system calls per request: %s (%.2f); most: %s (%.2f). ", few->label,
		      calls_per_req(few), many->label, calls_per_req(many));
	if (ur && ep && o < len)
		o += snprintf(
			buf + o, len - o,
			"io_uring passes requests and completions through rings shared with "
			"the kernel, so one io_uring_enter serves several: %.2f calls per request "
			"against epoll's %.2f%s",
			calls_per_req(ur), calls_per_req(ep), sq ? "" : ". ");
	if (ur && ep && sq && o < len)
		o += snprintf(buf + o, len - o,
			      "; with SQPOLL the kernel's own thread submits, leaving %.2f. ",
			      calls_per_req(sq));
	if (fast && o < len)
		o += snprintf(buf + o, len - o,
			      "Most round trips per second with %d connections here: %s (%.0f/s).",
			      conns, fast->label, rate(fast));
	if (idle && se && po && ep && se->wait_avg_ns && po->wait_avg_ns && ep->wait_avg_ns &&
	    o < len) {
		fmt_dur((uint64_t)se->wait_avg_ns, a, sizeof(a));
		fmt_dur((uint64_t)po->wait_avg_ns, b, sizeof(b));
		fmt_dur((uint64_t)ep->wait_avg_ns, c, sizeof(c));
		o += snprintf(
			buf + o, len - o,
			" With %d idle connections beside them, each select and poll call "
			"hands the kernel all %d fds to look at, and took %s and %s on average; "
			"epoll_wait, whose interest list the kernel keeps and which returns "
			"only the ready fds, took %s.",
			idle, conns + idle + 1, a, b, c);
	}
	if (ur && sq && rate(sq) < rate(ur) && o < len)
		snprintf(buf + o, len - o,
			 " SQPOLL made %.0f round trips/s against %.0f without: its kernel thread "
			 "polls on one of this machine's %ld CPUs.",
			 rate(sq), rate(ur), sysconf(_SC_NPROCESSORS_ONLN));
}

static void print_text(FILE *out, const struct row *rows, int n, const struct config *cfg,
		       const char *sum)
{
	char p50[32], p99[32], wait[32], calls[200], idle[40] = "";

	if (cfg->idle)
		snprintf(idle, sizeof(idle), " (and %d idle)", cfg->idle);
	fprintf(out,
		"socktrace demo --compare: %d connections%s, %u B messages, %s per backend; "
		"server system calls counted in the kernel\n\n",
		cfg->connections ? cfg->connections : 50, idle, cfg->size ? cfg->size : 64,
		cfg->requests ? "a fixed number of round trips" : "the same time");
	fprintf(out, "%-16s %10s %9s %9s %10s %12s %9s %16s  %s\n", "BACKEND", "ROUNDTRIP/S", "P50",
		"P99", "CALLS/REQ", "CROSSINGS/REQ", "CQES/REQ", "WAIT CALL AVG",
		"CALLS PER REQUEST");
	for (int i = 0; i < n; i++) {
		const struct row *r = &rows[i];

		if (!r->ok) {
			fprintf(out, "%-16s (failed: %s)\n", r->label,
				*r->load.first_error ? r->load.first_error : "see above");
			continue;
		}
		fmt_dur(r->load.p50_ns, p50, sizeof(p50));
		fmt_dur(r->load.p99_ns, p99, sizeof(p99));
		fmt_dur((uint64_t)r->wait_avg_ns, wait, sizeof(wait));
		by_call(r, calls, sizeof(calls), 4);
		fprintf(out, "%-16s %10.0f %9s %9s %10.2f %12.2f %9.2f %16s  %s\n", r->label,
			rate(r), p50, p99, calls_per_req(r), 2 * calls_per_req(r),
			per_req(r, r->completions), r->wait_avg_ns ? wait : "-", calls);
	}
	fprintf(out,
		"\nCROSSINGS: into the kernel and back, two per system call. WAIT CALL AVG: the "
		"average time in the call the server waits in (read for blocking's threads; "
		"pselect6, "
		"which glibc's select() calls; poll, epoll_wait, io_uring_enter).\n%s\n",
		sum);
}

static void print_json(FILE *out, const struct row *rows, int n, const struct config *cfg,
		       const char *sum)
{
	struct json j;

	json_init(&j, out);
	json_obj_begin(&j);
	json_kv_str(&j, "type", "compare");
	json_kv_uint(&j, "connections", cfg->connections ? cfg->connections : 50);
	json_kv_uint(&j, "idle", cfg->idle);
	json_key(&j, "backends");
	json_arr_begin(&j);
	for (int i = 0; i < n; i++) {
		const struct row *r = &rows[i];

		json_obj_begin(&j);
		json_kv_str(&j, "backend", r->label);
		json_key(&j, "ok"), json_bool(&j, r->ok);
		json_kv_uint(&j, "round_trips", r->load.round_trips);
		json_kv_uint(&j, "errors", r->load.errors);
		json_kv_uint(&j, "round_trips_per_s", (uint64_t)rate(r));
		json_kv_uint(&j, "p50_ns", r->load.p50_ns);
		json_kv_uint(&j, "p99_ns", r->load.p99_ns);
		json_kv_uint(&j, "syscalls", r->syscalls);
		json_kv_uint(&j, "other_syscalls", r->counts[0].calls);
		json_kv_uint(&j, "io_uring_completions", r->completions);
		json_key(&j, "calls");
		json_obj_begin(&j);
		for (int k = 1; k < NT_SYS_MAX; k++)
			if (r->counts[k].calls)
				json_kv_uint(&j, sys_by_id(k)->name, r->counts[k].calls);
		json_obj_end(&j);
		json_key(&j, "completions");
		json_obj_begin(&j);
		for (int k = NT_SYS_MAX; k < NT_COUNT_SLOTS; k++)
			if (r->counts[k].calls)
				json_kv_uint(&j, xlat_name(xlat_uring_op, k - NT_SYS_MAX) ?: "?",
					     r->counts[k].calls);
		json_obj_end(&j);
		json_kv_str(&j, "wait_call", r->wait_call);
		json_kv_uint(&j, "wait_avg_ns", (uint64_t)r->wait_avg_ns);
		json_obj_end(&j);
	}
	json_arr_end(&j);
	json_kv_str(&j, "summary", sum);
	json_obj_end(&j);
	json_newline(&j);
}

int compare_backends(const struct config *cfg)
{
	/* the blocking server's threads wait in read; the others in their multiplexer */
	static struct row rows[] = {
		{.backend = "blocking", .wait_call = "read"},
		{.backend = "select", .wait_call = "pselect6"}, /* glibc's select() */
		{.backend = "poll", .wait_call = "poll"},
		{.backend = "epoll", .wait_call = "epoll_wait"},
		{.backend = "io_uring", .wait_call = "io_uring_enter"},
		{.backend = "io_uring", .sqpoll = 1, .wait_call = "io_uring_enter"},
	};
	int n = ARRAY_SIZE(rows), ok = 0;
	struct sink sink; /* only its file: the table is written here, not by a sink */
	FILE *out = NULL;
	struct probes *p;
	char self[4096], sum[1024] = "";
	struct probe_opts po = {
		.sys_on = cfg->sys_on,
		.buffer_bytes = 1 << 16,
		.mechanism = MECH_AUTO,
		.uring = 1,
		.count = 2,
	};

	if (load_check_fds(cfg->connections ? cfg->connections : 50, cfg->idle) ||
	    demo_self_exe(self, sizeof(self)) || demo_port(cfg) < 0 || probes_check_host() ||
	    output_open(cfg, &sink, &out) || !(p = probes__new(&po))) {
		if (out && out != stdout)
			fclose(out);
		return 1;
	}
	signal(SIGPIPE, SIG_IGN);
	for (int i = 0; i < n; i++) {
		snprintf(rows[i].label, sizeof(rows[i].label), "%s%s", rows[i].backend,
			 rows[i].sqpoll ? "+sqpoll" : "");
		if (cfg->format != FMT_JSON)
			fprintf(stderr, "socktrace: measuring %s...\n", rows[i].label);
		measure(p, self, cfg, &rows[i]);
		ok += rows[i].ok && !rows[i].load.errors;
	}
	probes__free(p);
	summary(rows, n, cfg->connections ? cfg->connections : 50, cfg->idle, sum, sizeof(sum));
	if (cfg->format == FMT_JSON)
		print_json(out, rows, n, cfg, sum);
	else
		print_text(out, rows, n, cfg, sum);
	if (out != stdout && fclose(out)) {
		err("cannot write '%s': %s", cfg->output, strerror(errno));
		return 1;
	}
	return ok == n ? 0 : 1;
}
