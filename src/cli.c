// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * argp tables for `run` and `attach` (one option table, shared), grouped as
 * in the man page: TARGET, FILTERS, OUTPUT, DEBUG.  Bad input leaves with the
 * usage line and exit status 2, as grep and diff do.
 */
#include <argp.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netdb.h>
#include <regex.h>
#include <sys/stat.h>
#include <arpa/inet.h>
#include "cli.h"
#include "log.h"
#include "sink.h"
#include "targets.h"
#include "serve.h"
#include "summary.h"
#include "util.h"
#include "xlat.h"

const char *argp_program_version = "socktrace " SOCKTRACE_VERSION;

const char *const cli_formats[] = {"text", "json", "perfetto", NULL};
const char *const cli_colors[] = {"auto", "always", "never", NULL};
const char *const cli_views[] = {"list", "sequence", "gantt", NULL};

enum {
	OPT_FORMAT = 256,
	OPT_VIEW,
	OPT_COLOR,
	OPT_NO_FOLLOW,
	OPT_DURATION,
	OPT_BUFFER_SIZE,
	OPT_MECHANISM,
	OPT_PORT,
	OPT_BIND,
	OPT_HOST,
	OPT_BACKLOG,
	OPT_EDGE,
	OPT_UDP,
	OPT_SQPOLL,
	OPT_CONNECTIONS,
	OPT_IDLE,
	OPT_SIZE,
	OPT_REQUESTS,
	OPT_SLOW,
	OPT_TRACE_CLIENT,
	OPT_EXPLAIN,
	OPT_COMPARE,
	OPT_ACCEPT_DELAY,
	OPT_HISTOGRAM,
	OPT_BY,
	OPT_INTERVAL,
	OPT_RECORD,
	OPT_STACK_ORDER,
	OPT_STRINGS_HEX,
	OPT_STACK_FILTER,
	OPT_MIN_DURATION,
};

static const struct argp_option trace_options[] = {
	{NULL, 0, NULL, 0, "FILTERS:", 1},
	{"trace", 'e', "LIST", 0,
	 "Calls to trace: categories (socket,bind,listen,accept,connect,send,recv,close,"
	 "shutdown,sockopt,select,poll,epoll,io_uring) or call names, comma-separated; "
	 "'all' (default). strace's trace=LIST, !LIST (all but LIST), /REGEX, ?NAME and "
	 "%network work too, and its other -e qualifiers say what to do instead",
	 1},
	{"follow", 'f', NULL, 0,
	 "Trace child processes too (the default; strace's -f): run traces what the command "
	 "left running until it exits. -ff with -o FILE: each thread's calls in FILE.TID, as "
	 "strace -ff (FILE keeps the header and footer)",
	 1},
	{"no-follow", OPT_NO_FOLLOW, NULL, 0,
	 "Do not trace child processes (threads are always traced)", 1},
	{"failed-only", 'Z', NULL, 0,
	 "Show only calls that failed (returned an error); the others are dropped in the "
	 "kernel and counted",
	 1},
	{"successful-only", 'z', NULL, 0,
	 "Show only calls that succeeded (e.g. not a non-blocking server's EAGAIN reads); the "
	 "others are dropped in the kernel and counted. strace's -e status=failed and "
	 "status=successful work too",
	 1},
	{"min-duration", OPT_MIN_DURATION, "TIME", 0,
	 "Show only calls that took at least TIME (e.g. 1ms, 200us, 0.5); the others are "
	 "dropped in the kernel and counted",
	 1},
	{"ports", 'P', "LIST", 0,
	 "Show only calls on sockets whose local or peer port is in LIST (up to 8, "
	 "comma-separated, numbers, service names or ranges such as 8000-8099); the others "
	 "are dropped in the kernel and counted",
	 1},
	{NULL, 0, NULL, 0, "OUTPUT:", 2},
	{"output", 'o', "FILE", 0,
	 "Write the trace to FILE (created 0600) instead of stdout ('-' is stdout)", 2},
	{"format", OPT_FORMAT, "FMT", 0,
	 "text (default), json (JSON Lines, one object per call) or perfetto (Chrome trace event "
	 "JSON for ui.perfetto.dev)",
	 2},
	{"view", OPT_VIEW, "VIEW", 0,
	 "list (default): one line per call; sequence: client and server columns, the "
	 "user/kernel line between them, arrows between peers; gantt: a lane per thread on a time "
	 "axis, which call it was in",
	 2},
	{"explain", OPT_EXPLAIN, NULL, 0,
	 "One plain sentence under each call the first time it appears: what the kernel did; "
	 "and what a result means (EAGAIN, end of file...) the first time it comes",
	 2},
	{"wall-time", 't', NULL, 0,
	 "Show wall-clock time instead of seconds since start; -ttt: seconds since the epoch (as "
	 "strace -ttt)",
	 2},
	{"relative-time", 'r', NULL, 0,
	 "Show the time since the previous line instead (as strace -r): the gaps between calls", 2},
	/* strace's habits, so that its command lines run as they are */
	{"syscall-times", 'T', NULL, 0,
	 "As strace -T: taken, since each call's duration is always shown (DUR)", 2},
	{"decode-fds", 'y', NULL, 0,
	 "As strace -y, -yy: taken, since each socket's ends are always shown", 2},
	{"summary-wall-clock", 'w', NULL, 0,
	 "As strace -w: taken, since the times of -c are always wall-clock (entry to exit)", 2},
	{"record", OPT_RECORD, "FILE", 0,
	 "Also write the raw event stream to FILE (0600, compressed) for `socktrace report` "
	 "(not with -c: report -c makes the summary from it)",
	 2},
	{"color", OPT_COLOR, "WHEN", 0, "auto (default; NO_COLOR is respected), always or never",
	 2},
	{"quiet", 'q', NULL, 0, "Print only the trace: no header or footer lines", 2},
	{"kernel-stack", 'k', NULL, 0,
	 "Under each call, the symbolized kernel stack of every hook hit", 2},
	{"payload", 's', "N", 0,
	 "Keep the first N bytes (1-256; more is taken as 256) each send/recv/read/write moved, "
	 "shown escaped; payload is never read without it",
	 2},
	{"strings-in-hex", OPT_STRINGS_HEX, "WHEN", OPTION_ARG_OPTIONAL,
	 "-s's bytes in \\xNN, as strace's: each payload with a byte that is not text "
	 "(non-ascii, or no WHEN), or every one (all); non-ascii-chars (the default): only "
	 "those bytes",
	 2},
	{NULL, 'x', NULL, 0, "As strace -x: --strings-in-hex=non-ascii (-xx: all)", 2},
	{"user-stack", 'u', NULL, 0,
	 "Under each call, the user call stack it came from, symbolized (function+0xoff "
	 "(binary)); -uu adds each frame's file:line where the binary has DWARF line info",
	 2},
	{"stack-filter", OPT_STACK_FILTER, "FUNC", 0,
	 "Show only calls whose user stack holds FUNC (comma-separated, shell wildcards: "
	 "'flush_*'); implies -u",
	 2},
	{"stack-order", OPT_STACK_ORDER, "ORDER", 0,
	 "User stacks outermost first (outer, the default: main → ... → send) or innermost first "
	 "(inner)",
	 2},
	{"summary", 'c', NULL, 0,
	 "A table per call instead of a timeline: calls, errors (and by errno), total, avg, "
	 "p50, p99, max, bytes; counted in the kernel",
	 2},
	{"with-summary", 'C', NULL, 0,
	 "The timeline, then the -c table at its end, counted from the calls shown (as strace "
	 "-C, perf trace -S)",
	 2},
	{"sort", 'S', "KEY", 0,
	 "Summary order: time (default), calls, errors, avg, p99, max, bytes or name; strace's "
	 "-S keys (count, avg-time, max-time, syscall...) work too",
	 2},
	{"interval", OPT_INTERVAL, "S", 0,
	 "Print the summary every S seconds (each for its interval)", 2},
	{"histogram", OPT_HISTOGRAM, NULL, 0, "Log2 latency histograms per call (implies -c)", 2},
	{"by", OPT_BY, "conn", 0,
	 "One row per connection: endpoints, pid, calls, bytes in and out, lifetime (implies -c)",
	 2},
	{NULL, 0, NULL, 0, "PROBES:", 3},
	{"mechanism", OPT_MECHANISM, "MECH", 0,
	 "How the kernel path is hooked: auto (default: fentry, else kprobe, else tracepoint), "
	 "fentry, kprobe or tracepoint; forcing one this kernel lacks is an error",
	 3},
	{NULL, 0, NULL, 0, "CONTROL:", 4},
	{"duration", OPT_DURATION, "S", 0, "Stop after S seconds (e.g. 10, 0.5, 200ms, 5m, 1h)", 4},
	{"buffer-size", OPT_BUFFER_SIZE, "SIZE", 0,
	 "Ring buffer size, a power of two from 8K to 1G (default 4M); calls that do not fit "
	 "are counted as lost",
	 4},
	{NULL, 0, NULL, 0, "DEBUG:", 5},
	{"verbose", 'v', NULL, 0, "Say more (-vv: libbpf debug output too)", 5},
	{},
};

