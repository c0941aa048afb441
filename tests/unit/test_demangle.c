// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Mangled names as a user stack shows them: demangled, without their parameters. */
#include <stdlib.h>
#include "demangle.h"
#include "unit.h"

static void check(const char *sym, const char *want)
{
	char *got = demangle(sym);

	t_streq(got, want);
	free(got);
}

int main(void)
{
	check("_ZN4node5StartEiPPc", "node::Start");
	check("_ZN4node10StreamBase6WritevERKN2v820FunctionCallbackInfoINS1_5ValueEEE",
	      "node::StreamBase::Writev");
	check("_ZNK3foo3barEv", "foo::bar");	    /* const method */
	check("_ZN3fooclEi", "foo::operator()");    /* its own parentheses stay */
	check("_Z3maxIiET_S0_S0_", "int max<int>"); /* a template's return type */
	check("_ZN12_GLOBAL__N_13fooEv", "(anonymous namespace)::foo");
	check("_ZZ4mainE7counter", "main::counter"); /* no list: kept whole */
	/* not mangled, or not validly: the name as it is (NULL) */
	check("main", NULL);
	check("_Zgarbage", NULL);
	return t_done();
}
