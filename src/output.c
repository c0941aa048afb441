// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The output file and the sink; see output.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "log.h"
#include "output.h"
#include "util.h"

int output_open(const struct config *cfg, struct sink *sink, FILE **out)
{
	int fd, color;

	*out = stdout;
	if (!cfg->output && std_fds_closed & (1u << STDOUT_FILENO)) {
		err("standard output is closed, and the trace goes there: give -o FILE");
		*out = NULL;
		return -EBADF;
	}
	if (cfg->output) {
		fd = open(cfg->output, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
		if (fd < 0 || !(*out = fdopen(fd, "w"))) {
			err("cannot open output file '%s': %s", cfg->output, strerror(errno));
			if (fd >= 0)
				close(fd);
			*out = NULL;
			return -errno;
		}
	}
	/*
	 * Flushed after every drain: the terminal stays live, writes stay
	 * batched.  glibc takes the size only with a buffer (NULL gets 4 KiB),
	 * and there is one output per process.
	 */
	static char buf[1 << 16];

	setvbuf(*out, buf, _IOFBF, sizeof(buf));
	color = cfg->color == COLOR_ALWAYS ||
		(cfg->color == COLOR_AUTO && isatty(fileno(*out)) && !getenv("NO_COLOR") &&
		 !(getenv("TERM") && !strcmp(getenv("TERM"), "dumb")));
	sink->ops = cfg->format == FMT_PERFETTO	 ? &perfetto_sink_ops
		    : cfg->format == FMT_JSON	 ? &json_sink_ops
		    : cfg->view == VIEW_SEQUENCE ? &sequence_sink_ops
		    : cfg->view == VIEW_GANTT	 ? &gantt_sink_ops
						 : &text_sink_ops;
	sink->out = *out;
	sink->opts.color = cfg->format == FMT_TEXT && color;
	sink->opts.wall_time = cfg->wall_time;
	sink->opts.relative = cfg->relative_time;
	sink->opts.quiet = cfg->quiet;
	sink->opts.explain = cfg->explain;
	sink->opts.strings_hex = cfg->strings_hex;
	sink->opts.summary = cfg->summary;
	sink->opts.outer_first = cfg->stack_outer_first;
	sink->opts.width = terminal_width(fileno(*out));
	return cfg->per_thread ? output_split(sink, cfg->output) : 0;
}

void output_failed(const struct config *cfg, const char *what, int e)
{
	if (cfg->output)
		err("cannot write the %s to '%s': %s", what, cfg->output, strerror(e));
	else
		err("cannot write the %s to standard output: %s", what, strerror(e));
}