struct parse_state {
	struct config *cfg;
};

static int pick(const char *arg, const char *const *names, const char *what,
		struct argp_state *state)
{
	char expected[128] = "";
	size_t o = 0;

	for (int i = 0; names[i]; i++) {
		if (!strcmp(arg, names[i]))
			return i;
		o += snprintf(expected + o, o < sizeof(expected) ? sizeof(expected) - o : 0, "%s%s",
			      i ? ", " : "", names[i]);
	}
	argp_error(state, "invalid %s '%s' (expected %s)", what, arg, expected);
	return -1;
}

/* strace -S's names for the keys --sort has, as socktrace's */
static const char *strace_sort_key(const char *arg)
{
	static const char *const alias[][2] = {
		{"total_time", "time"},	  {"count", "calls"},  {"error", "errors"},
		{"avg-time", "avg"},	  {"time_avg", "avg"}, {"max-time", "max"},
		{"longest", "max"},	  {"time_max", "max"}, {"syscall", "name"},
		{"syscall_name", "name"},
	};

	for (size_t i = 0; i < ARRAY_SIZE(alias); i++)
		if (!strcmp(arg, alias[i][0]))
			return alias[i][1];
	return arg;
}

/* strace's /REGEX: the calls whose names it matches (POSIX extended, unanchored) */
static int select_regex(const char *re_text, unsigned char *sel)
{
	int found = 0;
	regex_t re;

	if (regcomp(&re, re_text, REG_EXTENDED | REG_NOSUB))
		return -EBADMSG;
	for (size_t i = 0; i < sys_table_len; i++)
		if (!regexec(&re, sys_table[i].name, 0, NULL, 0))
			sel[sys_table[i].id] = found = 1;
	regfree(&re);
	return found ? 0 : -ENOENT;
}

/*
 * One word of -e into sel; 0, -EINVAL if it names neither a category nor a
 * call, -EBADMSG for a regex that is not one, -ENOENT for one matching no call.
 */
static int select_calls(const char *w, unsigned char *sel)
{
	const struct sys_info *s;
	int cat;

	if (*w == '?') { /* strace's "no error if it names nothing" */
		int err = select_calls(w + 1, sel);

		return err == -EBADMSG ? err : 0;
	}
	if (*w == '/')
		return select_regex(w + 1, sel);
	if (*w == '%') /* strace's classes: %network, %net */
		w++;
	if (!strcmp(w, "all") || !strcmp(w, "network") || !strcmp(w, "net")) {
		for (size_t i = 0; i < sys_table_len; i++)
			sel[sys_table[i].id] = 1;
	} else if ((cat = cat_by_name(w)) >= 0) {
		for (size_t i = 0; i < sys_table_len; i++)
			if ((int)sys_table[i].cat == cat || (int)sys_table[i].cat2 == cat)
				sel[sys_table[i].id] = 1;
	} else if ((s = sys_by_name(w))) {
		sel[s->id] = 1;
	} else {
		return -EINVAL;
	}
	return 0;
}

int cli_parse_calls(const char *list, unsigned char *sys_on, char *bad, size_t badlen)
{
	unsigned char sel[NT_SYS_MAX] = {0};
	char *copy, *save = NULL, *w;
	int negate, ret = 0;

	if (!strncmp(list, "trace=", 6))
		list += 6;
	else if (!strncmp(list, "t=", 2)) /* strace's short name for it */
		list += 2;
	negate = *list == '!';
	if (!(copy = strdup(list + negate)))
		return -ENOMEM;
	if (bad && badlen)
		*bad = 0;
	for (w = strtok_r(copy, ",", &save); w && !ret; w = strtok_r(NULL, ",", &save))
		if ((ret = select_calls(w, sel)) && bad)
			snprintf(bad, badlen, "%s", w);
	free(copy);
	if (ret)
		return ret;
	ret = -EINVAL; /* an empty list, or "!all", selects nothing */
	for (size_t i = 0; i < sys_table_len; i++) {
		unsigned int id = sys_table[i].id;

		if (sel[id] != negate)
			sys_on[id] = 1;
		if (sys_on[id])
			ret = 0;
	}
	return ret;
}

/* A datagram's payload: 65535 less the UDP header, and IPv4's 20 bytes of header. */
static unsigned int udp_payload_max(const char *host)
{
	return host && strchr(host, ':') ? 65535 - 8 : 65535 - 8 - 20;
}

/* By name, or by identity once both exist (a link, a path spelled another way). */
static int same_file(const char *a, const char *b)
{
	struct stat sa, sb;

	if (!strcmp(a, "-") || !strcmp(b, "-"))
		return 0; /* standard input or output: no file of either's */
	return !strcmp(a, b) ||
	       (!stat(a, &sa) && !stat(b, &sb) && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino);
}

/* An integer option within [min, max], or an argp error naming what is expected. */
static long range(struct argp_state *state, const char *what, const char *arg, long min, long max,
		  const char *expected)
{
	long v = 0;

	if (parse_long(arg, min, max, &v))
		argp_error(state, "invalid %s '%s' (expected %s)", what, arg, expected);
	return v;
}

/*
 * -Z, -z, or strace's -e status=: one of the two, as the kernel keeps calls
 * by one test.  opt is what was given, for the errors.
 */
static void status_arg(struct argp_state *state, struct config *cfg, const char *opt,
		       const char *status)
{
	static const char *const names[] = {
		[NT_STATUS_ALL] = "all",
		[NT_STATUS_FAILED] = "failed",
		[NT_STATUS_SUCCESSFUL] = "successful",
	};
	static char first[64]; /* how the status in force was given */
	int want = -1;

	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (!strcmp(status, names[i]))
			want = i;
	if (want < 0)
		argp_error(state,
			   "%s: socktrace takes -e status=failed (-Z), status=successful (-z) "
			   "or status=all",
			   opt);
	if (cfg->status && want && want != cfg->status)
		argp_error(state,
			   "%s and %s together would show nothing: give one (-Z: the calls that "
			   "failed, -z: those that succeeded)",
			   first, opt);
	snprintf(first, sizeof(first), "%s", opt);
	cfg->status = want;
}

