// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "json.h"
#include "unit.h"

/* The escaping, one byte at a time: what the writer's pieces must add up to. */
static size_t reference(const unsigned char *s, size_t n, char *out)
{
	size_t o = 0;

	out[o++] = '"';
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '"' || s[i] == '\\')
			o += sprintf(out + o, "\\%c", s[i]);
		else if (s[i] == '\n')
			o += sprintf(out + o, "\\n");
		else if (s[i] < 0x20 || s[i] == 0x7f)
			o += sprintf(out + o, "\\u%04x", s[i]);
		else if (s[i] == 0xc2 && i + 1 < n && s[i + 1] == 0xb5)
			o += sprintf(out + o, "\xc2\xb5"), i++;
		else if (s[i] >= 0x80)
			o += sprintf(out + o, "\\ufffd");
		else
			out[o++] = s[i];
	}
	out[o++] = '"';
	out[o] = 0;
	return o;
}

/*
 * Strings longer than the writer's buffer and its escaping pieces, with
 * escapes and a two-byte UTF-8 sequence falling on every offset of a piece's
 * end: nothing is lost, split or doubled.
 */
static void test_long_strings(void)
{
	static const char *bits[] = {"a", "\"", "\x01", "\xc2\xb5", "\xff", "\n"};
	enum { N = 20000 };
	unsigned char *s = malloc(N + 1);
	char *want = malloc(6 * N + 3), *buf = NULL;
	size_t len = 0, n = 0;

	for (unsigned k = 0; n < N - 2; k++) {
		const char *b = bits[(k * 7 + k / 5) % 6];

		memcpy(s + n, b, strlen(b));
		n += strlen(b);
	}
	s[n] = 0;
	for (size_t cut = n - 600; cut <= n; cut += 97) {
		FILE *f = open_memstream(&buf, &len);
		struct json j;
		unsigned char c = s[cut];

		s[cut] = 0;
		json_init(&j, f);
		json_str(&j, (char *)s);
		fclose(f);
		reference(s, cut, want);
		t_streq(buf, want);
		s[cut] = c;
		free(buf);
		buf = NULL;
	}
	free(s);
	free(want);
}

/* An object of many keys crosses the buffer's end at every offset of a key. */
static void test_many_keys(void)
{
	char *buf = NULL, *want = malloc(1 << 17);
	size_t len = 0, o = 0;
	FILE *f = open_memstream(&buf, &len);
	struct json j;

	json_init(&j, f);
	json_obj_begin(&j);
	o += sprintf(want + o, "{");
	for (int i = 0; i < 3000; i++) {
		char key[16];

		snprintf(key, sizeof(key), "key_%d", i % 97);
		/* names and numbers by turns: both cross the buffer's end somewhere */
		if (i % 3) {
			json_kv_int(&j, key, i);
			o += sprintf(want + o, "%s\"%s\":%d", i ? "," : "", key, i);
		} else {
			json_kv_name(&j, key, "UNIX-STREAM");
			o += sprintf(want + o, "%s\"%s\":\"UNIX-STREAM\"", i ? "," : "", key);
		}
	}
	json_obj_end(&j);
	json_newline(&j);
	sprintf(want + o, "}\n");
	fclose(f);
	t_streq(buf, want);
	free(buf);
	free(want);
}

int main(void)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct json j;

	json_init(&j, f);
	json_obj_begin(&j);
	json_kv_str(&j, "s", "a\"b\\c\n\x01\x7f µ \xff");
	json_kv_int(&j, "n", -5);
	json_key(&j, "a");
	json_arr_begin(&j);
	json_uint(&j, 1);
	json_obj_begin(&j);
	json_obj_end(&j);
	json_null(&j);
	json_arr_end(&j);
	json_key(&j, "b");
	json_bool(&j, 1);
	json_kv_name(&j, "call", "getsockname");
	json_obj_end(&j);
	json_newline(&j);
	json_obj_begin(&j);
	json_kv_name(&j, "first", "TCP");
	json_kv_name(&j, "empty", "");
	json_obj_end(&j);
	json_newline(&j);
	fclose(f);
	t_streq(buf, "{\"s\":\"a\\\"b\\\\c\\n\\u0001\\u007f µ \\ufffd\",\"n\":-5,\"a\":[1,{},null],"
		     "\"b\":true,\"call\":\"getsockname\"}\n{\"first\":\"TCP\",\"empty\":\"\"}\n");
	free(buf);
	test_long_strings();
	test_many_keys();
	return t_done();
}
