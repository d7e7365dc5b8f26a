/* cli_user.c - `itss user` (accounts of the web application) and `itss token`
 * (bearer tokens for scripts that use the JSON API).
 *
 * Passwords come from --password-file FILE (its first line; - for stdin), else
 * $ITSS_PASSWORD, else a prompt on the terminal without echo (asked twice when
 * setting one). They are hashed with argon2id (account.h) before anything is
 * stored; a token is printed once and only its hash is kept. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include <jansson.h>

#include "account.h"
#include "cli.h"
#include "store.h"
#include "web.h"
#include "web_auth.h"

const char cli_user_help[] =
    "usage: itss user add LOGIN --role ROLE [--person EMPLOYEE_NUMBER] [--password-file FILE]\n"
    "       itss user list [--json]\n"
    "       itss user passwd LOGIN [--password-file FILE]\n"
    "       itss user edit LOGIN [--role ROLE] [--person EMPLOYEE_NUMBER|-]\n"
    "       itss user disable LOGIN\n"
    "       itss user enable LOGIN\n"
    "       itss user bulk --unit CODE [--sub-units] | --csv FILE  [--role ROLE|auto] [--days N]\n"
    "                      [--public-url URL] [--mail] [--dry-run]\n"
    "       itss user reset LOGIN [--days N] [--public-url URL] [--mail]\n"
    "\n"
    "Accounts of the web application (itss serve). Each user has a role and is\n"
    "linked to a person (at most one user per person):\n"
    "  engineer   their own data\n"
    "  manager    their own, and the people of their org unit and the units below\n"
    "  hr         every person, cycles, imports and exports\n"
    "  admin      users and settings\n"
    "\n"
    "  add        create a user; LOGIN is 1 to 64 ASCII letters, digits, . _ - @\n"
    "  list       every user with role, person and state\n"
    "  passwd     set a new password (the user's sessions end)\n"
    "  edit       change the role or the person ('-' unlinks it)\n"
    "  disable    the user can no longer log in; sessions end, tokens stop working\n"
    "  enable     undo disable\n"
    "  bulk       accounts for everyone of an org unit (--sub-units: and the units\n"
    "             below), or for the rows of a CSV file (employee_number, role,\n"
    "             login: docs/csv.md), in one transaction; each new user gets a\n"
    "             one-time sign-in link (valid --days N days, default 7) instead\n"
    "             of a password. The links are printed as CSV (employee_number,\n"
    "             name, login, role, signin_url, expires_at) and shown only this\n"
    "             once; people who have an account, or who left, are skipped and\n"
    "             reported. The login is the CSV's, else the employee number; the\n"
    "             role the CSV's, else --role, else auto: manager for a person\n"
    "             someone reports to, engineer otherwise. --public-url (default\n"
    "             $ITSS_PUBLIC_URL, else http://localhost:8080) starts each link;\n"
    "             --mail also queues each link as an e-mail to its person (the\n"
    "             outbox: itss mail, docs/notifications.md), in the same transaction\n"
    "  reset      a password reset by link: the password is taken away, the\n"
    "             user's sessions end and API tokens are deleted; prints a new\n"
    "             one-time link as bulk does\n"
    "\n"
    "The password (at least 8 characters) is read from --password-file FILE (its\n"
    "first line; - for stdin), else from $ITSS_PASSWORD, else asked for on the\n"
    "terminal without echo, twice.\n"
    "\n"
    "options:\n"
    "  --db PATH        the database (default $ITSS_DB, else ./itss.db)\n"
    "  --json           machine-readable output (list)\n"
    "\n"
    "exit status: 0 done, 1 no such user, 3 the change was refused (the message\n"
    "says why), 2 bad usage or a database that cannot be opened.\n";

const char cli_token_help[] =
    "usage: itss token create LOGIN [--name NAME] [--expires-days N] [--scope read|write]\n"
    "       itss token list [LOGIN] [--json]\n"
    "       itss token revoke ID\n"
    "\n"
    "Bearer tokens let scripts use the JSON API (/api/v1) as a user, with that\n"
    "user's role: send the header 'Authorization: Bearer TOKEN'.\n"
    "\n"
    "  create     make a token for LOGIN and print it; it is shown only this once\n"
    "             (the database keeps its hash). --name says what it is for\n"
    "             (default \"script\"); --expires-days N makes it stop working\n"
    "             after N days (default: never); --scope read lets it only read\n"
    "             (GET), write (the default here) whatever the user may do.\n"
    "             The administrator's longest lifetime (web: /admin) holds\n"
    "             for every token; a password change or reset and disabling\n"
    "             the user delete the user's tokens\n"
    "  list       the tokens (of LOGIN, or of every user): id, user, name, when\n"
    "             made, when they expire, when last used\n"
    "  revoke     delete token ID: it stops working at once\n"
    "\n"
    "options:\n"
    "  --db PATH        the database (default $ITSS_DB, else ./itss.db)\n"
    "  --json           machine-readable output\n"
    "\n"
    "exit status: 0 done, 1 no such user or token, 3 refused, 2 bad usage or a\n"
    "database that cannot be opened.\n";

static const char user_usage[] =
    "usage: itss user add LOGIN --role ROLE [--person NUMBER] [--password-file FILE]\n"
    "       itss user list | passwd LOGIN | edit LOGIN [--role R] [--person N|-] | disable LOGIN | enable LOGIN\n"
    "       [--db PATH] [--json]; itss help user for more\n";

static const char token_usage[] =
    "usage: itss token create LOGIN [--name NAME] [--expires-days N] | list [LOGIN] | revoke ID\n"
    "       [--db PATH] [--json]; itss help token for more\n";

/* ---- Small helpers ------------------------------------------------------------- */

