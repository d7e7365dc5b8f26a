/* cli_man.h - the manual page itss(1) from the command table (cli_man.c). */
#ifndef ITSS_CLI_MAN_H
#define ITSS_CLI_MAN_H

#include <stddef.h>
#include "buf.h"
#include "cli.h"

/* Appends the roff source of itss(1) to b: every command of cmds (n rows) with
 * its summary and help text as `itss help COMMAND` prints it. */
void cli_man_render(buf *b, const cli_command *cmds, size_t n, const char *version);

#endif
