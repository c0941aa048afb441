// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * argp tables for `run` and `attach` (one option table, shared), grouped as
 * in the man page: TARGET, FILTERS, OUTPUT, DEBUG.  Bad input leaves with the
 * usage line and exit status 2, as grep and diff do.
 */
#include <argp.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "util.h"
#include "xlat.h"

const char *argp_program_version = "socktrace " SOCKTRACE_VERSION;

const char *const cli_formats[] = {"text", "json", NULL};
const char *const cli_colors[] = {"auto", "always", "never", NULL};
const char *const cli_views[] = {"list", NULL};

enum {
	OPT_FORMAT = 256,
	OPT_VIEW,
	OPT_COLOR,
	OPT_NO_FOLLOW,
	OPT_DURATION,
	OPT_BUFFER_SIZE,
	OPT_MECHANISM,
};

static const struct argp_option trace_options[] = {
	{NULL, 0, NULL, 0, "FILTERS:", 1},
	{"trace", 'e', "LIST", 0,
	 "Calls to trace: categories (socket,bind,listen,accept,connect,send,recv,close,"
	 "shutdown,sockopt,select,poll,epoll,io_uring) or call names, comma-separated; "
	 "'all' (default)",
	 1},
	{"no-follow", OPT_NO_FOLLOW, NULL, 0,
	 "Do not trace child processes (threads are always traced)", 1},
	{NULL, 0, NULL, 0, "OUTPUT:", 2},
	{"output", 'o', "FILE", 0, "Write the trace to FILE (created 0600) instead of stdout", 2},
	{"format", OPT_FORMAT, "FMT", 0, "text (default) or json (JSON Lines, one object per call)",
	 2},
	{"view", OPT_VIEW, "VIEW", 0, "list (default): one line per call", 2},
	{"wall-time", 't', NULL, 0, "Show wall-clock time instead of seconds since start", 2},
	{"color", OPT_COLOR, "WHEN", 0, "auto (default; NO_COLOR is respected), always or never",
	 2},
	{"quiet", 'q', NULL, 0, "Print only the trace: no header or footer lines", 2},
	{"kernel-stack", 'k', NULL, 0,
	 "Under each call, the symbolized kernel stack of every hook hit", 2},
	{NULL, 0, NULL, 0, "PROBES:", 3},
	{"mechanism", OPT_MECHANISM, "MECH", 0,
	 "How the kernel path is hooked: auto (default: fentry, else kprobe, else tracepoint), "
	 "fentry, kprobe or tracepoint; forcing one this kernel lacks is an error",
	 3},
	{NULL, 0, NULL, 0, "CONTROL:", 4},
	{"duration", OPT_DURATION, "S", 0, "Stop after S seconds (e.g. 10, 0.5, 200ms)", 4},
	{"buffer-size", OPT_BUFFER_SIZE, "SIZE", 0,
	 "Ring buffer size, a power of two from 8K to 1G (default 8M); calls that do not fit "
	 "are counted as lost",
	 4},
	{NULL, 0, NULL, 0, "DEBUG:", 5},
	{"verbose", 'v', NULL, 0, "Say more (-vv: libbpf debug output too)", 5},
	{},
};

struct parse_state {
	struct config *cfg;
	int calls_set;
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

int cli_parse_calls(const char *list, unsigned char *sys_on)
{
	char *copy = strdup(list), *save = NULL, *w;
	int ret = 0;

	if (!copy)
		return -ENOMEM;
	for (w = strtok_r(copy, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
		const struct sys_info *s;
		int cat;

		if (!strcmp(w, "all")) {
			for (size_t i = 0; i < sys_table_len; i++)
				sys_on[sys_table[i].id] = 1;
		} else if ((cat = cat_by_name(w)) >= 0) {
			for (size_t i = 0; i < sys_table_len; i++)
				if ((int)sys_table[i].cat == cat)
					sys_on[sys_table[i].id] = 1;
		} else if ((s = sys_by_name(w))) {
			sys_on[s->id] = 1;
		} else {
			ret = -EINVAL;
			break;
		}
	}
	if (!ret) {
		ret = -EINVAL; /* an empty list selects nothing */
		for (int i = 0; i < NT_SYS_MAX; i++)
			if (sys_on[i])
				ret = 0;
	}
	free(copy);
	return ret;
}

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	struct parse_state *ps = state->input;
	struct config *cfg = ps->cfg;
	int i;

	switch (key) {
	case 'e':
		if (!ps->calls_set)
			memset(cfg->sys_on, 0, sizeof(cfg->sys_on));
		ps->calls_set = 1;
		if (cli_parse_calls(arg, cfg->sys_on))
			argp_error(state,
				   "invalid call list '%s' for -e: use categories such as "
				   "socket,send,recv or call names such as sendto",
				   arg);
		break;
	case OPT_NO_FOLLOW:
		cfg->follow = 0;
		break;
	case 'o':
		if (!*arg)
			argp_error(state, "-o needs a file name");
		cfg->output = arg;
		break;
	case OPT_FORMAT:
		if ((i = pick(arg, cli_formats, "format", state)) >= 0)
			cfg->format = i;
		break;
	case OPT_VIEW:
		pick(arg, cli_views, "view", state);
		break;
	case OPT_COLOR:
		if ((i = pick(arg, cli_colors, "color mode", state)) >= 0)
			cfg->color = i;
		break;
	case 't':
		cfg->wall_time = 1;
		break;
	case 'q':
		cfg->quiet = 1;
		break;
	case OPT_DURATION:
		if (parse_duration_ns(arg, &cfg->duration_ns))
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
	case OPT_MECHANISM:
		if ((i = pick(arg, mech_names, "mechanism", state)) >= 0)
			cfg->mechanism = i;
		break;
	case 'v':
		cfg->verbose++;
		break;
	case ARGP_KEY_ARG:
		if (cfg->cmd == CMD_PROBES) {
			argp_error(state, "probes takes no arguments");
		} else if (cfg->cmd == CMD_RUN) {
			/* the command starts here: the rest of argv is its own, options included */
			cfg->command = &state->argv[state->next - 1];
			state->next = state->argc;
		} else {
			cfg->targets = &state->argv[state->next - 1];
			cfg->ntargets = state->argc - state->next + 1;
			state->next = state->argc;
		}
		break;
	case ARGP_KEY_END:
		if (cfg->cmd == CMD_RUN && !cfg->command)
			argp_error(state, "no command to run: give it after --, e.g. socktrace run "
					  "-- curl -s URL");
		if (cfg->cmd == CMD_ATTACH && !cfg->ntargets)
			argp_error(state, "no process to attach to: give a PID or a process name");
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

static const struct argp attach_argp = {
	.options = trace_options,
	.parser = parse_opt,
	.args_doc = "PID|NAME...",
	.doc = "Trace running processes (every thread, and their new children).\v"
	       "A NAME matches the process name exactly, as pgrep does. Tracing ends on Ctrl-C, "
	       "after --duration, or when every traced process has exited.\n\n"
	       "EXAMPLES:\n"
	       "  socktrace attach $(pgrep -f http.server)\n"
	       "  socktrace attach nginx --duration 10 -e accept,close\n"
	       "  socktrace attach -q --format json 4242 | jq .call",
};

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
	cli_parse_calls("all", cfg->sys_on);
}

int cli_parse(enum cmd cmd, int argc, char **argv, struct config *cfg, int *exit_now)
{
	struct parse_state ps = {.cfg = cfg};
	const struct argp *ap = cmd == CMD_RUN	    ? &run_argp
				: cmd == CMD_ATTACH ? &attach_argp
						    : &probes_argp;
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
