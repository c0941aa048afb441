// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * socktrace: shows what a program's network calls do on their way into the
 * kernel and back.  This file is the command table and nothing else: exact
 * matches only, so adding a command never changes what an old one means.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli.h"
#include "cmd_demo.h"
#include "cmd_probes.h"
#include "cmd_report.h"
#include "log.h"
#include "session.h"
#include "util.h"

struct command {
	const char *name;
	enum cmd cmd;
	int (*fn)(const struct config *cfg);
	const char *summary;
};

static const struct command commands[] = {
	{"run", CMD_RUN, session_run, "launch a command and trace it (and its children)"},
	{"attach", CMD_ATTACH, session_attach, "trace running processes, all their threads"},
	{"probes", CMD_PROBES, cmd_probes, "what this kernel offers each hook, and what is used"},
	{"demo", CMD_DEMO, cmd_demo,
	 "a backend's echo server and a client, traced (the classroom)"},
	{"serve", CMD_SERVE, cmd_serve_main,
	 "a demo echo server: blocking, select, poll, epoll, io_uring"},
	{"load", CMD_LOAD, cmd_load_main,
	 "a load client: round trips, every byte checked, latency"},
	{"report", CMD_REPORT, cmd_report, "render a recording (--record FILE) again"},
};

/*
 * The strace habit (`strace -p PID`, `strace curl ...`) meets a command
 * table: say which command does what was meant.
 */
static void unknown_command(const char *word)
{
	if (!strcmp(word, "-p") || !strncmp(word, "--pid", 5))
		err("unknown command '%s': to trace a running process, socktrace attach PID "
		    "(or -p PID, or its name)",
		    word);
	else if (*word == '-')
		err("unknown command '%s': the command comes first, then its options: "
		    "socktrace run [OPTIONS] -- COMMAND, socktrace attach [OPTIONS] PID "
		    "(see socktrace --help)",
		    word);
	else if (command_exists(word))
		err("unknown command '%s': to trace it, socktrace run -- %s ...", word, word);
	else
		err("unknown command '%s' (see socktrace --help)", word);
}

static void usage(FILE *f)
{
	fprintf(f, "Usage: socktrace COMMAND [OPTIONS] [ARGS]\n"
		   "Show a program's socket calls on their way into the kernel and back (eBPF).\n\n"
		   "Commands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].summary);
	fprintf(f,
		"  help CMD  show the options of CMD (same as socktrace CMD --help)\n\n"
		"Options of run and attach (see socktrace CMD --help):\n"
		"  -e, --trace=LIST   -Z, --failed-only   -z, --successful-only  -P, --ports=LIST\n"
		"  -o, --output=FILE  --format=text|json|perfetto  --view=list|sequence|gantt\n"
		"  -t, --wall-time    -r, --relative-time  -s, --payload=N     -k, --kernel-stack\n"
		"  -u, --user-stack   -T, --syscall-times  -y, --decode-fds  (as in strace)\n"
		"  -c, --summary      -C, --with-summary  --histogram          --by=conn\n"
		"  -S, --sort=KEY     -w, --summary-wall-clock (as in strace)  --interval=S\n"
		"  --record=FILE  --duration=S  --buffer-size=SIZE  -f, --follow  --no-follow\n"
		"  --color=WHEN  -q, --quiet  --stack-filter=FUNC  --stack-order=outer|inner\n"
		"  -x, --strings-in-hex[=WHEN] (as in strace)  --min-duration=TIME  --explain\n"
		"  -v, --verbose  --mechanism=auto|fentry|kprobe|tracepoint\n"
		"  attach also takes -p, --pid=PID[,PID...]\n\n"
		"  -h, --help         this text\n"
		"  -V, --version      the version\n\n"
		"Examples:\n"
		"  socktrace run -- curl -s http://127.0.0.1:8000/\n"
		"  socktrace attach :8000          (the server listening on port 8000)\n"
		"  socktrace probes\n\n"
		"Exit status: run exits with the command's status; 1 on failure; 2 on a usage "
		"error.\n");
}

static const struct command *find(const char *name)
{
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

/*
 * What is left for standard output is written before the exit, or the exit
 * is a failure, said once (argp's --help exits from inside the parse); a
 * closed pipe is not one: `| head` had what it wanted.
 */
static void stdout_at_exit(void)
{
	if (fflush(stdout) && errno != EPIPE) {
		err("cannot write to standard output: %s", strerror(errno));
		_exit(1);
	}
}

int main(int argc, char **argv)
{
	const struct command *c;
	struct config cfg;
	char name[64];
	int exit_now, ret;

	std_fds_guard();
	atexit(stdout_at_exit);
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "-V") || !strcmp(argv[1], "--version")) {
		printf("socktrace %s\n", SOCKTRACE_VERSION);
		return 0;
	}
	if (!strcmp(argv[1], "help")) {
		if (argc < 3) {
			usage(stdout);
			return 0;
		}
		c = find(argv[2]);
		if (!c) {
			err("unknown command '%s' (see socktrace --help)", argv[2]);
			return EXIT_USAGE;
		}
		snprintf(name, sizeof(name), "socktrace %s", c->name);
		char *help_argv[] = {name, "--help", NULL};

		return cli_parse(c->cmd, 2, help_argv, &cfg, &exit_now);
	}
	c = find(argv[1]);
	if (!c) {
		unknown_command(argv[1]);
		return EXIT_USAGE;
	}
	/* argp names the program after argv[0]: make its messages say "socktrace run" */
	snprintf(name, sizeof(name), "socktrace %s", c->name);
	argv[1] = name;
	ret = cli_parse(c->cmd, argc - 1, argv + 1, &cfg, &exit_now);
	if (exit_now)
		return ret;
	log_verbosity = cfg.verbose;
	return c->fn(&cfg);
}
