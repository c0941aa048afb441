// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Small helpers with no kernel access. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
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

/*
 * /etc/services read here, not through getservbyname: glibc's NSS needs its
 * shared libraries, which the static build the VM tests boot does not have.
 */
int parse_port(const char *s, long *out)
{
	char line[512], *save, *w, *port;
	FILE *f;
	int ret = -EINVAL;

	if (s && isdigit((unsigned char)*s))
		return parse_long(s, 1, 65535, out);
	if (!s || !*s || !(f = fopen("/etc/services", "re")))
		return -EINVAL;
	/* "http		80/tcp		www		# WorldWideWeb HTTP" */
	while (ret && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "#\n")] = 0;
		w = strtok_r(line, " \t", &save);
		port = w ? strtok_r(NULL, " \t", &save) : NULL;
		if (!port)
			continue;
		port[strcspn(port, "/")] = 0; /* then its aliases: www for http */
		for (; w && ret; w = strtok_r(NULL, " \t", &save))
			if (!strcmp(w, s) && !parse_long(port, 1, 65535, out))
				ret = 0;
	}
	fclose(f);
	return ret;
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
	else if (!strcmp(end, "us") || !strcmp(end, "µs"))
		scale = 1e3;
	else if (!strcmp(end, "m"))
		scale = 60e9;
	else if (!strcmp(end, "h")) /* as timeout(1) takes it: an attach left for the night */
		scale = 3600e9;
	else if (*end && strcmp(end, "s"))
		return -EINVAL;
	if (errno == ERANGE || !isfinite(v) || v <= 0)
		return -ERANGE;
	if (v * scale > 1e9 * 86400 * 365)
		return -E2BIG;
	*out = (uint64_t)(v * scale);
	return 0;
}

/* Two digits a step: every number of every record passes here. */
size_t fmt_u64(char *buf, uint64_t v)
{
	static const char pairs[201] = "00010203040506070809101112131415161718192021222324"
				       "25262728293031323334353637383940414243444546474849"
				       "50515253545556575859606162636465666768697071727374"
				       "75767778798081828384858687888990919293949596979899";
	size_t n = 1;
	char *p;

	/* digits counted first, then written from the end in place (no copy) */
	for (uint64_t t = v; t >= 10; t /= 10)
		n++;
	p = buf + n;
	*p = 0;
	for (; v >= 100; v /= 100)
		memcpy(p -= 2, pairs + 2 * (v % 100), 2);
	if (v >= 10)
		memcpy(p - 2, pairs + 2 * v, 2);
	else
		p[-1] = '0' + v;
	return n;
}

size_t fmt_i64(char *buf, int64_t v)
{
	if (v >= 0)
		return fmt_u64(buf, v);
	buf[0] = '-';
	return 1 + fmt_u64(buf + 1, -(uint64_t)v);
}

size_t fmt_x64(char *buf, uint64_t v)
{
	static const char hex[] = "0123456789abcdef";
	size_t n = 2;

	if (!v)
		return memcpy(buf, "0", 2), 1;
	memcpy(buf, "0x", 2);
	for (int shift = 60 - __builtin_clzll(v) / 4 * 4; shift >= 0; shift -= 4)
		buf[n++] = hex[(v >> shift) & 15];
	buf[n] = 0;
	return n;
}

void buf_put_fixed(char *buf, size_t *o, size_t len, uint64_t v, int frac_digits)
{
	uint64_t scale = 1;
	char num[48];
	size_t n;

	for (int i = 0; i < frac_digits; i++)
		scale *= 10;
	n = fmt_u64(num, v / scale);
	num[n++] = '.';
	for (int i = frac_digits - 1; i >= 0; i--, v /= 10)
		num[n + i] = '0' + v % 10;
	num[n + frac_digits] = 0;
	buf_put_n(buf, o, len, num, n + frac_digits);
}

/* %.1fµs and friends, rounded to the digits shown, without floating point */
char *fmt_dur(uint64_t ns, char *buf, size_t len)
{
	size_t o = 0;

	buf[0] = 0;
	if (ns < 1000) {
		o = fmt_u64(buf, ns);
		buf_put(buf, &o, len, "ns");
	} else if (ns < 1000000) {
		buf_put_fixed(buf, &o, len, (ns + 50) / 100, 1);
		buf_put(buf, &o, len, "µs");
	} else if (ns < 1000000000) {
		buf_put_fixed(buf, &o, len, (ns + 5000) / 10000, 2);
		buf_put(buf, &o, len, "ms");
	} else {
		buf_put_fixed(buf, &o, len, (ns + 500000) / 1000000, 3);
		buf_put(buf, &o, len, "s");
	}
	return buf;
}

static uint64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