/* Prints "PROG: message" for a store error. */
static void store_error(const char *prog, const err *e)
{
    char line[1024];
    cli_error(prog, "%s", err_format(e, line, sizeof line));
}

/* Opens the database of --db (or $ITSS_DB, ./itss.db); NULL after a message. */
static store *open_store(const char *prog, const char *db)
{
    err e;
    memset(&e, 0, sizeof e);
    store *s = store_open(store_default_path(db), 0, &e);
    if (!s)
        store_error(prog, &e);
    return s;
}

/* The user called login into *u: CLI_OK, or CLI_NOT_FOUND / CLI_USAGE after a message. */
static int find_user(const char *prog, store *s, const char *login, store_user *u)
{
    err e;
    memset(&e, 0, sizeof e);
    int rc = store_user_find(s, login, u, &e);
    if (rc == 1)
        return CLI_OK;
    store_error(prog, &e);
    return rc == 0 ? CLI_NOT_FOUND : CLI_USAGE;
}

/* ---- Reading a password ------------------------------------------------------------ */

static struct termios saved_termios;
static int tty_fd = -1;

/* Puts the terminal back when Ctrl-C interrupts a prompt, then dies of it. */
static void restore_tty_on_signal(int sig)
{
    if (tty_fd >= 0)
        tcsetattr(tty_fd, TCSAFLUSH, &saved_termios);
    signal(sig, SIG_DFL);
    raise(sig);
}

/* Reads one line from f into out (size bytes), without its line end. 0, or -1
 * when there is no line or it is too long. */
static int read_line(FILE *f, char *out, size_t size)
{
    if (!fgets(out, (int)size, f))
        return -1;
    size_t n = strlen(out);
    if (n == size - 1 && out[n - 1] != '\n')
        return -1;
    while (n > 0 && (out[n - 1] == '\n' || out[n - 1] == '\r'))
        out[--n] = '\0';
    return 0;
}

/* Asks for a password on the terminal without echo. */
static int prompt_password(const char *prog, const char *question, char *out, size_t size)
{
    FILE *tty = fopen("/dev/tty", "r+");
    if (!tty) {
        cli_error(prog, "no password given: use --password-file FILE or ITSS_PASSWORD (there is no terminal to ask on)");
        return -1;
    }
    tty_fd = fileno(tty);
    struct termios quiet;
    int have_termios = tcgetattr(tty_fd, &saved_termios) == 0;
    struct sigaction sa, old_int, old_term;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = restore_tty_on_signal;
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
    if (have_termios) {
        quiet = saved_termios;
        quiet.c_lflag &= ~(tcflag_t)ECHO;
        quiet.c_lflag |= ECHONL;
        tcsetattr(tty_fd, TCSAFLUSH, &quiet);
    }
    fputs(question, tty);
    fflush(tty);
    int rc = read_line(tty, out, size);
    if (have_termios)
        tcsetattr(tty_fd, TCSAFLUSH, &saved_termios);
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    tty_fd = -1;
    fclose(tty);
    if (rc < 0)
        cli_error(prog, "no password read");
    return rc;
}

