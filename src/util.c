// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Small helpers with no kernel access. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include "util.h"

int parse_long(const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	if (!s || !*s)
		return -EINVAL;
	errno = 0;
	v = strtol(s, &end, 10);
	if (*end)
		return -EINVAL;
	if (errno == ERANGE || v < min || v > max)
		return -ERANGE;
	*out = v;
	return 0;
}

int parse_duration_ns(const char *s, uint64_t *out)
{
	double v, scale = 1e9;
	char *end;

	if (!s || !*s)
		return -EINVAL;
	errno = 0;
	v = strtod(s, &end);
	if (end == s)
		return -EINVAL;
	if (!strcmp(end, "ms"))
		scale = 1e6;
	else if (!strcmp(end, "m"))
		scale = 60e9;
	else if (*end && strcmp(end, "s"))
		return -EINVAL;
	if (errno == ERANGE || !isfinite(v) || v <= 0 || v * scale > 1e9 * 86400 * 365)
		return -ERANGE;
	*out = (uint64_t)(v * scale);
	return 0;
}

char *fmt_dur(uint64_t ns, char *buf, size_t len)
{
	if (ns < 1000)
		snprintf(buf, len, "%lluns", (unsigned long long)ns);
	else if (ns < 1000000)
		snprintf(buf, len, "%.1fµs", ns / 1e3);
	else if (ns < 1000000000)
		snprintf(buf, len, "%.2fms", ns / 1e6);
	else
		snprintf(buf, len, "%.3fs", ns / 1e9);
	return buf;
}

static uint64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

uint64_t mono_ns(void)
{
	return clock_ns(CLOCK_MONOTONIC);
}

uint64_t real_ns(void)
{
	return clock_ns(CLOCK_REALTIME);
}

int terminal_width(int fd)
{
	struct winsize ws;
	long cols;

	if (!ioctl(fd, TIOCGWINSZ, &ws) && ws.ws_col >= 40)
		return ws.ws_col;
	if (getenv("COLUMNS") && !parse_long(getenv("COLUMNS"), 40, 1000, &cols))
		return (int)cols;
	return 160;
}

int utf8_width(const char *s)
{
	int w = 0;

	for (; *s; s++)
		w += ((unsigned char)*s & 0xc0) != 0x80;
	return w;
}