unsigned int std_fds_closed;

void std_fds_guard(void)
{
	for (int fd = 0; fd <= 2; fd++)
		if (fcntl(fd, F_GETFD) < 0 && errno == EBADF &&
		    open("/dev/null", O_RDWR) == fd) /* the lowest free fd: this one */
			std_fds_closed |= 1u << fd;
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

	/* narrower than 40 or wider than 1000: the nearest the views can draw */
	if (!ioctl(fd, TIOCGWINSZ, &ws) && ws.ws_col)
		cols = ws.ws_col;
	else if (!getenv("COLUMNS") || parse_long(getenv("COLUMNS"), 1, LONG_MAX, &cols))
		return 160;
	return cols < 40 ? 40 : cols > 1000 ? 1000 : (int)cols;
}

char *printable(char *s)
{
	unsigned char *p = (unsigned char *)s, *lead;

	for (; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			*p = '?';
		else if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)
			*p = p[1] = '?', p++;
	/* the kernel cuts a comm at 15 bytes, maybe inside a character: its start goes */
	for (lead = p; lead > (unsigned char *)s && (lead[-1] & 0xc0) == 0x80; lead--)
		;
	if (lead > (unsigned char *)s && lead[-1] >= 0xc0 &&
	    p - (lead - 1) < (lead[-1] >= 0xf0	 ? 4
			      : lead[-1] >= 0xe0 ? 3
						 : 2))
		lead[-1] = 0;
	return s;
}

int utf8_width(const char *s)
{
	return utf8_width_n(s, strlen(s));
}

int utf8_width_n(const char *s, size_t n)
{
	int w = 0;

	/* eight bytes a step: a continuation byte has its top bits 10 */
	for (; n >= 8; n -= 8, s += 8) {
		uint64_t x;

		memcpy(&x, s, 8);
		/* one in each continuation byte's low bit, summed into the top byte */
		x = (x & ~(x << 1) & 0x8080808080808080ull) >> 7;
		w += 8 - (int)((x * 0x0101010101010101ull) >> 56);
	}
	for (; n; n--, s++)
		w += ((unsigned char)*s & 0xc0) != 0x80;
	return w;
}

int command_exists(const char *name)
{
	const char *path = getenv("PATH");
	char file[4096];

	if (!*name) /* "dir/" + "" is a directory, not a command */
		return 0;
	if (strchr(name, '/'))
		return !access(name, F_OK);
	/* execvp tries every match in turn: any file is one it would try */
	for (const char *p = path ? path : "/bin:/usr/bin"; *p;) {
		size_t n = strcspn(p, ":");

		if (n &&
		    snprintf(file, sizeof(file), "%.*s/%s", (int)n, p, name) < (int)sizeof(file) &&
		    !access(file, F_OK))
			return 1;
		p += n + (p[n] == ':');
	}
	return 0;
}

unsigned long nofile_raise(void)
{
	struct rlimit r;

	if (getrlimit(RLIMIT_NOFILE, &r))
		return 0;
	if (r.rlim_cur < r.rlim_max) {
		r.rlim_cur = r.rlim_max;
		if (setrlimit(RLIMIT_NOFILE, &r))
			getrlimit(RLIMIT_NOFILE, &r);
	}
	return r.rlim_cur == RLIM_INFINITY ? ~0ul : r.rlim_cur;
}

int stop_server_child(pid_t pid, int *status)
{
	struct timespec tick = {0, 10000000};

	for (int i = 0;; i++) {
		pid_t w;

		/* again every 100 ms; after 5 s it is not coming */
		if (i % 10 == 0)
			kill(pid, i < 500 ? SIGTERM : SIGKILL);
		w = waitpid(pid, status, WNOHANG);
		if (w == pid)
			return 0;
		if (w < 0 && errno != EINTR)
			return -1;
		nanosleep(&tick, NULL);
	}
}

void *read_to_end(int fd, size_t hint, size_t max, size_t *len)
{
	size_t cap = hint ? hint : 1 << 16, n = 0;
	char *buf, *grown;
	ssize_t got;
	int e;

	if (cap > max)
		cap = max;
	if (!(buf = malloc(cap + 1)))
		return NULL;
	for (;;) {
		if (n == cap) {
			if (cap >= max) {
				errno = EFBIG;
				goto fail;
			}
			cap = cap * 2 < max ? cap * 2 : max;
			grown = realloc(buf, cap + 1);
			if (!grown)
				goto fail;
			buf = grown;
		}
		got = read(fd, buf + n, cap - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			goto fail;
		if (!got)
			break;
		n += got;
	}
	buf[n] = 0;
	*len = n;
	return buf;
fail:
	e = errno;
	free(buf);
	errno = e;
	return NULL;
}