/* The password for a command: from file, $ITSS_PASSWORD or the terminal (twice
 * when confirm). Checked against account_password_problem. */
static int get_password(const char *prog, const char *file, int confirm, char *out, size_t size)
{
    const char *env = getenv("ITSS_PASSWORD");
    if (file) {
        FILE *f = strcmp(file, "-") == 0 ? stdin : fopen(file, "r");
        if (!f) {
            cli_error(prog, "cannot open %s: %s", file, strerror(errno));
            return -1;
        }
        int rc = read_line(f, out, size);
        if (f != stdin)
            fclose(f);
        if (rc < 0) {
            cli_error(prog, "%s: no password on the first line (or longer than %d bytes)", file,
                      ACCOUNT_PASSWORD_MAX);
            return -1;
        }
    } else if (env && *env) {
        snprintf(out, size, "%s", env);
    } else {
        if (prompt_password(prog, "Password: ", out, size) < 0)
            return -1;
        if (confirm) {
            char again[ACCOUNT_PASSWORD_MAX + 2];
            if (prompt_password(prog, "Repeat password: ", again, sizeof again) < 0)
                return -1;
            int same = strcmp(out, again) == 0;
            memset(again, 0, sizeof again);
            if (!same) {
                cli_error(prog, "the two passwords differ");
                return -1;
            }
        }
    }
    const char *problem = account_password_problem(out);
    if (problem) {
        cli_error(prog, "%s", problem);
        return -1;
    }
    return 0;
}

/* Hashes a password from get_password into hash; wipes the password. */
static int new_password_hash(const char *prog, const char *file, char hash[ACCOUNT_HASH_SIZE])
{
    char password[ACCOUNT_PASSWORD_MAX + 2];
    if (get_password(prog, file, 1, password, sizeof password) < 0)
        return -1;
    int rc = account_password_hash(password, hash);
    memset(password, 0, sizeof password);
    if (rc < 0)
        cli_error(prog, "cannot hash the password (out of memory)");
    return rc;
}

/* ---- itss user ------------------------------------------------------------------------ */

typedef struct user_ctx {
    const char *prog;
    const cli_args *args;
    const char *role, *person, *password_file;
    store *s;
} user_ctx;

/* The person of --person: its id into *id (0 for "-"). */
static int person_id_of(user_ctx *x, const char *number, int64_t *id)
{
    if (strcmp(number, "-") == 0) {
        *id = 0;
        return CLI_OK;
    }
    store_person p;
    err e;
    memset(&e, 0, sizeof e);
    int rc = store_person_find(x->s, number, &p, &e);
    if (rc != 1) {
        store_error(x->prog, &e);
        return rc == 0 ? CLI_NOT_FOUND : CLI_USAGE;
    }
    *id = p.id;
    store_person_clear(&p);
    return CLI_OK;
}

/* itss user add LOGIN --role ROLE [--person NUMBER] */
static int user_add(user_ctx *x)
{
    const char *login = x->args->pos[1];
    if (!x->role)
        return cli_usage_error(x->prog, user_usage, "--role is required (engineer, manager, hr or admin)");
    if (account_role_parse(x->role) == ROLE_NONE)
        return cli_usage_error(x->prog, user_usage, "--role: '%s' is not a role (engineer, manager, hr, admin)",
                               x->role);
    store_user u;
    memset(&u, 0, sizeof u);
    u.login = (char *)login;
    u.role = (char *)x->role;
    if (x->person) {
        int rc = person_id_of(x, x->person, &u.person_id);
        if (rc != CLI_OK)
            return rc;
    }
    /* Refuse a taken login before asking for a password. */
    store_user other;
    err e;
    memset(&e, 0, sizeof e);
    int found = store_user_find(x->s, login, &other, &e);
    if (found == 1) {
        store_user_clear(&other);
        cli_error(x->prog, "login: the user %s already exists", login);
        return CLI_REFUSED;
    }
    char hash[ACCOUNT_HASH_SIZE];
    if (new_password_hash(x->prog, x->password_file, hash) < 0)
        return CLI_USAGE;
    u.password_hash = hash;
    int64_t id = 0;
    if (store_user_add(x->s, &u, &id, &e) < 0) {
        store_error(x->prog, &e);
        return CLI_REFUSED;
    }
    buf b;
    buf_init(&b);
    buf_printf(&b, "user %s added (%s%s%s)\n", login, x->role, x->person ? ", person " : "",
               x->person ? x->person : "");
    int rc = cli_write(&b, stdout);
    buf_free(&b);
    return rc;
}