/* A time option; over a year is named here, the other errors by the caller. */
static int duration_arg(struct argp_state *state, const char *opt, const char *arg, uint64_t *ns)
{
	int err = parse_duration_ns(arg, ns);

	if (err == -E2BIG)
		argp_error(state, "invalid %s '%s': longer than a year, the most it takes", opt,
			   arg);
	return err;
}

/*
 * --bind/--host as an address, a name (localhost) resolved to one: its
 * IPv4 address first, as the demo servers listen on 127.0.0.1 by default.
 */
static const char *numeric_host(struct argp_state *state, const char *opt, const char *arg)
{
	static const int families[] = {AF_INET, AF_INET6};
	static char addr[INET6_ADDRSTRLEN];
	unsigned char bin[sizeof(struct in6_addr)];
	struct addrinfo *res;

	if (inet_pton(AF_INET, arg, bin) == 1 || inet_pton(AF_INET6, arg, bin) == 1)
		return arg;
	for (size_t i = 0; i < ARRAY_SIZE(families); i++) {
		struct addrinfo hints = {.ai_family = families[i], .ai_socktype = SOCK_STREAM};
		int bad;

		if (!*arg || getaddrinfo(arg, NULL, &hints, &res))
			continue;
		bad = getnameinfo(res->ai_addr, res->ai_addrlen, addr, sizeof(addr), NULL, 0,
				  NI_NUMERICHOST);
		freeaddrinfo(res);
		if (!bad)
			return addr;
	}
	argp_error(state,
		   "%s '%s': not an address, nor a name this host resolves (e.g. 127.0.0.1, "
		   "::1 or localhost)",
		   opt, arg);
	return NULL;
}

static void bad_pid(struct argp_state *state, const char *arg)
{
	argp_error(state, "invalid pid '%s' (expected 1 to %d, or a process name)", arg,
		   TARGET_PID_MAX);
}

/* attach's PID and NAME words, from the arguments and -p, in their order */
static char *target_words[TARGETS_MAX];

static void add_target(struct argp_state *state, struct config *cfg, char *word)
{
	long pid;

	if (cfg->ntargets == TARGETS_MAX)
		argp_error(state, "too many processes to attach to (at most %d)", TARGETS_MAX);
	/* a number is a pid, within the kernel's limit (PID_MAX_LIMIT) */
	if ((isdigit((unsigned char)word[0]) ||
	     (word[0] == '-' && isdigit((unsigned char)word[1]))) &&
	    parse_long(word, 1, TARGET_PID_MAX, &pid))
		bad_pid(state, word);
	/* :PORT, the processes whose socket listens on it */
	if (word[0] == ':' && parse_port(word + 1, &pid))
		argp_error(state,
			   "invalid port in '%s' (expected :1 to :65535 or a service name "
			   "such as :http, a port a server listens on)",
			   word);
	cfg->targets = target_words;
	cfg->targets[cfg->ntargets++] = word;
}

