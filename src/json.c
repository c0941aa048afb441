// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Streaming JSON writer; see json.h. */
#include <string.h>
#include "json.h"
#include "util.h"

void json_init(struct json *j, FILE *out)
{
	/* not the buffer: perfetto starts a writer per event */
	j->out = out;
	j->depth = 0;
	j->len = 0;
	memset(j->count, 0, sizeof(j->count));
}

static void flush(struct json *j)
{
	if (j->len)
		fwrite_unlocked(j->buf, 1, j->len, j->out);
	j->len = 0;
}

/* Where n bytes can be written in place: the buffer is flushed first if they would not fit. */
static char *room(struct json *j, size_t n)
{
	if (sizeof(j->buf) - j->len < n)
		flush(j);
	return j->buf + j->len;
}

static void put_mem(struct json *j, const void *p, size_t n)
{
	if (n > sizeof(j->buf)) {
		flush(j);
		fwrite_unlocked(p, 1, n, j->out);
		return;
	}
	memcpy(room(j, n), p, n);
	j->len += n;
}

static void put_char(struct json *j, char c)
{
	*room(j, 1) = c;
	j->len++;
}

static void put_str(struct json *j, const char *s)
{
	put_mem(j, s, strlen(s));
}

/* A top-level value is complete: out it goes (callers write between them). */
static void done(struct json *j)
{
	if (!j->depth)
		flush(j);
}

/* Before any value: a comma unless it is the first at this depth or follows a key. */
static void sep(struct json *j)
{
	if (j->count[j->depth] < 0)
		j->count[j->depth] = 1; /* after a key */
	else if (j->count[j->depth]++)
		put_char(j, ',');
}

static void open_(struct json *j, char c)
{
	sep(j);
	put_char(j, c);
	if (j->depth < JSON_MAX_DEPTH - 1)
		j->depth++;
	j->count[j->depth] = 0;
}

static void close_(struct json *j, char c)
{
	if (j->depth > 0)
		j->depth--;
	put_char(j, c);
	done(j);
}

void json_obj_begin(struct json *j)
{
	open_(j, '{');
}

void json_obj_end(struct json *j)
{
	close_(j, '}');
}

void json_arr_begin(struct json *j)
{
	open_(j, '[');
}

void json_arr_end(struct json *j)
{
	close_(j, ']');
}

