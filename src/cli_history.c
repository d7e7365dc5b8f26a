/* cli_history.c - `itss history PERSON [--cycle CYCLE]`: every change of an
 * assessment, oldest first, as the store's append-only history keeps it: its
 * creation, each answer's value and evidence as they changed, and each status
 * change, with when and by whom. */
#include <stdio.h>
#include <string.h>
#include <jansson.h>

#include "buf.h"
#include "cli.h"
#include "cli_store.h"
#include "store.h"

#define PROG "itss history"

const char cli_history_help[] =
    "usage: itss history PERSON [--cycle CYCLE] [--db PATH] [--json]\n"
    "\n"
    "Shows every change of PERSON's assessment (by default the one of the latest\n"
    "cycle they have one in), oldest first, one a line: when (UTC), who, what\n"
    "changed, and the value before and after:\n"
    "\n"
    "  2026-05-12T08:30:00Z  E0001  value     CS.HW.L3.complexity.1 self  - -> 1\n"
    "  2026-05-12T08:30:00Z  E0001  evidence  CS.HW.L3.complexity.1 self  - -> 3,7\n"
    "  2026-05-20T10:02:11Z  E0100  status    submitted -> approved\n"
    "\n"
    "'-' is no value (a first answer, a removed one); evidence is the experience\n"
    "record ids. The history is append-only: nothing in it is ever changed.\n"
    "\n"
    "options:\n"
    "  --cycle CYCLE    the assessment of this cycle (2026年度)\n"
    "  --db PATH        the database (default: $ITSS_DB, else ./itss.db)\n"
    "  --json           one JSON object per change, in an array\n"
    "\n"
    "exit status: 0 shown, 3 no such person or assessment, 2 bad usage.\n";

static const char history_usage[] = "usage: itss history PERSON [--cycle CYCLE] [--db PATH] [--json]\n";

/* itss history: see cli_history_help. */
int cli_history_main(const cli_command *cmd, int argc, char **argv)
{
    (void)cmd;
    const char *db_path = NULL, *cycle = NULL;
    const cli_option options[] = {
        { "--db", &db_path, NULL },
        { "--cycle", &cycle, NULL },
        { NULL, NULL, NULL },
    };
    cli_args a;
    if (cli_parse(PROG, history_usage, argc - 1, argv + 1, options, &a) != CLI_OK)
        return CLI_USAGE;
    if (a.help) {
        fputs(cli_history_help, stdout);
        return CLI_OK;
    }
    if (a.n_pos != 1)
        return cli_usage_error(PROG, history_usage, a.n_pos ? "unexpected argument '%s'" : "%sa PERSON is needed",
                               a.n_pos ? a.pos[1] : "");
    store *db = cli_store_open(PROG, db_path, 0);
    if (!db)
        return CLI_REFUSED;
    store_person person;
    store_assessment info;
    store_history_list h;
    memset(&person, 0, sizeof person);
    memset(&info, 0, sizeof info);
    memset(&h, 0, sizeof h);
    err e = { 0 };
    int status = CLI_OK;
    if (cli_find_person(PROG, db, a.pos[0], NULL, &person) != 1
        || cli_find_assessment(PROG, db, &person, cycle, &info) != 1) {
        status = CLI_REFUSED;
    } else if (store_history_list_assessment(db, info.id, &h, &e) < 0) {
        cli_store_error(PROG, &e, NULL);
        status = CLI_REFUSED;
    }
    if (status == CLI_OK && a.json) {
        json_t *arr = json_array();
        for (size_t i = 0; i < h.count; i++) {
            const store_history_entry *x = &h.items[i];
            json_t *o = json_object();
            json_object_set_new(o, "at", json_string(x->at));
            json_object_set_new(o, "actor", json_string(x->actor));
            json_object_set_new(o, "field", json_string(x->field));
            json_object_set_new(o, "element_id", x->element_id ? json_string(x->element_id) : json_null());
            json_object_set_new(o, "rater", x->rater >= 0 ? json_string(assessment_rater_name((assessment_rater)x->rater))
                                                            : json_null());
            json_object_set_new(o, "old", x->old_value ? json_string(x->old_value) : json_null());
            json_object_set_new(o, "new", x->new_value ? json_string(x->new_value) : json_null());
            json_array_append_new(arr, o);
        }
        status = cli_print_json(arr);
    } else if (status == CLI_OK) {
        buf b;
        buf_init(&b);
        for (size_t i = 0; i < h.count; i++) {
            const store_history_entry *x = &h.items[i];
            buf_printf(&b, "%s  %s  %-8s  ", x->at, x->actor, x->field);
            if (x->element_id)
                buf_printf(&b, "%s %s  ", x->element_id,
                           x->rater >= 0 ? assessment_rater_name((assessment_rater)x->rater) : "");
            buf_printf(&b, "%s -> %s\n", x->old_value ? x->old_value : "-", x->new_value ? x->new_value : "-");
        }
        status = cli_write(&b, stdout);
        buf_free(&b);
    }
    store_history_list_free(&h);
    store_assessment_clear(&info);
    store_person_clear(&person);
    store_close(db);
    return status;
}