/* itss user list */
static int user_list(user_ctx *x)
{
    store_user_list l;
    err e;
    memset(&e, 0, sizeof e);
    if (store_user_list_all(x->s, &l, &e) < 0) {
        store_error(x->prog, &e);
        return CLI_USAGE;
    }
    int rc;
    if (x->args->json) {
        json_t *arr = json_array();
        for (size_t i = 0; i < l.count; i++) {
            const store_user *u = &l.items[i];
            json_t *o = json_object();
            json_object_set_new(o, "login", json_string(u->login));
            json_object_set_new(o, "role", json_string(u->role));
            json_object_set_new(o, "person", u->employee_number ? json_string(u->employee_number) : json_null());
            json_object_set_new(o, "person_name", u->person_name ? json_string(u->person_name) : json_null());
            json_object_set_new(o, "disabled", json_boolean(u->disabled));
            json_object_set_new(o, "created_at", json_string(u->created_at ? u->created_at : ""));
            json_array_append_new(arr, o);
        }
        rc = cli_print_json(arr);
    } else {
        static const char *const headers[] = { "LOGIN", "ROLE", "PERSON", "NAME", "STATE", "CREATED" };
        cli_table t;
        cli_table_init(&t, 6, headers);
        for (size_t i = 0; i < l.count; i++) {
            const store_user *u = &l.items[i];
            const char *cells[6] = { u->login, u->role, u->employee_number ? u->employee_number : "-",
                                     u->person_name ? u->person_name : "", u->disabled ? "disabled" : "active",
                                     u->created_at };
            cli_table_add(&t, cells);
        }
        buf b;
        buf_init(&b);
        if (l.count)
            cli_table_render(&t, &b, cli_term_width());
        else
            buf_puts(&b, "no users; add one with: itss user add LOGIN --role ROLE\n");
        rc = cli_write(&b, stdout);
        buf_free(&b);
        cli_table_free(&t);
    }
    store_user_list_free(&l);
    return rc;
}

/* Writes "MESSAGE\n" to stdout. */
static int say(const char *fmt, const char *a, const char *b2)
{
    buf b;
    buf_init(&b);
    buf_printf(&b, fmt, a, b2);
    int rc = cli_write(&b, stdout);
    buf_free(&b);
    return rc;
}

/* itss user passwd LOGIN */
static int user_passwd(user_ctx *x)
{
    store_user u;
    int rc = find_user(x->prog, x->s, x->args->pos[1], &u);
    if (rc != CLI_OK)
        return rc;
    char hash[ACCOUNT_HASH_SIZE];
    err e;
    memset(&e, 0, sizeof e);
    if (new_password_hash(x->prog, x->password_file, hash) < 0) {
        rc = CLI_USAGE;
    } else if (store_user_set_password(x->s, u.id, hash, &e) < 0) {
        store_error(x->prog, &e);
        rc = CLI_REFUSED;
    } else {
        rc = say("password of %s changed%s\n", u.login, "; its sessions have ended");
    }
    store_user_clear(&u);
    return rc;
}

/* Saves u after a change; prints message on success. */
static int save_user(user_ctx *x, store_user *u, const char *message)
{
    err e;
    memset(&e, 0, sizeof e);
    int rc;
    if (store_user_edit(x->s, u, &e) < 0) {
        store_error(x->prog, &e);
        rc = CLI_REFUSED;
    } else {
        rc = say(message, u->login, "");
    }
    store_user_clear(u);
    return rc;
}

