/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Strict number parsing and time formatting. */
#ifndef UTIL_H
#define UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/types.h>
#include "poison.h"

/* Whole string must be a number within [min, max]; 0 or -EINVAL / -ERANGE. */
int parse_long(const char *s, long min, long max, long *out);
/* A port, 1 to 65535, by number or by its name in /etc/services ("http"). */
int parse_port(const char *s, long *out);
/* Seconds, fractions allowed ("2", "0.5", "1.5s", "200ms"); 0 or -EINVAL/-ERANGE. */
int parse_duration_ns(const char *s, uint64_t *out);
/* "1 call", "2 calls": the ending a count's noun takes */
static inline const char *plural(unsigned long long n)
{
	return n == 1 ? "" : "s";
}
/* "8.2µs", "1.25ms", "3.000s" */
char *fmt_dur(uint64_t ns, char *buf, size_t len);
/*
 * The reader's hot path formats every call: these write without printf's
 * parsing (which was most of the reader's time).  fmt_u64/fmt_i64 write
 * decimal digits and a NUL into buf (21 bytes are enough), returning the
 * digits' count; buf_put appends s at *o within len, keeping a NUL.
 */
size_t fmt_u64(char *buf, uint64_t v);
size_t fmt_i64(char *buf, int64_t v);
/* as printf's %#llx: "0x" and lowercase hex digits, "0" for 0 */
size_t fmt_x64(char *buf, uint64_t v);
/* buf_put of the n bytes at s, where the caller knows n */
static inline void buf_put_n(char *buf, size_t *o, size_t len, const char *s, size_t n)
{
	if (*o + 1 >= len)
		return;
	if (n > len - 1 - *o)
		n = len - 1 - *o;
	memcpy(buf + *o, s, n);
	*o += n;
	buf[*o] = 0;
}
/* Inline: most of its strings are literals, whose length the compiler knows. */
static inline void buf_put(char *buf, size_t *o, size_t len, const char *s)
{
	buf_put_n(buf, o, len, s, strlen(s));
}
/* v as "<int>.<frac>" with frac_digits digits (v counted in 10^-frac_digits units) */
void buf_put_fixed(char *buf, size_t *o, size_t len, uint64_t v, int frac_digits);
uint64_t mono_ns(void);
/*
 * Opens /dev/null on each of fds 0-2 found closed, so that no file socktrace
 * opens (a BPF map, the ring) takes its place and gets the trace written
 * into it.  std_fds_closed says which were (bit n for fd n).
 */
void std_fds_guard(void);
extern unsigned int std_fds_closed;
uint64_t real_ns(void);
/* Visible width of a UTF-8 string (an arrow is one column, three bytes). */
int utf8_width(const char *s);
/* of its first n bytes */
int utf8_width_n(const char *s, size_t n);
/*
 * A name the traced program chose (its comm, an exec path) made safe to print:
 * each terminal control (C0, DEL, a UTF-8 C1 such as CSI) becomes '?', as ps(1)
 * shows it, so a program cannot move the cursor or recolour the trace; a
 * character cut short at the end is dropped.
 */
char *printable(char *s);
/* The columns of the terminal on fd, else $COLUMNS, else 160 (a file has no width); 40 to 1000. */
int terminal_width(int fd);
/* 1 if execvp would find a file by that name (a path, or on PATH) to try. */
int command_exists(const char *name);
/* Raises the soft limit on open files to the hard one; the limit now, 0 if unknown. */
unsigned long nofile_raise(void);

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/*
 * A demo server stopped and reaped.  One SIGTERM is not enough: one that lands
 * between the server's look at its stop flag and the wait it then enters is
 * spent, and the server waits on.  Sent again every 100 ms, SIGKILL after 5 s.
 */
int stop_server_child(pid_t pid, int *status);

/*
 * fd read to its end, not by its size (a pipe, a file still growing, /proc):
 * malloc'd, with a NUL after the *len bytes.  NULL with errno set, EFBIG past
 * max bytes.  hint: the size expected, 0 if not known.
 */
void *read_to_end(int fd, size_t hint, size_t max, size_t *len);

#endif /* UTIL_H */
