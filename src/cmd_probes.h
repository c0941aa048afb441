/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* `socktrace probes`: what this kernel offers each hook, and what is chosen. */
#ifndef CMD_PROBES_H
#define CMD_PROBES_H

#include "cli.h"

int cmd_probes(const struct config *cfg);

#endif /* CMD_PROBES_H */