/* itss user edit LOGIN [--role ROLE] [--person NUMBER|-] */
static int user_edit(user_ctx *x)
{
    if (!x->role && !x->person)
        return cli_usage_error(x->prog, user_usage, "nothing to change: give --role or --person");
    if (x->role && account_role_parse(x->role) == ROLE_NONE)
        return cli_usage_error(x->prog, user_usage, "--role: '%s' is not a role (engineer, manager, hr, admin)",
                               x->role);
    store_user u;
    int rc = find_user(x->prog, x->s, x->args->pos[1], &u);
    if (rc != CLI_OK)
        return rc;
    if (x->person && (rc = person_id_of(x, x->person, &u.person_id)) != CLI_OK) {
        store_user_clear(&u);
        return rc;
    }
    if (x->role) {
        free(u.role);
        u.role = strdup(x->role);
        if (!u.role)
            abort();
    }
    return save_user(x, &u, "user %s changed%s\n");
}

/* itss user disable LOGIN, itss user enable LOGIN */
static int user_set_disabled(user_ctx *x, int disabled)
{
    store_user u;
    int rc = find_user(x->prog, x->s, x->args->pos[1], &u);
    if (rc != CLI_OK)
        return rc;
    u.disabled = disabled;
    return save_user(x, &u, disabled ? "user %s disabled; its sessions have ended%s\n" : "user %s enabled%s\n");
}

static int user_disable(user_ctx *x) { return user_set_disabled(x, 1); }
static int user_enable(user_ctx *x) { return user_set_disabled(x, 0); }

typedef struct user_subcommand {
    const char *name;
    int (*run)(user_ctx *x);
    int n_args;                /* positional arguments after the subcommand */
    const char *args;
} user_subcommand;

static const user_subcommand user_subcommands[] = {
    { "add", user_add, 1, "LOGIN --role ROLE" },
    { "list", user_list, 0, "" },
    { "passwd", user_passwd, 1, "LOGIN" },
    { "edit", user_edit, 1, "LOGIN" },
    { "disable", user_disable, 1, "LOGIN" },
    { "enable", user_enable, 1, "LOGIN" },
};

/* Prints a command's help text. */
static int print_help(const cli_command *cmd)
{
    buf b;
    buf_init(&b);
    buf_puts(&b, cmd->help);
    int rc = cli_write(&b, stdout);
    buf_free(&b);
    return rc;
}

int cli_user_main(const cli_command *cmd, int argc, char **argv)
{
    if (argc > 1 && (strcmp(argv[1], "bulk") == 0 || strcmp(argv[1], "reset") == 0))
        return cli_user_bulk_main(argc - 1, argv + 1);   /* cli_user_bulk.c */
    const char *db = NULL, *role = NULL, *person = NULL, *password_file = NULL;
    const cli_option extra[] = {
        { "--db", &db, NULL },
        { "--role", &role, NULL },
        { "--person", &person, NULL },
        { "--password-file", &password_file, NULL },
        { NULL, NULL, NULL },
    };
    cli_args a;
    if (cli_parse("itss user", user_usage, argc - 1, argv + 1, extra, &a) != CLI_OK)
        return CLI_USAGE;
    if (a.help)
        return print_help(cmd);
    if (a.n_pos == 0)
        return cli_usage_error("itss user", user_usage, "no subcommand given");
    const user_subcommand *sub = NULL;
    for (size_t i = 0; i < sizeof user_subcommands / sizeof user_subcommands[0]; i++)
        if (strcmp(user_subcommands[i].name, a.pos[0]) == 0)
            sub = &user_subcommands[i];
    if (!sub)
        return cli_usage_error("itss user", user_usage, "unknown subcommand '%s'", a.pos[0]);
    char prog[64];
    snprintf(prog, sizeof prog, "itss user %s", sub->name);
    if (a.n_pos - 1 != sub->n_args)
        return cli_usage_error(prog, user_usage, a.n_pos - 1 > sub->n_args ? "unexpected argument '%s'"
                                                                            : "missing argument (usage: %s)",
                               a.n_pos - 1 > sub->n_args ? a.pos[sub->n_args + 1] : sub->args);
    if ((role || person) && sub->run != user_add && sub->run != user_edit)
        return cli_usage_error(prog, user_usage, "--role and --person are for add and edit");
    if (password_file && sub->run != user_add && sub->run != user_passwd)
        return cli_usage_error(prog, user_usage, "--password-file is for add and passwd");
    if (a.json && sub->run != user_list)
        return cli_usage_error(prog, user_usage, "--json is for list");
    if (a.catalog_path)
        return cli_usage_error(prog, user_usage, "--catalog is not for user");
    if (account_init() < 0) {
        cli_error(prog, "libsodium cannot start (no entropy source)");
        return CLI_USAGE;
    }
    user_ctx x = { prog, &a, role, person, password_file, open_store(prog, db) };
    if (!x.s)
        return CLI_USAGE;
    int rc = sub->run(&x);
    store_close(x.s);
    return rc;
}

