/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* socktrace report FILE: a recording rendered again. */
#ifndef CMD_REPORT_H
#define CMD_REPORT_H

#include "cli.h"

int cmd_report(const struct config *cfg);

#endif /* CMD_REPORT_H */
