/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* demo --compare: every backend under the same load, counted in the kernel. */
#ifndef COMPARE_H
#define COMPARE_H

#include "cli.h"

int compare_backends(const struct config *cfg);

#endif /* COMPARE_H */
