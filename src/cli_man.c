/* cli_man.c - the manual page itss(1), made from the command table's help texts.
 *
 * `itss help --man` writes it; `make install` installs what it wrote, so the
 * page never says anything the program's own help does not. The help texts are
 * laid out for a terminal, so each is kept as written (.nf) with roff's special
 * characters escaped. */
#include <string.h>

#include "cli_man.h"

/* Appends text to b as roff text lines: backslashes as \e, a line that starts
 * with '.' or '\'' guarded by \&, and '-' as \- so options copy and search as
 * ASCII hyphens. */
static void put_roff(buf *b, const char *text)
{
    int line_start = 1;
    for (const char *p = text; *p; p++) {
        if (line_start && (*p == '.' || *p == '\''))
            buf_puts(b, "\\&");
        line_start = 0;
        switch (*p) {
        case '\\': buf_puts(b, "\\e"); break;
        case '-': buf_puts(b, "\\-"); break;
        case '\n': buf_putc(b, '\n'); line_start = 1; break;
        default: buf_putc(b, *p); break;
        }
    }
    if (!line_start)
        buf_putc(b, '\n');
}

/* The sections that follow the commands: environment, files, exit status. */
static void put_closing_sections(buf *b)
{
    buf_puts(b,
        ".SH ENVIRONMENT\n"
        ".TP\n.B ITSS_DB\nthe database when no \\fB\\-\\-db\\fR is given (default ./itss.db)\n"
        ".TP\n.B ITSS_CATALOG\na catalog file to use instead of the built\\-in one (as \\fB\\-\\-catalog\\fR)\n"
        ".TP\n.B ITSS_PASSWORD\nthe password of \\fBitss user add\\fR and \\fBitss user passwd\\fR when not asked for\n"
        ".TP\n.B ITSS_TRUSTED_PROXY\nthe reverse proxies of \\fBitss serve \\-\\-trusted\\-proxy\\fR\n"
        ".TP\n.B ITSS_TODAY\nthe date (YYYY\\-MM\\-DD) taken as today by the demo and plans; for tests\n"
        ".SH FILES\n"
        ".TP\n.I /var/lib/itss/itss.db\nthe database of the installed service (itss.service)\n"
        ".TP\n.I /etc/default/itss\nthe service's options (ITSS_LISTEN, ITSS_OPTIONS)\n"
        ".SH EXIT STATUS\n"
        "0 on success; 2 for bad usage or a database that cannot be used; other\n"
        "non\\-zero values as each command's section says.\n"
        ".SH SEE ALSO\n"
        "The documentation under docs/ in the source tree: architecture.md, web.md,\n"
        "store.md, csv.md, review.md, scale\\-out.md.\n");
}

/* Writes the whole page into b: name, synopsis, description, one subsection per
 * command with its help text as written, then environment, files, exit status. */
void cli_man_render(buf *b, const cli_command *cmds, size_t n, const char *version)
{
    buf_printf(b, ".TH ITSS 1 \"\" \"itss %s\" \"User Commands\"\n", version);
    buf_puts(b, ".SH NAME\nitss \\- the IT Skill Standard (ITSS) for customer service: "
                "diagnosis, levels, review and reports\n"
                ".SH SYNOPSIS\n"
                ".B itss\n.I COMMAND\n[\\fIARGUMENTS\\fR] [\\fB\\-\\-json\\fR] [\\fB\\-\\-catalog\\fR \\fIFILE\\fR]\n"
                ".br\n.B itss help\n[\\fICOMMAND\\fR]\n"
                ".br\n.B itss \\-\\-version\n"
                ".SH DESCRIPTION\n"
                "itss implements the Japanese IT Skill Standard (ITスキル標準) job category\n"
                "カスタマサービス: engineers diagnose themselves, managers review, HR runs the\n"
                "yearly campaign and certifies levels, and every level is explained criterion\n"
                "by criterion in the standard's own wording. One binary with an embedded\n"
                "SQLite database serves the web application (\\fBitss serve\\fR) and the\n"
                "command line below.\n"
                ".SH COMMANDS\n");
    for (size_t i = 0; i < n; i++) {
        buf_puts(b, ".SS ");
        buf_printf(b, "\"itss %s\"\n", cmds[i].name);
        put_roff(b, cmds[i].summary);
        buf_puts(b, ".PP\n.nf\n");
        put_roff(b, cmds[i].help);
        buf_puts(b, ".fi\n");
    }
    put_closing_sections(b);
}