/* ---- itss token ---------------------------------------------------------------------- */

/* itss token create LOGIN [--name NAME] [--expires-days N] */
static int token_create(const char *prog, store *s, const cli_args *a, const char *name, const char *days,
                        const char *scope)
{
    int64_t n_days = 0;
    if (!scope)
        scope = "write";
    if (strcmp(scope, "read") != 0 && strcmp(scope, "write") != 0)
        return cli_usage_error(prog, token_usage, "--scope: '%s' is not read or write", scope);
    if (days && !web_parse_int(days, 1, 36500, &n_days))
        return cli_usage_error(prog, token_usage, "--expires-days: '%s' is not a number of days from 1 to 36500",
                               days);
    store_user u;
    int rc = find_user(prog, s, a->pos[1], &u);
    if (rc != CLI_OK)
        return rc;
    char token[ACCOUNT_TOKEN_SIZE], hash[ACCOUNT_TOKEN_HASH_SIZE], now[32], expires[32];
    account_token_new(WEB_TOKEN_PREFIX, token);
    account_token_hash(token, hash);
    time_t t = time(NULL);
    web_auth_moment(t, now);
    web_auth_moment(t + (time_t)n_days * 86400, expires);
    err e;
    memset(&e, 0, sizeof e);
    int64_t id = 0;
    if (store_api_token_add_scope(s, u.id, name ? name : "script", hash, now, n_days ? expires : NULL, scope, &id,
                                  &e) < 0) {
        store_error(prog, &e);
        store_user_clear(&u);
        return CLI_REFUSED;
    }
    if (a->json) {
        json_t *o = json_object();
        json_object_set_new(o, "id", json_integer(id));
        json_object_set_new(o, "login", json_string(u.login));
        json_object_set_new(o, "name", json_string(name ? name : "script"));
        json_object_set_new(o, "expires_at", n_days ? json_string(expires) : json_null());
        json_object_set_new(o, "scope", json_string(scope));
        json_object_set_new(o, "token", json_string(token));
        rc = cli_print_json(o);
    } else {
        buf b;
        buf_init(&b);
        buf_printf(&b, "%s\n", token);
        rc = cli_write(&b, stdout);
        buf_free(&b);
    }
    fprintf(stderr, "%s: token %lld for %s%s%s; keep it now: it is not shown again\n", prog, (long long)id, u.login,
            n_days ? ", expires " : "", n_days ? expires : "");
    memset(token, 0, sizeof token);
    store_user_clear(&u);
    return rc;
}

/* itss token list [LOGIN] */
static int token_list(const char *prog, store *s, const cli_args *a)
{
    int64_t user_id = 0;
    if (a->n_pos > 1) {
        store_user u;
        int rc = find_user(prog, s, a->pos[1], &u);
        if (rc != CLI_OK)
            return rc;
        user_id = u.id;
        store_user_clear(&u);
    }
    store_api_token_list l;
    err e;
    memset(&e, 0, sizeof e);
    if (store_api_token_list_user(s, user_id, &l, &e) < 0) {
        store_error(prog, &e);
        return CLI_USAGE;
    }
    int rc;
    if (a->json) {
        json_t *arr = json_array();
        for (size_t i = 0; i < l.count; i++) {
            const store_api_token *t = &l.items[i];
            json_t *o = json_object();
            json_object_set_new(o, "id", json_integer(t->id));
            json_object_set_new(o, "login", json_string(t->user.login));
            json_object_set_new(o, "name", json_string(t->name));
            json_object_set_new(o, "created_at", json_string(t->created_at));
            json_object_set_new(o, "expires_at", t->expires_at ? json_string(t->expires_at) : json_null());
            json_object_set_new(o, "last_used_at", t->last_used_at ? json_string(t->last_used_at) : json_null());
            json_array_append_new(arr, o);
        }
        rc = cli_print_json(arr);
    } else {
        static const char *const headers[] = { "ID", "LOGIN", "NAME", "CREATED", "EXPIRES", "LAST USED" };
        cli_table t;
        cli_table_init(&t, 6, headers);
        for (size_t i = 0; i < l.count; i++) {
            const store_api_token *k = &l.items[i];
            char id[24];
            snprintf(id, sizeof id, "%lld", (long long)k->id);
            const char *cells[6] = { id, k->user.login, k->name, k->created_at,
                                     k->expires_at ? k->expires_at : "never",
                                     k->last_used_at ? k->last_used_at : "never" };
            cli_table_add(&t, cells);
        }
        buf b;
        buf_init(&b);
        if (l.count)
            cli_table_render(&t, &b, cli_term_width());
        else
            buf_puts(&b, "no tokens\n");
        rc = cli_write(&b, stdout);
        buf_free(&b);
        cli_table_free(&t);
    }
    store_api_token_list_free(&l);
    return rc;
}