/* Length of the valid UTF-8 sequence at s, or 0. */
static int utf8_len(const unsigned char *s)
{
	int n = s[0] >= 0xf0 && s[0] < 0xf5 ? 4 : s[0] >= 0xe0 ? 3 : s[0] >= 0xc2 ? 2 : 0;

	for (int i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return n;
}

/* Bytes copied as they are: printable ASCII but '"' and '\\'. */
#define PLAIN1(c)  ((c) >= 0x20 && (c) < 0x7f && (c) != '"' && (c) != '\\')
#define PLAIN4(c)  PLAIN1(c), PLAIN1(c + 1), PLAIN1(c + 2), PLAIN1(c + 3)
#define PLAIN16(c) PLAIN4(c), PLAIN4(c + 4), PLAIN4(c + 8), PLAIN4(c + 12)
#define PLAIN64(c) PLAIN16(c), PLAIN16(c + 16), PLAIN16(c + 32), PLAIN16(c + 48)
static const unsigned char plain[256] = {PLAIN64(0), PLAIN64(64), PLAIN64(128), PLAIN64(192)};

#define ONES 0x0101010101010101ull
#define HIGH 0x8080808080808080ull

/* The "has a byte less than n" word trick: the high bit of such bytes (n <= 128). */
static uint64_t bytes_below(uint64_t x, unsigned int n)
{
	return (x - ONES * n) & ~x & HIGH;
}

/*
 * Of eight bytes, those that need care (a control byte, '"', '\\', DEL, or
 * a byte of a multi-byte sequence) have their high bit set in the result.
 * A byte equal to b is a zero byte of x ^ b, below 1.  Bytes above the first
 * flagged one may be flagged wrongly, never the first.
 */
static uint64_t special8(uint64_t x)
{
	return (x & HIGH) | bytes_below(x, 0x20) | bytes_below(x ^ (ONES * '"'), 1) |
	       bytes_below(x ^ (ONES * '\\'), 1) | bytes_below(x ^ (ONES * 0x7f), 1);
}

/*
 * Escaped into the buffer directly, a bounded piece of the string at a time
 * with room for its worst case (6 bytes out per byte in), plain text eight
 * bytes at a step up to the first byte that needs care: every string of
 * every record passes here, and byte by byte it was a third of a JSON
 * trace's time.
 */
#define ESC_PIECE 256

static void put_escaped(struct json *j, const char *str)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *s = (const unsigned char *)str, *end = s + strlen(str);

	put_char(j, '"');
	while (s < end) {
		const unsigned char *stop = end - s > ESC_PIECE ? s + ESC_PIECE : end;
		char *d = room(j, 6 * (ESC_PIECE + 4));

		while (s < stop) {
			unsigned char c;
			uint64_t w, m;
			int n;

			if (stop - s >= 8) {
				/* copied whole; the plain bytes before a special one stay */
				memcpy(&w, s, 8);
				memcpy(d, &w, 8);
				if (!(m = special8(w))) {
					d += 8;
					s += 8;
					continue;
				}
				n = __builtin_ctzll(m) / 8;
				d += n;
				s += n;
			}
			c = *s;
			if (plain[c]) {
				*d++ = c;
				s++;
			} else if (c == '"' || c == '\\') {
				*d++ = '\\';
				*d++ = c;
				s++;
			} else if (c == '\n' || c == '\t') {
				*d++ = '\\';
				*d++ = c == '\n' ? 'n' : 't';
				s++;
			} else if (c < 0x20 || c == 0x7f) {
				memcpy(d, "\\u00", 4);
				d[4] = hex[c >> 4];
				d[5] = hex[c & 15];
				d += 6;
				s++;
			} else if ((n = utf8_len(s))) {
				/* may end past stop: the room allows it, the NUL stops it */
				memcpy(d, s, n);
				d += n;
				s += n;
			} else {
				memcpy(d, "\\ufffd", 6);
				d += 6;
				s++;
			}
		}
		j->len = d - j->buf;
	}
	put_char(j, '"');
}

void json_key_slow(struct json *j, const char *key)
{
	sep(j);
	put_escaped(j, key);
	put_char(j, ':');
	j->count[j->depth] = -1;
}

void json_str(struct json *j, const char *s)
{
	sep(j);
	put_escaped(j, s ? s : "");
	done(j);
}

/* Numbers are written in place: a record has a dozen, and a copy each showed. */
#define NUM_ROOM 24 /* a sign, 20 digits and fmt_u64's NUL */

void json_int(struct json *j, long long v)
{
	char *d;

	sep(j);
	d = room(j, NUM_ROOM); /* before j->len is read: room may flush */
	j->len += fmt_i64(d, v);
	done(j);
}

void json_uint(struct json *j, unsigned long long v)
{
	char *d;

	sep(j);
	d = room(j, NUM_ROOM); /* before j->len is read: room may flush */
	j->len += fmt_u64(d, v);
	done(j);
}

void json_kv_us(struct json *j, const char *key, unsigned long long ns)
{
	char num[48];
	size_t o = 0;

	json_key(j, key);
	sep(j);
	buf_put_fixed(num, &o, sizeof(num), ns, 3);
	put_mem(j, num, o);
	done(j);
}

void json_bool(struct json *j, int v)
{
	sep(j);
	put_str(j, v ? "true" : "false");
	done(j);
}

void json_null(struct json *j)
{
	sep(j);
	put_str(j, "null");
	done(j);
}

void json_newline(struct json *j)
{
	put_char(j, '\n');
	flush(j);
	j->depth = 0;
	j->count[0] = 0;
}
