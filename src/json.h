/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * A small streaming JSON writer (json_writer-shaped): keys and values are
 * written as they come, commas are placed for the caller, and strings are
 * escaped so that any byte sequence still yields valid UTF-8 JSON.  Each
 * top-level value reaches the FILE in one write once complete, so a caller
 * may write to it between values (never inside one).
 */
#ifndef JSON_H
#define JSON_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "poison.h"

#define JSON_MAX_DEPTH 16

struct json {
	FILE *out;
	int depth;
	int count[JSON_MAX_DEPTH]; /* values written at each depth, for commas */
	/* a top-level value is put together here and written once it is complete */
	size_t len;
	char buf[8192];
};

void json_init(struct json *j, FILE *out);
void json_obj_begin(struct json *j);
void json_obj_end(struct json *j);
void json_arr_begin(struct json *j);
void json_arr_end(struct json *j);
void json_key_slow(struct json *j, const char *key);

/*
 * key is one of our own names (letters, digits, '_'): it is not escaped.
 * Inline, with the kv calls below, so that a literal key's length is known
 * and it is copied in place: a record has dozens, and a call each was a
 * fifth of writing one.
 */
static inline void json_key(struct json *j, const char *key)
{
	size_t n = strlen(key);
	char *d;

	if (n + 4 > sizeof(j->buf) - j->len) {
		json_key_slow(j, key); /* near the buffer's end: the long way */
		return;
	}
	d = j->buf + j->len;
	if (j->count[j->depth] > 0)
		*d++ = ',';
	*d++ = '"';
	memcpy(d, key, n);
	d += n;
	*d++ = '"';
	*d++ = ':';
	j->len = d - j->buf;
	j->count[j->depth] = -1; /* the value follows without a comma */
}

void json_str(struct json *j, const char *s);
void json_int(struct json *j, long long v);
void json_uint(struct json *j, unsigned long long v);
void json_bool(struct json *j, int v);
void json_null(struct json *j);
/* key + value in one call */
static inline void json_kv_str(struct json *j, const char *key, const char *s)
{
	json_key(j, key);
	json_str(j, s);
}

static inline void json_kv_int(struct json *j, const char *key, long long v)
{
	json_key(j, key);
	json_int(j, v);
}

static inline void json_kv_uint(struct json *j, const char *key, unsigned long long v)
{
	json_key(j, key);
	json_uint(j, v);
}

/*
 * s is one of our own names too (a call, a category, a socket kind: tables
 * of letters, digits and punctuation, no quote or backslash): copied in
 * place unescaped, as keys are.  Escaping a short string costs more than
 * the copy, and a record has half a dozen of these.
 */
static inline void json_kv_name(struct json *j, const char *key, const char *s)
{
	size_t n = strlen(s);
	char *d;

	json_key(j, key);
	if (n + 2 > sizeof(j->buf) - j->len || !j->depth) {
		json_str(j, s); /* near the buffer's end: the long way */
		return;
	}
	d = j->buf + j->len;
	*d++ = '"';
	memcpy(d, s, n);
	d += n;
	*d++ = '"';
	j->len = d - j->buf;
	j->count[j->depth] = 1;
}

/* ns written as microseconds with three decimals (Chrome trace event times) */
void json_kv_us(struct json *j, const char *key, unsigned long long ns);
/* Ends one JSON Lines record. */
void json_newline(struct json *j);

#endif /* JSON_H */