/* -p PID[,PID...], as strace, perf trace and bpftrace take it: pids only */
static void add_pid_list(struct argp_state *state, struct config *cfg, char *list)
{
	char *save = NULL, *w;
	long pid;

	if (!*list)
		bad_pid(state, list);
	for (w = strtok_r(list, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
		if (parse_long(w, 1, TARGET_PID_MAX, &pid))
			argp_error(state,
				   "invalid pid '%s' for -p (expected 1 to %d; a process name "
				   "goes without -p)",
				   w, TARGET_PID_MAX);
		add_target(state, cfg, w);
	}
}

static const char *view_option(const struct config *cfg)
{
	return cfg->view == VIEW_GANTT ? "--view gantt" : "--view sequence";
}

/*
 * strace's -e qualifiers other than trace= and status=: the ones socktrace
 * does anyway are taken, the others one line saying what to do instead.
 */
static const struct {
	const char *names;   /* strace's names for it, each followed by a space */
	const char *instead; /* NULL: taken */
	const char *taken;   /* a value taken all the same: what socktrace does anyway */
} strace_qualifiers[] = {
	/* every argument is decoded in full */
	{.names = "abbrev a verbose v decode-fds decode-fd "},
	{.names = "raw x ",
	 .instead = "socktrace decodes every argument and has no raw form: leave it out"},
	{.names = "signal signals s ",
	 .instead = "socktrace shows no signals (a call one interrupts ends in EINTR, or "
		    "restarts): leave it out",
	 .taken = "none"},
	{.names = "read reads r write writes w ",
	 .instead = "socktrace keeps the bytes each call moved with -s N (-x for hex): use that "
		    "instead"},
	{.names = "fault inject ",
	 .instead = "socktrace only watches, it injects no faults: leave it out"},
	{.names = "quiet silent silence q ",
	 .instead = "socktrace's own lines (its header and footer) go with -q: use that instead"},
	{.names = "kvm decode-pids decode-pid ",
	 .instead = "socktrace has no such decoding: leave it out"},
};

/* -e NAME=...: 1 if it is one of strace_qualifiers, and taken; an error if it is not taken. */
static int strace_qualifier(struct argp_state *state, const char *arg)
{
	const char *eq = strchr(arg, '=');
	char name[32];

	if (!eq || eq == arg || (size_t)(eq - arg) + 2 > sizeof(name))
		return 0;
	snprintf(name, sizeof(name), "%.*s ", (int)(eq - arg), arg);
	for (size_t i = 0; i < ARRAY_SIZE(strace_qualifiers); i++) {
		const char *names = strace_qualifiers[i].names;

		/* a whole word of names: "s " is in "signals " too */
		for (const char *at = names; (at = strstr(at, name)); at++) {
			if (at != names && at[-1] != ' ')
				continue;
			if (strace_qualifiers[i].instead &&
			    !(strace_qualifiers[i].taken &&
			      !strcmp(eq + 1, strace_qualifiers[i].taken)))
				argp_error(state, "-e %s: %s", arg, strace_qualifiers[i].instead);
			return 1;
		}
	}
	return 0;
}

/* The option that asked for a table instead of a timeline. */
static const char *table_option(const struct config *cfg)
{
	return cfg->by_conn	  ? "--by conn"
	       : cfg->histogram	  ? "--histogram"
	       : cfg->interval_ns ? "--interval"
				  : "-c";
}

/* An option that shapes the calls of a timeline, which a table does not show. */
static const char *timeline_only_option(const struct config *cfg)
{
	return cfg->stack_filter	? "--stack-filter"
	       : cfg->ustack		? "-u"
	       : cfg->kstack		? "-k"
	       : cfg->payload		? "-s"
	       : cfg->explain		? "--explain"
	       : cfg->view != VIEW_LIST ? view_option(cfg)
					: NULL;
}

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	struct parse_state *ps = state->input;
	struct config *cfg = ps->cfg;
	char bad[64];
	int i;

	switch (key) {
	case 'e':
		if (strace_qualifier(state, arg))
			break;
		if (!strncmp(arg, "status=", 7)) {
			char given[64];

			snprintf(given, sizeof(given), "-e %s", arg);
			status_arg(state, cfg, given, arg + 7);
			break;
		}
		if (!cfg->calls_given)
			memset(cfg->sys_on, 0, sizeof(cfg->sys_on));
		cfg->calls_given = 1;
		i = cli_parse_calls(arg, cfg->sys_on, bad, sizeof(bad));
		if (i && *bad == '!')
			argp_error(state,
				   "'%s' in -e %s: '!' is for the whole list, as in strace: put it "
				   "first, e.g. -e '!%s'",
				   bad, arg, bad + 1);
		if (i == -EBADMSG)
			argp_error(state,
				   "'%s' in -e %s is not a regular expression (POSIX extended, as "
				   "strace takes them: e.g. -e '/^(send|recv)')",
				   bad, arg);
		if (i == -ENOENT)
			argp_error(state,
				   "'%s' in -e %s matches no call socktrace traces (put '?' before "
				   "it if that may be so)",
				   bad, arg);
		if (*bad)
			argp_error(state,
				   "unknown call '%s' in -e %s: use categories such as "
				   "socket,send,recv or call names such as sendto",
				   bad, arg);
		else if (!memchr(cfg->sys_on, 1, sizeof(cfg->sys_on)))
			argp_error(state, "-e '%s' selects no call: name one, e.g. -e connect",
				   arg);
		break;
	case OPT_NO_FOLLOW:
		cfg->follow = 0;
		break;
	case 'f':
		cfg->follow = 1;
		cfg->nfollow++;
		break;
	case 'p':
		add_pid_list(state, cfg, arg);
		break;
	case 'Z':
		status_arg(state, cfg, "-Z", "failed");
		break;
	case 'z':
		status_arg(state, cfg, "-z", "successful");
		break;
	case 'P':
		cfg->nports = cli_parse_ports(arg, cfg->ports, bad, sizeof(bad));
		if (cfg->nports == -E2BIG)
			argp_error(state,
				   "--ports %s: the kernel checks up to %d ports or ranges: give "
				   "that many or fewer",
				   arg, NT_PORTS_MAX);
		if (cfg->nports < 0 && *bad)
			argp_error(state,
				   "invalid port '%s' in --ports %s: give ports from 1 to 65535, "
				   "service names or ranges, comma-separated, e.g. 5432,6379, "
				   "http,https or 8000-8099",
				   bad, arg);
		if (cfg->nports < 0)
			argp_error(state,
				   "invalid --ports '%s': give up to %d ports from 1 to 65535, "
				   "service names or ranges, comma-separated, e.g. 5432,6379, "
				   "http,https or 8000-8099",
				   arg, NT_PORTS_MAX);
		break;
	case OPT_MIN_DURATION:
		if (duration_arg(state, "--min-duration", arg, &cfg->min_dur_ns))
			argp_error(state,
				   "invalid --min-duration '%s': give a time > 0, e.g. 1ms, 200us "
				   "or 0.5 (seconds)",
				   arg);
		break;
	case 'o':
		if (!*arg)
			argp_error(state, "-o needs a file name");
		cfg->output = strcmp(arg, "-") ? arg : NULL; /* "-": stdout, as for most tools */
		break;
	case OPT_FORMAT:
		if ((i = pick(arg, cli_formats, "format", state)) >= 0)
			cfg->format = i;
		break;
	case OPT_VIEW:
		if ((i = pick(arg, cli_views, "view", state)) >= 0)
			cfg->view = i;
		break;
	case OPT_PORT:
		cfg->port = range(state, "port", arg, 0, 65535, "0 (any free port) to 65535");
		break;
	case OPT_BIND:
	case OPT_HOST:
		cfg->host = numeric_host(state, key == OPT_BIND ? "--bind" : "--host", arg);
		break;
	case OPT_BACKLOG:
		cfg->backlog = range(state, "backlog", arg, 1, 65535, "1 to 65535");
		cfg->backlog_set = 1;
		break;
	case OPT_ACCEPT_DELAY:
		cfg->accept_delay_ms = range(state, "delay", arg, 0, 60000, "0 to 60000 ms");
		break;
	case OPT_EDGE:
		cfg->edge = 1;
		break;
	case OPT_UDP:
		cfg->udp = 1;
		break;
	case OPT_SQPOLL:
		cfg->sqpoll = 1;
		break;
	case OPT_CONNECTIONS:
		cfg->connections = range(state, "connection count", arg, 1, 100000, "1 to 100000");
		break;
	case OPT_IDLE:
		cfg->idle = range(state, "idle connection count", arg, 0, 100000, "0 to 100000");
		break;
	case OPT_SIZE:
		cfg->size = range(state, "message size", arg, 1, 1 << 20, "1 to 1048576 bytes");
		break;
	case OPT_REQUESTS:
		cfg->requests =
			range(state, "request count", arg, 1, 1000000000, "1 to 1000000000");
		break;
	case OPT_SLOW:
		cfg->slow_ms = range(state, "pause", arg, 0, 60000, "0 to 60000 ms");
		break;
	case OPT_TRACE_CLIENT:
		cfg->trace_client = 1;
		break;
	case OPT_EXPLAIN:
		cfg->explain = 1;
		break;
	case OPT_COMPARE:
		cfg->compare = 1;
		break;
	case OPT_COLOR:
		if ((i = pick(arg, cli_colors, "color mode", state)) >= 0)
			cfg->color = i;
		break;
	case 't':
		if (cfg->wall_time < 3)
			cfg->wall_time++;
		break;
	case 'r':
		cfg->relative_time = 1;
		break;
	case OPT_RECORD:
		if (!*arg)
			argp_error(state, "--record needs a file name");
		/* report - reads standard input, but standard output carries the trace
		 * (and run's command's output): a file named "-" would surprise */
		if (!strcmp(arg, "-"))
			argp_error(state, "--record -: standard output carries the trace or the "
					  "command's own output, and a recording is binary: give a "
					  "file, or a pipe such as >(ssh host 'cat >t.rec')");
		cfg->record = arg;
		break;
	case 'T':
	case 'y':
	case 'w':
		break;
	case 'q':
		cfg->quiet = 1;
		break;
	case OPT_DURATION:
		cfg->duration_set = 1;
		if (duration_arg(state, "duration", arg, &cfg->duration_ns))
			argp_error(state,
				   "invalid duration '%s': give seconds > 0, e.g. 10, 0.5 or 200ms",
				   arg);
		break;
	case OPT_BUFFER_SIZE:
		if (cli_parse_size(arg, &cfg->buffer_bytes))
			argp_error(state,
				   "invalid buffer size '%s': give a power of two from 8K to 1G, "
				   "e.g. 64K or 16M",
				   arg);
		break;
	case 'k':
		cfg->kstack = 1;
		break;
	case 'c':
		cfg->summary = 1;
		break;
	case 'C':
		cfg->with_summary = 1;
		break;
	case 's':
		/* strace -s 4096 means "all of it": as much as the kernel keeps */
		cfg->payload = range(state, "payload size", arg, 1, INT_MAX, "1 to 256 bytes");
		if (cfg->payload > NT_PAYLOAD_MAX) {
			warn("-s %d: socktrace keeps at most %d bytes of each call: %d it is",
			     cfg->payload, NT_PAYLOAD_MAX, NT_PAYLOAD_MAX);
			cfg->payload = NT_PAYLOAD_MAX;
		}
		break;
	case 'u':
		if (cfg->ustack < 2)
			cfg->ustack++;
		break;
	case 'x':
		cfg->strings_hex_set = 1;
		cfg->strings_hex = cfg->strings_hex ? HEX_ALL : HEX_NOT_TEXT;
		break;
	case OPT_STRINGS_HEX:
		cfg->strings_hex_set = 1;
		if (!arg || !strcmp(arg, "non-ascii"))
			cfg->strings_hex = HEX_NOT_TEXT;
		else if (!strcmp(arg, "non-ascii-chars"))
			cfg->strings_hex = HEX_BYTES;
		else if (!strcmp(arg, "all"))
			cfg->strings_hex = HEX_ALL;
		else
			argp_error(state,
				   "invalid --strings-in-hex '%s' (expected non-ascii-chars, "
				   "non-ascii, all)",
				   arg);
		break;
	case OPT_STACK_FILTER:
		if (!*arg || strspn(arg, ",") == strlen(arg))
			argp_error(state, "empty --stack-filter: give a function name, e.g. "
					  "--stack-filter flush_buffers");
		cfg->stack_filter = arg;
		if (!cfg->ustack)
			cfg->ustack = 1;
		break;
	case OPT_STACK_ORDER:
		if (strcmp(arg, "outer") && strcmp(arg, "inner"))
			argp_error(state, "invalid stack order '%s' (expected outer, inner)", arg);
		cfg->stack_outer_first = !strcmp(arg, "outer");
		cfg->stack_order_set = 1;
		break;
	case OPT_HISTOGRAM:
		cfg->summary = cfg->histogram = 1;
		break;
	case OPT_BY:
		if (strcmp(arg, "conn"))
			argp_error(state, "invalid --by '%s' (expected conn)", arg);
		cfg->summary = cfg->by_conn = 1;
		break;
	case 'S':
		if ((i = pick(strace_sort_key(arg), summary_sorts, "sort key", state)) >= 0)
			cfg->sort = i;
		cfg->sort_set = 1;
		break;
	case OPT_INTERVAL:
		/* the tables come from the reader's drain: finer would be a promise
		 * it cannot keep (perf stat -I's floor too) */
		if (duration_arg(state, "interval", arg, &cfg->interval_ns) ||
		    cfg->interval_ns < 10000000)
			argp_error(
				state,
				"invalid interval '%s': give seconds, at least 10ms, e.g. 1, 0.5 "
				"or 200ms",
				arg);
		cfg->summary = 1;
		break;
	case OPT_MECHANISM:
		if ((i = pick(arg, mech_names, "mechanism", state)) >= 0)
			cfg->mechanism = i;
		break;
	case 'v':
		cfg->verbose++;
		break;
	case ARGP_KEY_ARG:
		if (cfg->cmd == CMD_REPORT) {
			if (cfg->report)
				argp_error(state, "one recording at a time");
			cfg->report = arg;
		} else if (cfg->cmd == CMD_SERVE || cfg->cmd == CMD_DEMO) {
			if (cfg->backend)
				argp_error(state, "one backend at a time ('%s' and '%s')",
					   cfg->backend, arg);
			if (!backend_by_name(arg))
				argp_error(state,
					   "unknown backend '%s' (expected blocking, select, poll, "
					   "epoll or io_uring)",
					   arg);
			cfg->backend = arg;
		} else if (cfg->cmd == CMD_PROBES || cfg->cmd == CMD_LOAD) {
			argp_error(state, "%s takes no arguments",
				   cfg->cmd == CMD_LOAD ? "load" : "probes");
		} else if (cfg->cmd == CMD_RUN) {
			/* the command starts here: the rest of argv is its own, options included */
			cfg->command = &state->argv[state->next - 1];
			state->next = state->argc;
		} else {
			add_target(state, cfg, arg);
		}
		break;
	case ARGP_KEY_END:
		if (cfg->cmd == CMD_RUN && !cfg->command)
			argp_error(state, "no command to run: give it after --, e.g. socktrace run "
					  "-- curl -s URL");
		if (cfg->cmd == CMD_ATTACH && !cfg->ntargets)
			argp_error(state, "no process to attach to: give a PID, a process name or "
					  ":PORT");
		if (cfg->cmd == CMD_REPORT && !cfg->report)
			argp_error(state, "which recording? give the FILE written by --record");
		if (cfg->cmd == CMD_SERVE && !cfg->backend)
			argp_error(state,
				   "which backend? blocking, select, poll, epoll or io_uring");
		if (cfg->cmd == CMD_LOAD && !cfg->port)
			argp_error(state, "load needs the server's --port");
		if (cfg->cmd == CMD_LOAD && cfg->requests && cfg->duration_set)
			argp_error(state,
				   "--requests and --duration both say when to stop: give one");
		if (cfg->udp && cfg->size > udp_payload_max(cfg->host))
			argp_error(state,
				   "--size %u: a UDP datagram holds at most %u bytes to %s: give "
				   "that or less",
				   cfg->size, udp_payload_max(cfg->host),
				   cfg->host ? cfg->host : "127.0.0.1");
		if (cfg->udp && cfg->idle)
			argp_error(state, "--idle opens TCP connections: UDP has none");
		if (cfg->udp && cfg->backend && strcmp(cfg->backend, "blocking") &&
		    strcmp(cfg->backend, "epoll"))
			argp_error(state, "--udp is for the blocking and epoll backends");
		if (cfg->edge && cfg->backend && strcmp(cfg->backend, "epoll"))
			argp_error(state, "--edge is for the epoll backend");
		if (cfg->sqpoll && cfg->backend && strcmp(cfg->backend, "io_uring"))
			argp_error(state, "--sqpoll is for the io_uring backend");
		if (cfg->compare && cfg->backend)
			argp_error(state, "--compare runs every backend: give no backend");
		/* what shapes one backend's demo: --compare runs them all its own way */
		if (cfg->compare) {
			const char *what = cfg->udp		  ? "--udp"
					   : cfg->slow_ms >= 0	  ? "--slow"
					   : cfg->edge		  ? "--edge"
					   : cfg->sqpoll	  ? "--sqpoll"
					   : cfg->backlog_set	  ? "--backlog"
					   : cfg->accept_delay_ms ? "--accept-delay"
					   : cfg->trace_client	  ? "--trace-client"
					   : cfg->record	  ? "--record"
					   : cfg->by_conn	  ? "--by conn"
					   : cfg->histogram	  ? "--histogram"
					   : cfg->interval_ns	  ? "--interval"
								  : NULL;

			if (what)
				argp_error(state,
					   "%s is for one backend's demo: --compare runs every "
					   "backend over TCP, io_uring with and without SQPOLL, "
					   "as they are written",
					   what);
		}
		if (cfg->compare && (cfg->status || cfg->min_dur_ns || cfg->nports))
			argp_error(state, "%s filters a trace: --compare counts every call",
				   cfg->status == NT_STATUS_FAILED	 ? "-Z"
				   : cfg->status == NT_STATUS_SUCCESSFUL ? "-z"
				   : cfg->nports			 ? "--ports"
									 : "--min-duration");
		if (cfg->nports && cfg->summary && cfg->cmd != CMD_REPORT)
			argp_error(state,
				   "--ports narrows a timeline: -c counts in the kernel "
				   "without reading sockets (--by conn has a row per connection)");
		if (cfg->record && cfg->output && same_file(cfg->record, cfg->output))
			argp_error(state,
				   "--record and -o name the same file '%s': give each its own",
				   cfg->record);
		/* the trace written over the recording it is read from */
		if (cfg->report && cfg->output && same_file(cfg->report, cfg->output))
			argp_error(state, "-o '%s' is the recording being read: give another file",
				   cfg->output);
		if (cfg->relative_time && cfg->wall_time)
			argp_error(state,
				   "-t and -r both say what the TIME column holds: give one");
		if (cfg->relative_time &&
		    (cfg->summary || cfg->format != FMT_TEXT || cfg->view == VIEW_GANTT))
			argp_error(state,
				   "-r is the TIME column of the list and sequence views: the "
				   "tables, the gantt and JSON have no such column");
		if (cfg->wall_time && (cfg->summary || cfg->compare || cfg->view == VIEW_GANTT ||
				       cfg->format == FMT_PERFETTO))
			argp_error(state,
				   "-t is the TIME column of the list and sequence views (JSON's "
				   "wall_ns): the tables, the gantt and Perfetto have no such "
				   "column");
		if (cfg->stack_order_set && !cfg->ustack)
			argp_error(state, "--stack-order orders the user stacks -u shows: add -u");
		/* a recording's bytes are as it was made */
		if (cfg->strings_hex_set && !cfg->payload && cfg->cmd != CMD_REPORT)
			argp_error(state, "-x prints the bytes -s keeps in hex: add -s N");
		if (cfg->strings_hex_set && cfg->format != FMT_TEXT)
			argp_error(state,
				   "-x is how the text views print the bytes: --format %s has them "
				   "%s",
				   cli_formats[cfg->format],
				   cfg->format == FMT_JSON ? "in hex as data_hex" : "as they are");
		if (cfg->view == VIEW_GANTT &&
		    (cfg->payload || cfg->kstack || (cfg->ustack && !cfg->stack_filter)))
			argp_error(state,
				   "%s shows under each call, and the gantt has no row per call: "
				   "--view list or sequence shows it",
				   cfg->payload	 ? "-s"
				   : cfg->kstack ? "-k"
						 : "-u");
		if (cfg->with_summary && cfg->compare)
			argp_error(state,
				   "--compare is a table of every backend already: -C adds a "
				   "table to a timeline");
		if (cfg->with_summary && cfg->summary)
			argp_error(state,
				   "-C is the timeline with the table at its end, -c "
				   "(--histogram, --by, --interval) the table alone: give one");
		if (cfg->with_summary && cfg->format == FMT_PERFETTO)
			argp_error(state,
				   "-C adds a table, which --format perfetto cannot hold: use "
				   "json or text");
		if (cfg->record && cfg->summary) {
			/* the table option given, and report's own for it (it has no --interval) */
			const char *table = table_option(cfg);

			argp_error(state,
				   "--record keeps every call, which %s counts in the kernel "
				   "instead: record without %s, then `socktrace report %s FILE`",
				   table, table, strcmp(table, "--interval") ? table : "-c");
		}
		if ((cfg->summary || cfg->compare) && cfg->mechanism != MECH_AUTO)
			argp_error(state,
				   "--mechanism hooks the kernel paths of a timeline: %s counts "
				   "calls without them%s",
				   cfg->compare ? "--compare" : "-c",
				   cfg->compare ? "" : " (-C: the timeline, then the table)");
		if (cfg->summary || cfg->compare) {
			const char *opt = timeline_only_option(cfg);

			if (opt)
				argp_error(state, "%s is for timelines: %s prints only a table%s",
					   opt, cfg->compare ? "--compare" : "-c",
					   cfg->compare ? ""
							: " (-C: the timeline, then the table)");
		}
		if (cfg->format != FMT_TEXT && (cfg->view != VIEW_LIST || cfg->explain))
			argp_error(state,
				   "%s is for the text timeline: --format %s writes the calls "
				   "as data",
				   cfg->view != VIEW_LIST ? view_option(cfg) : "--explain",
				   cli_formats[cfg->format]);
		if (cfg->sort_set && !cfg->summary && !cfg->with_summary)
			argp_error(state, "--sort orders the table of -c or -C: %s",
				   cfg->compare ? "--compare has a row per backend"
						: "a timeline is in time order");
		if (cfg->format == FMT_PERFETTO && (cfg->summary || cfg->cmd == CMD_PROBES ||
						    cfg->cmd == CMD_LOAD || cfg->compare))
			argp_error(state, "--format perfetto is for timelines: use json here");
		/* as strace: -ff without -o is -f */
		cfg->per_thread = cfg->nfollow > 1 && cfg->output;
		if (cfg->per_thread) {
			const char *one = cfg->summary			? table_option(cfg)
					  : cfg->with_summary		? "-C"
					  : cfg->format == FMT_PERFETTO ? "--format perfetto"
					  : cfg->view != VIEW_LIST	? view_option(cfg)
									: NULL;

			if (one)
				argp_error(
					state,
					"-ff -o writes each thread's calls to a file of its own: "
					"%s puts them all in one (drop -ff, or %s)",
					one, one);
		}
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp_option probes_options[] = {
	{"format", OPT_FORMAT, "FMT", 0, "text (default) or json", 0},
	{"mechanism", OPT_MECHANISM, "MECH", 0,
	 "Check what forcing this mechanism (auto, fentry, kprobe, tracepoint) would do", 0},
	{"verbose", 'v', NULL, 0, "Say more (-vv: libbpf debug output too)", 0},
	{},
};

static const struct argp probes_argp = {
	.options = probes_options,
	.parser = parse_opt,
	.args_doc = "",
	.doc = "Show what this kernel offers for each kernel-path hook and which mechanism "
	       "socktrace uses.\v"
	       "For each hook (sock_create, bind, listen, accept, connect, sendmsg, recvmsg, "
	       "close): "
	       "the mechanism chosen, each function or tracepoint and whether it attached, and "
	       "why the other mechanisms were not used. Run it first when something does not "
	       "trace.\n\n"
	       "EXAMPLES:\n"
	       "  socktrace probes\n"
	       "  socktrace probes --format json | jq '.hooks[] | {hook, mechanism}'",
};

static const struct argp run_argp = {
	.options = trace_options,
	.parser = parse_opt,
	.args_doc = "[--] COMMAND [ARG...]",
	.doc = "Launch COMMAND and trace its socket calls (and its threads' and children's).\v"
	       "The command is held until every probe is attached, so its first call is traced. "
	       "socktrace exits with the command's exit status (128+N if a signal N killed it, "
	       "127 if it cannot be found).\n\n"
	       "EXAMPLES:\n"
	       "  socktrace run -- curl -s http://127.0.0.1:8000/\n"
	       "  socktrace run -e connect,send,recv --format json -o trace.jsonl -- python3 "
	       "app.py\n"
	       "  socktrace run --no-follow -t -- nc -z 127.0.0.1 22",
};

/*
 * `attach -1`: getopt takes a negative pid for short options; these hidden
 * ones name it as the bad pid it is, where argp would say "invalid option".
 */
static const struct argp_option negative_pid_options[] = {
	{NULL, '0', 0, OPTION_HIDDEN, NULL, 0},
	{NULL, '1', 0, OPTION_HIDDEN, NULL, 0},
	{NULL, '2', 0, OPTION_HIDDEN, NULL, 0},
	{NULL, '3', 0, OPTION_HIDDEN, NULL, 0},
	{NULL, '4', 0, OPTION_HIDDEN, NULL, 0},
	{NULL, '5', 0, OPTION_HIDDEN, NULL, 0},
	{NULL, '6', 0, OPTION_HIDDEN, NULL, 0},
	{NULL, '7', 0, OPTION_HIDDEN, NULL, 0},
	{NULL, '8', 0, OPTION_HIDDEN, NULL, 0},
	{NULL, '9', 0, OPTION_HIDDEN, NULL, 0},
	{0},
};

static error_t parse_negative_pid(int key, char *arg, struct argp_state *state)
{
	char **av = state->argv;
	char shown[3] = {'-', (char)key, 0};

	(void)arg;
	if (key < '0' || key > '9')
		return ARGP_ERR_UNKNOWN;
	/* "-1" is behind getopt's index once read, "-12" still under it */
	if (state->next > 0 && av[state->next - 1][0] == '-' && av[state->next - 1][1] == key &&
	    !av[state->next - 1][2])
		bad_pid(state, av[state->next - 1]);
	else if (state->next < state->argc && av[state->next][0] == '-' &&
		 av[state->next][1] == key)
		bad_pid(state, av[state->next]);
	else
		bad_pid(state, shown);
	return 0;
}

static const struct argp negative_pid_argp = {.options = negative_pid_options,
					      .parser = parse_negative_pid};

static const struct argp trace_child_argp = {.options = trace_options, .parser = parse_opt};

/* attach and demo: their own options, then every option of run */
static error_t parse_with_trace_options(int key, char *arg, struct argp_state *state)
{
	if (key == ARGP_KEY_INIT) {
		state->child_inputs[0] = state->input; /* the trace options fill the same config */
		return 0;
	}
	return parse_opt(key, arg, state);
}

static const struct argp_option attach_options[] = {
	{NULL, 0, NULL, 0, "TARGET:", 0},
	{"pid", 'p', "PID[,PID...]", 0,
	 "Processes to trace, by pid (as with strace -p); PID, NAME and :PORT arguments work "
	 "too",
	 0},
	{},
};

static const struct argp_child attach_children[] = {
	{&trace_child_argp, 0, NULL, 1}, {&negative_pid_argp, 0, NULL, 0}, {0}};

static const struct argp attach_argp = {
	.options = attach_options,
	.children = attach_children,
	.parser = parse_with_trace_options,
	.args_doc = "PID|NAME|:PORT...",
	.doc = "Trace running processes (every thread, and their new children).\v"
	       "A NAME matches the process name exactly, as pgrep -x does; :PORT means the "
	       "processes with a socket listening on that TCP or UDP port, as fuser PORT/tcp "
	       "finds them (in another network namespace, a container's, if none here). "
	       "Tracing ends on Ctrl-C, after --duration, or when every traced process has "
	       "exited.\n\n"
	       "EXAMPLES:\n"
	       "  socktrace attach $(pgrep -f http.server)\n"
	       "  socktrace attach :8080 -e accept,recv,send\n"
	       "  socktrace attach nginx --duration 10 -e accept,close\n"
	       "  socktrace attach -q --format json 4242 | jq .call",
};

static const struct argp_option serve_options[] = {
	{"port", OPT_PORT, "N", 0, "TCP/UDP port (default 0: any free port, printed at start)", 0},
	{"bind", OPT_BIND, "ADDR", 0, "Address to listen on (default 127.0.0.1; ::1 for IPv6)", 0},
	{"backlog", OPT_BACKLOG, "N", 0, "listen() backlog (default 4096)", 0},
	{"accept-delay", OPT_ACCEPT_DELAY, "MS", 0,
	 "Wait MS ms after listen before accepting: connections queue up to the backlog", 0},
	{"edge", OPT_EDGE, NULL, 0, "epoll: edge-triggered (EPOLLET) instead of level-triggered",
	 0},
	{"udp", OPT_UDP, NULL, 0, "blocking, epoll: a UDP datagram echo (no listen, no accept)", 0},
	{"sqpoll", OPT_SQPOLL, NULL, 0, "io_uring: a kernel thread polls the submission ring", 0},
	{},
};

static const struct argp serve_argp = {
	.options = serve_options,
	.parser = parse_opt,
	.args_doc = "BACKEND",
	.doc = "Run a demo echo server: blocking, select, poll, epoll or io_uring.\v"
	       "Each backend is written the way a textbook shows it. It binds 127.0.0.1 unless "
	       "--bind says otherwise, echoes every byte (partial writes, slow readers, resets "
	       "and half-closes included), and on SIGINT/SIGTERM prints a one-line summary.\n\n"
	       "EXAMPLES:\n"
	       "  socktrace serve epoll --port 8080\n"
	       "  socktrace serve io_uring --sqpoll\n"
	       "  socktrace serve blocking --udp --bind ::1",
};

static const struct argp_option load_options[] = {
	{"port", OPT_PORT, "N", 0, "The server's port (required)", 0},
	{"host", OPT_HOST, "ADDR", 0, "The server's address or name (default 127.0.0.1)", 0},
	{"connections", OPT_CONNECTIONS, "N", 0, "Connections at once (default 1)", 0},
	{"idle", OPT_IDLE, "N", 0,
	 "Also open N connections first that never send, as a server's idle clients", 0},
	{"size", OPT_SIZE, "B", 0, "Bytes per message (default 64)", 0},
	{"requests", OPT_REQUESTS, "N", 0, "Round trips per connection", 0},
	{"duration", OPT_DURATION, "S", 0, "Run for S seconds (default 3; or --requests, not both)",
	 0},
	{"udp", OPT_UDP, NULL, 0, "Datagrams (sendto/recvfrom) instead of TCP", 0},
	{"slow", OPT_SLOW, "MS", 0,
	 "Step by step, one connection after another, pausing MS ms between steps (then no latency "
	 "is reported: the pauses would be in it)",
	 0},
	{"format", OPT_FORMAT, "FMT", 0, "text (default) or json", 0},
	{},
};

static const struct argp load_argp = {
	.options = load_options,
	.parser = parse_opt,
	.args_doc = "",
	.doc = "Load a server with request/response round trips and check every echoed byte.\v"
	       "Reports round trips/s, latency p50/p99/p99.9 and errors; exits 1 if any round trip "
	       "failed.\n\n"
	       "EXAMPLES:\n"
	       "  socktrace load --port 8080 --connections 50 --size 4096 --duration 5\n"
	       "  socktrace load --port 8080 --requests 3 --slow 500",
};

static const struct argp_option demo_options[] = {
	{NULL, 0, NULL, 0, "DEMO:", 0},
	{"trace-client", OPT_TRACE_CLIENT, NULL, 0,
	 "Trace the client too, not only the server (--view sequence and --record do)", 0},
	{"slow", OPT_SLOW, "MS", 0, "The client pauses MS ms between steps, to follow live", 0},
	{"connections", OPT_CONNECTIONS, "N", 0, "Client connections (default 2; --compare 50)", 0},
	{"idle", OPT_IDLE, "N", 0,
	 "N more connections, opened first, that never send: select and poll scan them on "
	 "every call, epoll does not",
	 0},
	{"requests", OPT_REQUESTS, "N", 0, "Messages per connection (default 3)", 0},
	{"size", OPT_SIZE, "B", 0, "Bytes per message (default 16; --compare 64)", 0},
	{"udp", OPT_UDP, NULL, 0, "blocking, epoll: the UDP echo (connectionless)", 0},
	{"edge", OPT_EDGE, NULL, 0, "epoll: edge-triggered", 0},
	{"sqpoll", OPT_SQPOLL, NULL, 0, "io_uring: SQPOLL", 0},
	{"bind", OPT_BIND, "ADDR", 0, "Server address (default 127.0.0.1; ::1 for IPv6)", 0},
	{"port", OPT_PORT, "N", 0,
	 "Server port (default: a free one), e.g. to watch it with ss while --slow runs", 0},
	{"backlog", OPT_BACKLOG, "N", 0, "The server's listen() backlog (default 4096)", 0},
	{"accept-delay", OPT_ACCEPT_DELAY, "MS", 0,
	 "The server waits MS ms before accepting: with a small --backlog, connects beyond it "
	 "wait in the kernel",
	 0},
	{"compare", OPT_COMPARE, NULL, 0,
	 "Every backend under the same load, counted in the kernel: one table (--duration, "
	 "default 3 s)",
	 0},
	{},
};

static const struct argp_child demo_children[] = {{&trace_child_argp, 0, NULL, 1}, {}};

static const struct argp demo_argp = {
	.options = demo_options,
	.parser = parse_with_trace_options,
	.args_doc = "[BACKEND]",
	.doc = "Run a backend's echo server and a client, and trace the server.\v"
	       "With no BACKEND, list the backends. The default workload (2 connections x 3 "
	       "messages) fits a screen: socket, bind, listen, the backend's wait, accept, recv, "
	       "send, close, each with its kernel path. Every option of run works here too.\n\n"
	       "EXAMPLES:\n"
	       "  socktrace demo epoll\n"
	       "  socktrace demo blocking --view sequence --explain --slow 300\n"
	       "  socktrace demo --compare --connections 100 --duration 5",
	.children = demo_children,
};

static const struct argp_option report_options[] = {
	{"output", 'o', "FILE", 0, "Write to FILE (created 0600) instead of stdout ('-' is stdout)",
	 0},
	{"format", OPT_FORMAT, "FMT", 0, "text (default), json or perfetto", 0},
	{"view", OPT_VIEW, "VIEW", 0, "list (default), sequence or gantt", 0},
	{"wall-time", 't', NULL, 0,
	 "Show wall-clock time instead of seconds since start; -ttt: seconds since the epoch", 0},
	{"relative-time", 'r', NULL, 0, "Show the time since the previous line (as strace -r)", 0},
	{"color", OPT_COLOR, "WHEN", 0, "auto (default), always or never", 0},
	{"quiet", 'q', NULL, 0, "Print only the trace: no header or footer lines", 0},
	{"kernel-stack", 'k', NULL, 0,
	 "The symbolized kernel stack of every hook hit, as recorded with -k", 0},
	{"user-stack", 'u', NULL, 0,
	 "The user stack of each call, as named when it was recorded with -u (-uu: with "
	 "file:line, if recorded with -uu)",
	 0},
	{"stack-order", OPT_STACK_ORDER, "ORDER", 0, "User stacks outer (default) or inner first",
	 0},
	{"stack-filter", OPT_STACK_FILTER, "FUNC", 0,
	 "Only calls whose user stack holds FUNC (as for run); implies -u", 0},
	{"strings-in-hex", OPT_STRINGS_HEX, "WHEN", OPTION_ARG_OPTIONAL,
	 "The recorded bytes in \\xNN (as for run)", 0},
	{NULL, 'x', NULL, 0, "As for run: -x, -xx", 0},
	{"trace", 'e', "LIST", 0,
	 "Only these calls (as for run; io_uring requests go with io_uring)", 0},
	{"failed-only", 'Z', NULL, 0, "Only calls that failed (as for run)", 0},
	{"successful-only", 'z', NULL, 0, "Only calls that succeeded (as for run)", 0},
	{"min-duration", OPT_MIN_DURATION, "TIME", 0,
	 "Only calls that took at least TIME (as for run)", 0},
	{"ports", 'P', "LIST", 0, "Only calls on sockets with a port in LIST (as for run)", 0},
	{"summary", 'c', NULL, 0, "A table per call, counted from the recorded calls", 0},
	{"with-summary", 'C', NULL, 0, "The timeline, then the table at its end (as for run)", 0},
	{"sort", 'S', "KEY", 0, "Summary order (as for run)", 0},
	{"histogram", OPT_HISTOGRAM, NULL, 0, "Log2 latency histograms per call (implies -c)", 0},
	{"by", OPT_BY, "conn", 0,
	 "One row per connection, counted from the recorded calls (as for run; implies -c)", 0},
	{"explain", OPT_EXPLAIN, NULL, 0,
	 "What the kernel did, once per kind of call (as for demo): a recorded demo replayed "
	 "in class",
	 0},
	{"verbose", 'v', NULL, 0, "Say more", 0},
	{},
};

static const struct argp report_argp = {
	.options = report_options,
	.parser = parse_opt,
	.args_doc = "FILE",
	.doc = "Render a recording made with --record again, in any view or format.\v"
	       "Needs neither root nor the kernel it was made on: the kernel stacks and their "
	       "symbols are in the file. FILE - reads standard input (a pipe will do). A "
	       "truncated, corrupt or foreign file gives one error line and exit 1.\n\n"
	       "EXAMPLES:\n"
	       "  socktrace run --record trace.rec -- curl -s http://127.0.0.1:8000/\n"
	       "  socktrace report trace.rec --view sequence\n"
	       "  socktrace report trace.rec --format perfetto -o trace.json\n"
	       "  ssh host cat trace.rec | socktrace report -",
};

int cli_filters(const struct config *cfg)
{
	return (cfg->status == NT_STATUS_FAILED ? FILTER_FAILED : 0) |
	       (cfg->status == NT_STATUS_SUCCESSFUL ? FILTER_SUCCEEDED : 0) |
	       (cfg->min_dur_ns ? FILTER_MIN_DUR : 0) | (cfg->nports ? FILTER_PORTS : 0);
}

/* "8000-8099": numbers only, as service names may hold a '-' (http-alt) */
static int parse_port_range(char *w, struct nt_port_range *r)
{
	char *dash = isdigit((unsigned char)*w) ? strchr(w, '-') : NULL;
	long lo, hi;
	int bad;

	if (!dash) {
		bad = parse_port(w, &lo);
		hi = lo;
	} else {
		*dash = 0;
		bad = parse_long(w, 1, 65535, &lo) || parse_long(dash + 1, 1, 65535, &hi) ||
		      lo > hi;
		*dash = '-';
	}
	if (bad)
		return -EINVAL;
	r->lo = lo;
	r->hi = hi;
	return 0;
}

int cli_parse_ports(const char *list, struct nt_port_range ports[NT_PORTS_MAX], char *bad,
		    size_t badlen)
{
	char *copy = strdup(list), *save = NULL, *w;
	int n = 0;

	*bad = 0;
	if (!copy)
		return -ENOMEM;
	for (w = strtok_r(copy, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
		if (n == NT_PORTS_MAX) {
			n = -E2BIG;
			break;
		}
		if (parse_port_range(w, &ports[n])) {
			snprintf(bad, badlen, "%s", w);
			n = -EINVAL;
			break;
		}
		n++;
	}
	free(copy);
	return n ? n : -EINVAL;
}

int cli_parse_size(const char *s, uint32_t *out)
{
	unsigned long long v, mult = 1;
	char *end;

	if (!s || !*s || *s == '-')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (end == s)
		return -EINVAL;
	if (*end == 'K' || *end == 'k')
		mult = 1ull << 10;
	else if (*end == 'M' || *end == 'm')
		mult = 1ull << 20;
	else if (*end == 'G' || *end == 'g')
		mult = 1ull << 30;
	else if (*end)
		return -EINVAL;
	if (*end && end[1])
		return -EINVAL;
	if (errno == ERANGE || v > CLI_BUFFER_MAX / mult)
		return -ERANGE;
	v *= mult;
	if (v < CLI_BUFFER_MIN || (v & (v - 1)))
		return -ERANGE;
	*out = v;
	return 0;
}

void config_defaults(struct config *cfg, enum cmd cmd)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->cmd = cmd;
	cfg->format = FMT_TEXT;
	cfg->color = COLOR_AUTO;
	cfg->follow = 1;
	cfg->buffer_bytes = CLI_BUFFER_DEFAULT;
	cli_parse_calls("all", cfg->sys_on, NULL, 0);
	cfg->host = "127.0.0.1";
	cfg->backlog = 4096;
	cfg->slow_ms = -1;
	cfg->stack_outer_first = 1;
}

int cli_parse(enum cmd cmd, int argc, char **argv, struct config *cfg, int *exit_now)
{
	struct parse_state ps = {.cfg = cfg};
	static const struct argp *const argps[] = {
		[CMD_RUN] = &run_argp,	     [CMD_ATTACH] = &attach_argp,
		[CMD_PROBES] = &probes_argp, [CMD_SERVE] = &serve_argp,
		[CMD_LOAD] = &load_argp,     [CMD_DEMO] = &demo_argp,
		[CMD_REPORT] = &report_argp,
	};
	const struct argp *ap = argps[cmd];
	int err;

	config_defaults(cfg, cmd);
	argp_err_exit_status = EXIT_USAGE;
	*exit_now = 0;
	err = argp_parse(ap, argc, argv, ARGP_IN_ORDER, NULL, &ps);
	if (err) {
		*exit_now = 1;
		return EXIT_USAGE;
	}
	return 0;
}
