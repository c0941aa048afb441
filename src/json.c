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

static void put_mem(struct json *j, const void *p, size_t n)
{
	if (j->len + n > sizeof(j->buf)) {
		flush(j);
		if (n > sizeof(j->buf)) {
			fwrite_unlocked(p, 1, n, j->out);
			return;
		}
	}
	memcpy(j->buf + j->len, p, n);
	j->len += n;
}

static void put_char(struct json *j, char c)
{
	if (j->len == sizeof(j->buf))
		flush(j);
	j->buf[j->len++] = c;
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

static void put_escaped(struct json *j, const char *str)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *s = (const unsigned char *)str;

	put_char(j, '"');
	while (*s) {
		const unsigned char *run = s;
		int n;

		/* a run that needs no escaping is copied at once */
		while (*s >= 0x20 && *s < 0x7f && *s != '"' && *s != '\\')
			s++;
		if (s > run)
			put_mem(j, run, s - run);
		if (!*s)
			break;
		if (*s == '"' || *s == '\\') {
			put_char(j, '\\');
			put_char(j, *s++);
		} else if (*s == '\n') {
			put_str(j, "\\n");
			s++;
		} else if (*s == '\t') {
			put_str(j, "\\t");
			s++;
		} else if (*s < 0x20 || *s == 0x7f) {
			char u[7] = {'\\', 'u', '0', '0', hex[*s >> 4], hex[*s & 15], 0};

			put_str(j, u);
			s++;
		} else if ((n = utf8_len(s))) {
			put_mem(j, s, n);
			s += n;
		} else {
			put_str(j, "\\ufffd");
			s++;
		}
	}
	put_char(j, '"');
}

void json_key(struct json *j, const char *key)
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

void json_int(struct json *j, long long v)
{
	char num[24];

	sep(j);
	put_mem(j, num, fmt_i64(num, v));
	done(j);
}

void json_uint(struct json *j, unsigned long long v)
{
	char num[24];

	sep(j);
	put_mem(j, num, fmt_u64(num, v));
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

void json_kv_str(struct json *j, const char *key, const char *s)
{
	json_key(j, key);
	json_str(j, s);
}

void json_kv_int(struct json *j, const char *key, long long v)
{
	json_key(j, key);
	json_int(j, v);
}

void json_kv_uint(struct json *j, const char *key, unsigned long long v)
{
	json_key(j, key);
	json_uint(j, v);
}

void json_newline(struct json *j)
{
	put_char(j, '\n');
	flush(j);
	j->depth = 0;
	j->count[0] = 0;
}
