// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Streaming JSON writer; see json.h. */
#include <string.h>
#include "json.h"
#include "util.h"

void json_init(struct json *j, FILE *out)
{
	memset(j, 0, sizeof(*j));
	j->out = out;
}

/* Before any value: a comma unless it is the first at this depth or follows a key. */
static void sep(struct json *j)
{
	if (j->count[j->depth] < 0)
		j->count[j->depth] = 1; /* after a key */
	else if (j->count[j->depth]++)
		putc_unlocked(',', j->out);
}

static void open_(struct json *j, char c)
{
	sep(j);
	putc_unlocked(c, j->out);
	if (j->depth < JSON_MAX_DEPTH - 1)
		j->depth++;
	j->count[j->depth] = 0;
}

static void close_(struct json *j, char c)
{
	if (j->depth > 0)
		j->depth--;
	putc_unlocked(c, j->out);
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

static void put_escaped(FILE *out, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;

	putc_unlocked('"', out);
	while (*s) {
		const unsigned char *run = s;
		int n;

		/* a run that needs no escaping goes out in one write */
		while (*s >= 0x20 && *s < 0x7f && *s != '"' && *s != '\\')
			s++;
		if (s > run)
			fwrite_unlocked(run, 1, s - run, out);
		if (!*s)
			break;
		if (*s == '"' || *s == '\\') {
			putc_unlocked('\\', out);
			putc_unlocked(*s++, out);
		} else if (*s == '\n') {
			fputs_unlocked("\\n", out);
			s++;
		} else if (*s == '\t') {
			fputs_unlocked("\\t", out);
			s++;
		} else if (*s < 0x20 || *s == 0x7f) {
			fprintf(out, "\\u%04x", *s++);
		} else if ((n = utf8_len(s))) {
			fwrite_unlocked(s, 1, n, out);
			s += n;
		} else {
			fputs_unlocked("\\ufffd", out);
			s++;
		}
	}
	putc_unlocked('"', out);
}

void json_key(struct json *j, const char *key)
{
	sep(j);
	put_escaped(j->out, key);
	putc_unlocked(':', j->out);
	j->count[j->depth] = -1;
}

void json_str(struct json *j, const char *s)
{
	sep(j);
	put_escaped(j->out, s ? s : "");
}

void json_int(struct json *j, long long v)
{
	char num[24];

	sep(j);
	fwrite_unlocked(num, 1, fmt_i64(num, v), j->out);
}

void json_uint(struct json *j, unsigned long long v)
{
	char num[24];

	sep(j);
	fwrite_unlocked(num, 1, fmt_u64(num, v), j->out);
}

void json_kv_us(struct json *j, const char *key, unsigned long long ns)
{
	char num[48];
	size_t o = 0;

	json_key(j, key);
	sep(j);
	buf_put_fixed(num, &o, sizeof(num), ns, 3);
	fwrite_unlocked(num, 1, o, j->out);
}

void json_bool(struct json *j, int v)
{
	sep(j);
	fputs(v ? "true" : "false", j->out);
}

void json_null(struct json *j)
{
	sep(j);
	fputs("null", j->out);
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
	putc_unlocked('\n', j->out);
	j->depth = 0;
	j->count[0] = 0;
}
