// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdlib.h>
#include "json.h"
#include "unit.h"

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
	json_obj_end(&j);
	json_newline(&j);
	json_obj_begin(&j);
	json_obj_end(&j);
	json_newline(&j);
	fclose(f);
	t_streq(buf, "{\"s\":\"a\\\"b\\\\c\\n\\u0001\\u007f µ \\ufffd\",\"n\":-5,\"a\":[1,{},null],"
		     "\"b\":true}\n{}\n");
	free(buf);
	return t_done();
}