/* itss token revoke ID */
static int token_revoke(const char *prog, store *s, const cli_args *a)
{
    int64_t id;
    if (!web_parse_int(a->pos[1], 1, INT64_MAX, &id))
        return cli_usage_error(prog, token_usage, "'%s' is not a token id (see itss token list)", a->pos[1]);
    store_api_token_list l;
    err e;
    memset(&e, 0, sizeof e);
    if (store_api_token_list_user(s, 0, &l, &e) < 0) {
        store_error(prog, &e);
        return CLI_USAGE;
    }
    int known = 0;
    for (size_t i = 0; i < l.count; i++)
        known |= l.items[i].id == id;
    store_api_token_list_free(&l);
    if (!known) {
        cli_error(prog, "no token with id %lld", (long long)id);
        return CLI_NOT_FOUND;
    }
    if (store_api_token_delete(s, id, &e) < 0) {
        store_error(prog, &e);
        return CLI_USAGE;
    }
    char text[24];
    snprintf(text, sizeof text, "%lld", (long long)id);
    return say("token %s revoked%s\n", text, "");
}

int cli_token_main(const cli_command *cmd, int argc, char **argv)
{
    const char *db = NULL, *name = NULL, *days = NULL, *scope = NULL;
    const cli_option extra[] = {
        { "--db", &db, NULL },
        { "--name", &name, NULL },
        { "--expires-days", &days, NULL },
        { "--scope", &scope, NULL },
        { NULL, NULL, NULL },
    };
    cli_args a;
    if (cli_parse("itss token", token_usage, argc - 1, argv + 1, extra, &a) != CLI_OK)
        return CLI_USAGE;
    if (a.help)
        return print_help(cmd);
    if (a.n_pos == 0)
        return cli_usage_error("itss token", token_usage, "no subcommand given");
    const char *sub = a.pos[0];
    char prog[64];
    snprintf(prog, sizeof prog, "itss token %s", sub);
    int is_create = strcmp(sub, "create") == 0, is_list = strcmp(sub, "list") == 0,
        is_revoke = strcmp(sub, "revoke") == 0;
    if (!is_create && !is_list && !is_revoke)
        return cli_usage_error("itss token", token_usage, "unknown subcommand '%s'", sub);
    if ((is_create || is_revoke) && a.n_pos != 2)
        return cli_usage_error(prog, token_usage, a.n_pos < 2 ? "missing argument" : "unexpected argument '%s'",
                               a.n_pos < 2 ? "" : a.pos[2]);
    if (is_list && a.n_pos > 2)
        return cli_usage_error(prog, token_usage, "unexpected argument '%s'", a.pos[2]);
    if ((name || days) && !is_create)
        return cli_usage_error(prog, token_usage, "--name and --expires-days are for create");
    if (a.catalog_path)
        return cli_usage_error(prog, token_usage, "--catalog is not for token");
    if (account_init() < 0) {
        cli_error(prog, "libsodium cannot start (no entropy source)");
        return CLI_USAGE;
    }
    store *s = open_store(prog, db);
    if (!s)
        return CLI_USAGE;
    int rc = is_create ? token_create(prog, s, &a, name, days, scope)
           : is_list ? token_list(prog, s, &a)
           : token_revoke(prog, s, &a);
    store_close(s);
    return rc;
}
