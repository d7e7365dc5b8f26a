/* web_openapi.c - GET /api/v1/openapi.json: the OpenAPI 3.0 document of the
 * JSON API, generated from the route table, so that it cannot leave a route out.
 *
 * Every row with WEB_API becomes an operation: its method, its path with
 * ":name" written "{name}" (a path parameter), its summary, the roles that may
 * use it (x-roles), its security (none for public routes; else a bearer token
 * or the session cookie, which also needs the X-CSRF-Token header on requests
 * that change state), and the standard error answer
 * {"error":{"code","message","field"}} for each status it can give. A row
 * may also name its request and response schemas (from `schemas` below), its
 * success status and its query parameters (web.h, struct web_route); a row
 * without them still appears, answering a JSON object. */
#include "web.h"
#include "web_auth.h"
#include "web_pages.h"
#include "web_json.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Schemas ---------------------------------------------------------------------- */

/* A schema from its JSON text (the texts below are literals checked by the test
 * that parses the whole document). */
static json_t *schema(const char *text)
{
    json_error_t error;
    json_t *v = json_loads(text, 0, &error);
    if (!v) {
        fprintf(stderr, "itss: openapi: schema at %d:%d: %s\n", error.line, error.column, error.text);
        abort();
    }
    return v;
}

#define STR "{\"type\":\"string\"}"
#define STRN "{\"type\":\"string\",\"nullable\":true}"
#define INT "{\"type\":\"integer\",\"format\":\"int64\"}"
#define INTN "{\"type\":\"integer\",\"format\":\"int64\",\"nullable\":true}"
#define DATE "{\"type\":\"string\",\"format\":\"date\"}"
#define BOOL "{\"type\":\"boolean\"}"
#define REF(name) "{\"$ref\":\"#/components/schemas/" name "\"}"
#define LIST(member, name) "{\"type\":\"object\",\"properties\":{\"" member "\":{\"type\":\"array\",\"items\":" REF(name) "}}}"

/* The named schemas (components/schemas). */
static const struct named_schema {
    const char *name;
    const char *text;
} schemas[] = {
    { "Error",
      "{\"type\":\"object\",\"required\":[\"error\"],\"properties\":{\"error\":{\"type\":\"object\","
      "\"required\":[\"code\",\"message\",\"field\"],\"properties\":{"
      "\"code\":{\"type\":\"string\",\"example\":\"invalid\"},"
      "\"message\":{\"type\":\"string\",\"description\":\"in the language of the request (lang cookie or ?lang=ja|en)\"},"
      "\"field\":{\"type\":\"string\",\"nullable\":true,\"description\":\"the field or parameter at fault\"}}}}}" },
    { "Me",
      "{\"type\":\"object\",\"properties\":{\"id\":" INT ",\"login\":" STR ",\"role\":{\"type\":\"string\","
      "\"enum\":[\"engineer\",\"manager\",\"hr\",\"admin\"]},\"person_id\":" INTN ",\"authenticated_by\":{\"type\":"
      "\"string\",\"enum\":[\"session\",\"token\"]}}}" },
    { "Cycle",
      "{\"type\":\"object\",\"properties\":{\"id\":" INT ",\"name\":{\"type\":\"string\",\"example\":\"2026年度\"},"
      "\"opens\":" DATE ",\"closes\":" DATE ",\"state\":{\"type\":\"string\",\"enum\":[\"upcoming\",\"open\",\"closed\"]}}}" },
    { "CycleDetail",
      "{\"allOf\":[" REF("Cycle") ",{\"type\":\"object\",\"properties\":{\"assessments\":{\"type\":\"object\","
      "\"properties\":{\"draft\":" INT ",\"submitted\":" INT ",\"returned\":" INT ",\"approved\":" INT "}}}}]}" },
    { "CycleInput",
      "{\"type\":\"object\",\"additionalProperties\":false,\"properties\":{\"name\":" STR ",\"opens\":" DATE
      ",\"closes\":" DATE "},\"description\":\"all three to add; any of them to change\"}" },
    { "CycleList", LIST("cycles", "Cycle") },
    { "OrgUnit",
      "{\"type\":\"object\",\"properties\":{\"id\":" INT ",\"code\":" STR ",\"name\":" STR ",\"parent_id\":" INTN
      ",\"parent_code\":" STRN ",\"depth\":" INT "}}" },
    { "OrgUnitInput",
      "{\"type\":\"object\",\"additionalProperties\":false,\"properties\":{\"code\":" STR ",\"name\":" STR
      ",\"parent_id\":" INTN ",\"parent_code\":" STRN "},\"description\":\"code and name to add; a null parent "
      "moves the unit to the top\"}" },
    { "OrgUnitList", LIST("org_units", "OrgUnit") },
    { "Person",
      "{\"type\":\"object\",\"properties\":{\"id\":" INT ",\"employee_number\":" STR ",\"name\":" STR
      ",\"kana\":" STRN ",\"email\":" STRN ",\"org_unit_id\":" INTN ",\"org_unit_code\":" STRN
      ",\"org_unit_name\":" STRN ",\"manager_id\":" INTN ",\"manager_employee_number\":" STRN
      ",\"manager_name\":" STRN "}}" },
    { "PersonInput",
      "{\"type\":\"object\",\"additionalProperties\":false,\"properties\":{\"employee_number\":" STR ",\"name\":" STR
      ",\"kana\":" STRN ",\"email\":" STRN ",\"org_unit_id\":" INTN ",\"org_unit_code\":" STRN
      ",\"manager_id\":" INTN ",\"manager_employee_number\":" STRN "},\"description\":\"employee_number and "
      "name to add; null clears kana, email, the org unit or the manager\"}" },
    { "PersonPage",
      "{\"type\":\"object\",\"properties\":{\"total\":" INT ",\"limit\":" INT ",\"offset\":" INT
      ",\"people\":{\"type\":\"array\",\"items\":" REF("Person") "}}}" },
    { "Portfolio",
      "{\"type\":\"object\",\"properties\":{\"cycle_id\":" INT ",\"compare_cycle_id\":" INTN ",\"org_unit_id\":"
      INTN ",\"approved_only\":" BOOL ",\"assessed\":" INT ",\"compared\":" INT ",\"levels\":{\"type\":\"array\","
      "\"items\":" INT ",\"description\":\"the columns of counts; 0 is 未到達\"},\"specializations\":{\"type\":"
      "\"array\",\"items\":{\"type\":\"object\",\"properties\":{\"id\":" STR ",\"code\":" STR ",\"name\":" STR
      ",\"counts\":{\"type\":\"array\",\"items\":" INT "},\"up\":" INT ",\"same\":" INT ",\"down\":" INT "}}}}}" },
    { "ImportError",
      "{\"type\":\"object\",\"properties\":{\"text\":{\"type\":\"string\",\"description\":\"as itss import prints "
      "it: file:line:column: column: reason\"},\"file\":" STR ",\"line\":" INT ",\"column\":" INT ",\"field\":"
      STRN ",\"message\":" STR "}}" },
    { "ImportResult",
      "{\"type\":\"object\",\"properties\":{\"error\":{\"type\":\"object\",\"description\":\"only when the file "
      "has errors (422)\"},\"file\":" STR ",\"kind\":{\"type\":\"string\",\"enum\":[\"people\",\"assessments\"]},"
      "\"encoding\":{\"type\":\"string\",\"enum\":[\"UTF-8\",\"CP932\"]},\"dry_run\":" BOOL ",\"imported\":" BOOL
      ",\"rows\":" INT ",\"people\":" INT ",\"answers\":" INT ",\"assessments\":" INT ",\"assessments_created\":"
      INT ",\"errors\":{\"type\":\"array\",\"items\":" REF("ImportError") "},\"errors_not_shown\":" INT "}}" },
    { "User",
      "{\"type\":\"object\",\"properties\":{\"id\":" INT ",\"login\":" STR ",\"role\":{\"type\":\"string\","
      "\"enum\":[\"engineer\",\"manager\",\"hr\",\"admin\"]},\"person_id\":" INTN ",\"employee_number\":" STRN
      ",\"person_name\":" STRN ",\"disabled\":" BOOL ",\"created_at\":{\"type\":\"string\",\"format\":\"date-time\"}}}" },
    { "UserInput",
      "{\"type\":\"object\",\"additionalProperties\":false,\"required\":[\"login\",\"role\",\"password\"],"
      "\"properties\":{\"login\":" STR ",\"role\":{\"type\":\"string\",\"enum\":[\"engineer\",\"manager\",\"hr\","
      "\"admin\"]},\"password\":{\"type\":\"string\",\"minLength\":8,\"format\":\"password\"},\"employee_number\":"
      STRN ",\"person_id\":" INTN ",\"disabled\":" BOOL "}}" },
    { "UserPatch",
      "{\"type\":\"object\",\"additionalProperties\":false,\"properties\":{\"role\":{\"type\":\"string\",\"enum\":"
      "[\"engineer\",\"manager\",\"hr\",\"admin\"]},\"disabled\":" BOOL ",\"employee_number\":" STRN ",\"person_id\":"
      INTN "}}" },
    { "UserList", LIST("users", "User") },
    { "PasswordInput",
      "{\"type\":\"object\",\"additionalProperties\":false,\"required\":[\"password\"],\"properties\":{\"password\":"
      "{\"type\":\"string\",\"minLength\":8,\"format\":\"password\"}}}" },
    { "Token",
      "{\"type\":\"object\",\"properties\":{\"id\":" INT ",\"name\":" STR ",\"created_at\":" STR ",\"expires_at\":"
      STRN ",\"last_used_at\":" STRN ",\"scope\":{\"type\":\"string\",\"enum\":[\"read\",\"write\"]}}}" },
    { "TokenInput",
      "{\"type\":\"object\",\"additionalProperties\":false,\"required\":[\"name\"],\"properties\":{\"name\":" STR
      ",\"expires_days\":{\"type\":\"integer\",\"minimum\":0,\"maximum\":36500,\"description\":\"0 or absent: "
      "never expires (refused when the administrator set a longest lifetime)\"},\"scope\":{\"type\":\"string\","
      "\"enum\":[\"read\",\"write\"],\"description\":\"read (GET only; the default) or write\"}}}" },
    { "TokenCreated",
      "{\"type\":\"object\",\"properties\":{\"id\":" INT ",\"name\":" STR ",\"expires_at\":" STRN ",\"scope\":" STR
      ",\"token\":{"
      "\"type\":\"string\",\"description\":\"shown only in this answer\"}}}" },
    { "TokenList", LIST("tokens", "Token") },
    { "OutboxMessage",
      "{\"type\":\"object\",\"properties\":{\"id\":" INT ",\"created_at\":" STR ",\"template\":" STR ",\"to\":"
      STRN ",\"to_name\":" STRN ",\"lang\":{\"type\":\"string\",\"enum\":[\"ja\",\"en\"]},\"path\":" STRN
      ",\"status\":{\"type\":\"string\",\"enum\":[\"pending\",\"sent\",\"failed\",\"no_address\"]},\"attempts\":" INT
      ",\"last_error\":" STRN ",\"next_attempt_at\":" STRN ",\"sent_at\":" STRN ",\"subject\":{\"type\":\"string\","
      "\"description\":\"in the recipient's language\"}}}" },
    { "OutboxList",
      "{\"type\":\"object\",\"properties\":{\"counts\":{\"type\":\"object\",\"properties\":{\"pending\":" INT
      ",\"sent\":" INT ",\"failed\":" INT ",\"no_address\":" INT "}},\"messages\":{\"type\":\"array\",\"items\":"
      REF("OutboxMessage") "}}}" },
    { "OutboxRetried", "{\"type\":\"object\",\"properties\":{\"id\":" INT ",\"status\":" STR "}}" },
    { "Certificate",
      "{\"type\":\"object\",\"properties\":{\"number\":" STR ",\"employee_number\":" STR ",\"name\":" STR
      ",\"specialization\":" STR ",\"level\":" INT ",\"cycle\":" STR ",\"certified_on\":" DATE ",\"valid_from\":"
      DATE ",\"valid_until\":" DATE ",\"certified_by\":" STR ",\"state\":{\"type\":\"string\",\"enum\":[\"valid\","
      "\"expired\",\"revoked\",\"future\"]},\"revoked_at\":" STRN ",\"revoked_by\":" STRN ",\"revoke_reason\":"
      STRN "}}" },
    { "CertificateOne", "{\"type\":\"object\",\"properties\":{\"certificate\":" REF("Certificate") "}}" },
    { "CertificateList", LIST("certificates", "Certificate") },
    { "CertifyInput",
      "{\"type\":\"object\",\"additionalProperties\":false,\"required\":[\"specialization\"],\"properties\":{"
      "\"specialization\":{\"type\":\"string\",\"description\":\"HW, CS.HW or its name\"},\"cycle\":{"
      "\"description\":\"the cycle's name or id (default: the latest)\"},\"valid_from\":" DATE ",\"valid_until\":"
      DATE "}}" },
    { "ReasonInput",
      "{\"type\":\"object\",\"additionalProperties\":false,\"required\":[\"reason\"],\"properties\":{"
      "\"reason\":" STR ",\"cycle\":{\"description\":\"reopen: the cycle's name or id\"}}}" },
    { "Reopened", "{\"type\":\"object\",\"properties\":{\"status\":" STR ",\"cycle\":" STR "}}" },
    { "PlanItem",
      "{\"type\":\"object\",\"properties\":{\"id\":" INT ",\"element_id\":" STR ",\"kind\":{\"type\":\"string\","
      "\"enum\":[\"check_item\",\"responsibility\",\"experience\",\"proficiency\",\"knowledge_item\"]},\"label\":"
      STRN ",\"text\":{\"type\":\"string\",\"nullable\":true,\"description\":\"the standard's wording, as the "
      "catalog has it\"},\"closed\":{\"type\":\"boolean\",\"description\":\"the latest diagnosis no longer lacks "
      "it\"},\"actions\":{\"type\":\"array\",\"items\":" INT "},\"suggested_courses\":{\"type\":\"array\",\"items\":"
      "{\"type\":\"object\",\"properties\":{\"code\":" STR ",\"title\":" STR "}}}}}" },
    { "PlanAction",
      "{\"type\":\"object\",\"properties\":{\"id\":" INT ",\"item_id\":" INTN ",\"kind\":{\"type\":\"string\","
      "\"enum\":[\"course\",\"ojt\",\"qualification\",\"self_study\"]},\"course\":" STRN ",\"title\":" STR
      ",\"due\":" DATE ",\"status\":{\"type\":\"string\",\"enum\":[\"planned\",\"in_progress\",\"done\",\"dropped\"]}"
      ",\"completed_on\":" STRN ",\"grade\":" STRN ",\"overdue\":" BOOL "}}" },
    { "Plan",
      "{\"type\":\"object\",\"properties\":{\"id\":" INT ",\"employee_number\":" STR ",\"name\":" STR
      ",\"target\":{\"type\":\"object\",\"properties\":{\"specialization\":" STR ",\"specialization_name\":" STRN
      ",\"level\":" INT ",\"date\":" DATE "}},\"status\":{\"type\":\"string\",\"enum\":[\"draft\",\"approved\"]},"
      "\"approved_by\":" STRN ",\"approved_at\":" STRN ",\"current_level\":" INT ",\"assessed_cycle\":" STRN
      ",\"items\":{\"type\":\"array\",\"items\":" REF("PlanItem") "},\"actions\":{\"type\":\"array\",\"items\":"
      REF("PlanAction") "},\"comments\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"properties\":{"
      "\"author\":" STR ",\"kind\":" STR ",\"body\":" STR ",\"at\":" STR "}}},\"progress\":{\"type\":\"object\","
      "\"properties\":{\"items\":" INT ",\"closed\":" INT ",\"actions\":" INT ",\"done\":" INT ",\"overdue\":" INT
      "}}}}" },
    { "PlanOne", "{\"type\":\"object\",\"properties\":{\"plan\":" REF("Plan") "}}" },
    { "PlanTargetInput",
      "{\"type\":\"object\",\"additionalProperties\":false,\"required\":[\"specialization\",\"level\",\"date\"],"
      "\"properties\":{\"specialization\":{\"type\":\"string\",\"description\":\"HW, CS.HW or its name\"},"
      "\"level\":{\"type\":\"integer\",\"minimum\":1,\"description\":\"a level the specialization has\"},"
      "\"date\":{\"type\":\"string\",\"format\":\"date\",\"description\":\"by when; not in the past\"}}}" },
    { "PlanActionInput",
      "{\"type\":\"object\",\"additionalProperties\":false,\"required\":[\"kind\",\"due\"],\"properties\":{"
      "\"item\":{\"type\":\"integer\",\"description\":\"an item of this plan; 0 or absent: the plan as a whole\"},"
      "\"kind\":{\"type\":\"string\",\"enum\":[\"course\",\"ojt\",\"qualification\",\"self_study\"]},"
      "\"course\":{\"type\":\"string\",\"description\":\"a course code of the training catalog (kind course)\"},"
      "\"title\":" STR ",\"due\":" DATE "}}" },
    { "PlanActionPatch",
      "{\"type\":\"object\",\"additionalProperties\":false,\"required\":[\"status\"],\"properties\":{"
      "\"status\":{\"type\":\"string\",\"enum\":[\"planned\",\"in_progress\",\"done\",\"dropped\"]},"
      "\"completed_on\":" DATE "}}" },
    { "PlanCommentInput",
      "{\"type\":\"object\",\"additionalProperties\":false,\"properties\":{\"comment\":" STR "}}" },
    { "Qualification",
      "{\"type\":\"object\",\"properties\":{\"id\":" INT ",\"kind\":{\"type\":\"string\",\"enum\":[\"ipa\","
      "\"vendor\"]},\"code\":" STR ",\"name\":" STR ",\"obtained_on\":" DATE ",\"expires_on\":" STRN
      ",\"itss_level\":{\"type\":\"integer\",\"nullable\":true,\"description\":\"the ITSS level an IPA examination "
      "corresponds to (catalog/ipa-exams.json): supporting evidence\"}}}" },
    { "QualificationList",
      "{\"type\":\"object\",\"properties\":{\"qualifications\":{\"type\":\"array\",\"items\":" REF("Qualification")
      "},\"substitute\":{\"type\":\"boolean\",\"description\":\"the policy counts a valid IPA examination as its "
      "level (qualifications.substitute)\"}}}" },
    { "QualificationAdded",
      "{\"type\":\"object\",\"properties\":{\"id\":" INT ",\"qualifications\":{\"type\":\"array\",\"items\":"
      REF("Qualification") "}}}" },
    { "PlanSummary",
      "{\"type\":\"object\",\"properties\":{\"org\":" INTN ",\"people\":" INT ",\"with_plan\":" INT ",\"approved\":"
      INT ",\"actions\":" INT ",\"overdue\":" INT ",\"units\":{\"type\":\"array\",\"items\":{\"type\":\"object\","
      "\"properties\":{\"id\":" INT ",\"code\":" STR ",\"name\":" STR ",\"people\":" INT ",\"with_plan\":" INT
      ",\"approved\":" INT ",\"actions\":" INT ",\"overdue\":" INT "}}},\"common_gaps\":{\"type\":\"array\","
      "\"items\":{\"type\":\"object\",\"properties\":{\"element_id\":" STR ",\"text\":" STRN ",\"plans\":" INT
      "}}}}}" },
    { "CourseList",
      "{\"type\":\"object\",\"properties\":{\"courses\":{\"type\":\"array\",\"items\":{\"type\":\"object\","
      "\"properties\":{\"code\":" STR ",\"title\":" STR ",\"provider\":" STRN ",\"hours\":{\"type\":\"number\"},"
      "\"covers\":{\"type\":\"array\",\"items\":" STR "}}}}}}" },
    { "CourseImport",
      "{\"type\":\"object\",\"properties\":{\"file\":" STR ",\"dry_run\":" BOOL ",\"rows\":" INT ",\"added\":" INT
      ",\"updated\":" INT ",\"errors\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"properties\":{"
      "\"file\":" STR ",\"line\":" INT ",\"column\":" INT ",\"field\":" STR ",\"message\":{\"type\":\"string\","
      "\"description\":\"FILE:LINE:COLUMN: column: reason\"}}}}}}" },
    { "QualificationInput",
      "{\"type\":\"object\",\"additionalProperties\":false,\"required\":[\"obtained_on\"],\"properties\":{"
      "\"exam\":{\"type\":\"string\",\"description\":\"an IPA examination's code (FE, AP...)\"},\"vendor_code\":"
      STR ",\"vendor_name\":" STR ",\"obtained_on\":" DATE ",\"expires_on\":{\"type\":\"string\",\"format\":"
      "\"date\",\"description\":\"not before obtained_on\"}}}" },
};

/* ---- Building the document -------------------------------------------------------------- */

/* "/api/v1/people/:id" as OpenAPI writes it: "/api/v1/people/{id}"; caller frees. */
char *web_openapi_path(const char *pattern)
{
    size_t n = strlen(pattern);
    char *out = malloc(2 * n + 2);
    if (!out)
        abort();
    size_t k = 0;
    for (const char *p = pattern; *p;) {
        if (*p == ':') {
            size_t len = strcspn(p + 1, "/");
            out[k++] = '{';
            memcpy(out + k, p + 1, len);
            k += len;
            out[k++] = '}';
            p += 1 + len;
        } else
            out[k++] = *p++;
    }
    out[k] = '\0';
    return out;
}

/* A $ref to schema name. */
static json_t *ref(const char *name)
{
    size_t i = 0;
    while (i < sizeof schemas / sizeof schemas[0] && strcmp(schemas[i].name, name) != 0)
        i++;
    if (i == sizeof schemas / sizeof schemas[0]) {
        fprintf(stderr, "itss: openapi: a route names the schema %s, which web_openapi.c does not define\n", name);
        abort();
    }
    char path[128];
    snprintf(path, sizeof path, "#/components/schemas/%s", name);
    return json_pack("{s:s}", "$ref", path);
}

/* {"description":..., "content":{"application/json":{"schema":{$ref Error}}}} */
static json_t *error_response(const char *description)
{
    return json_pack("{s:s,s:{s:{s:o}}}", "description", description, "content", "application/json", "schema",
                     ref("Error"));
}

/* The operationId of a route: its method and path, letters and digits joined
 * by '_' ("get_api_v1_people_id"), into id (size bytes). */
static void operation_id(const web_route *rt, char *id, size_t size)
{
    size_t k = (size_t)snprintf(id, size, "%s", rt->method);
    for (size_t i = 0; i < k; i++)
        id[i] = (char)(id[i] >= 'A' && id[i] <= 'Z' ? id[i] - 'A' + 'a' : id[i]);
    for (const char *p = rt->pattern; *p && k + 2 < size; p++) {
        int word = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9');
        if (word)
            id[k++] = *p;
        else if (id[k - 1] != '_')
            id[k++] = '_';
    }
    while (k > 0 && id[k - 1] == '_')
        k--;
    id[k] = '\0';
}

/* The operation of route rt. */
static json_t *operation(const web_route *rt)
{
    json_t *op = json_object();
    json_object_set_new(op, "summary", json_string(rt->summary ? rt->summary : rt->pattern));

    char id[256];
    operation_id(rt, id, sizeof id);
    json_object_set_new(op, "operationId", json_string(id));

    /* tag: the first segment after /api/v1/ */
    const char *rest = strncmp(rt->pattern, "/api/v1/", 8) == 0 ? rt->pattern + 8 : rt->pattern + 1;
    char tag[64];
    snprintf(tag, sizeof tag, "%.*s", (int)strcspn(rest, "/."), rest);
    json_object_set_new(op, "tags", json_pack("[s]", tag[0] ? tag : "api"));

    json_t *roles = json_array();
    static const account_role all[] = { ROLE_ENGINEER, ROLE_MANAGER, ROLE_HR, ROLE_ADMIN };
    for (size_t i = 0; i < 4; i++)
        if ((rt->flags & WEB_PUBLIC) || (rt->roles & all[i]))
            json_array_append_new(roles, json_string(account_role_name(all[i])));
    json_object_set_new(op, "x-roles", roles);

    json_t *params = json_array();
    for (const char *p = strchr(rt->pattern, ':'); p; p = strchr(p + 1, ':')) {
        char name[64];
        snprintf(name, sizeof name, "%.*s", (int)strcspn(p + 1, "/"), p + 1);
        int numeric = strcmp(name, "id") == 0 || (strlen(name) > 3 && strcmp(name + strlen(name) - 3, "_id") == 0);
        json_array_append_new(params, json_pack("{s:s,s:s,s:b,s:{s:s}}", "name", name, "in", "path", "required", 1,
                                                "schema", "type", numeric ? "integer" : "string"));
    }
    for (const web_query_doc *q = rt->query; q && q->name; q++)
        json_array_append_new(params, json_pack("{s:s,s:s,s:s,s:{s:s}}", "name", q->name, "in", "query",
                                                "description", q->description, "schema", "type", q->type));
    if (json_array_size(params))
        json_object_set_new(op, "parameters", params);
    else
        json_decref(params);

    int has_body = strcmp(rt->method, "POST") == 0 || strcmp(rt->method, "PUT") == 0
                   || strcmp(rt->method, "PATCH") == 0;
    if (rt->request && strcmp(rt->request, "csv") == 0)
        json_object_set_new(op, "requestBody",
                            json_pack("{s:b,s:s,s:{s:{s:{s:s}},s:{s:{s:s,s:{s:{s:s,s:s}}}}}}", "required", 1,
                                      "description", "the CSV file (UTF-8 with or without BOM, or CP932): the body as text/csv up to 1 MB, or the field file of a multipart form for larger files",
                                      "content", "text/csv", "schema", "type", "string", "multipart/form-data",
                                      "schema", "type", "object", "properties", "file", "type", "string",
                                      "format", "binary"));
    else if (rt->request)
        json_object_set_new(op, "requestBody", json_pack("{s:b,s:{s:{s:o}}}", "required", 1, "content",
                                                         "application/json", "schema", ref(rt->request)));
    else if (has_body)
        json_object_set_new(op, "requestBody", json_pack("{s:{s:{s:{s:s}}}}", "content", "application/json",
                                                         "schema", "type", "object"));

    json_t *responses = json_object();
    int status = rt->status ? rt->status : strcmp(rt->method, "DELETE") == 0 ? 204 : 200;
    char code[8];
    snprintf(code, sizeof code, "%d", status);
    if (rt->response && strcmp(rt->response, "export") == 0)
        json_object_set_new(responses, code,
                            json_pack("{s:s,s:{s:{s:{s:s}},s:{s:{s:s}}}}", "description",
                                      "the export as a download (Content-Disposition: attachment)", "content",
                                      "text/csv", "schema", "type", "string", "application/json", "schema", "type",
                                      "array"));
    else if (status == 204)
        json_object_set_new(responses, code, json_pack("{s:s}", "description", "done; no content"));
    else
        json_object_set_new(responses, code,
                            json_pack("{s:s,s:{s:{s:o}}}", "description", web_status_text(status), "content",
                                      "application/json", "schema",
                                      rt->response ? ref(rt->response) : json_pack("{s:s}", "type", "object")));
    json_object_set_new(responses, "400", error_response("the request is malformed (the field says which part)"));
    if (!(rt->flags & WEB_PUBLIC)) {
        json_object_set_new(responses, "401", error_response("not authenticated"));
        json_object_set_new(responses, "403", error_response("the role may not use this, or the CSRF token is missing"));
    }
    if (strchr(rt->pattern, ':'))
        json_object_set_new(responses, "404", error_response("no such thing, or not one the user may see"));
    if (has_body || rt->request)
        json_object_set_new(responses, "422", error_response("a field was refused (the field says which)"));
    json_object_set_new(responses, "503", error_response("the database is unavailable"));
    json_object_set_new(op, "responses", responses);

    if (rt->flags & WEB_PUBLIC)
        json_object_set_new(op, "security", json_array());
    return op;
}

/* The whole document; caller json_decrefs it. */
json_t *web_openapi_document(void)
{
    json_t *doc = json_pack("{s:s,s:{s:s,s:s,s:s},s:[{s:s}]}", "openapi", "3.0.3", "info", "title",
                            "itss: IT Skill Standard (カスタマサービス) API", "version", "1",
                            "description",
                            "The JSON API of itss serve: everything the pages do, with the same roles. "
                            "Authenticate with a bearer token (itss token create, or /account/tokens) or the "
                            "session cookie; with the cookie, requests that change state carry the X-CSRF-Token "
                            "header. Errors are {\"error\":{\"code\",\"message\",\"field\"}}.",
                            "servers", "url", "/");
    json_t *components = json_object();
    json_t *named = json_object();
    for (size_t i = 0; i < sizeof schemas / sizeof schemas[0]; i++)
        json_object_set_new(named, schemas[i].name, schema(schemas[i].text));
    json_object_set_new(components, "schemas", named);
    json_object_set_new(components, "securitySchemes",
                        json_pack("{s:{s:s,s:s,s:s},s:{s:s,s:s,s:s,s:s}}", "bearerAuth", "type", "http", "scheme",
                                  "bearer", "description", "a token from itss token create or /account/tokens",
                                  "cookieAuth", "type", "apiKey", "in", "cookie", "name", WEB_SESSION_COOKIE,
                                  "description", "the session of a browser that logged in at /login; requests "
                                  "that change state also send the header " WEB_CSRF_HEADER));
    json_object_set_new(doc, "components", components);
    json_object_set_new(doc, "security", json_pack("[{s:[]},{s:[]}]", "bearerAuth", "cookieAuth"));

    json_t *paths = json_object();
    size_t n;
    const web_route *routes = web_routes(&n);
    for (size_t i = 0; i < n; i++) {
        const web_route *rt = &routes[i];
        if (!(rt->flags & WEB_API))
            continue;
        char *path = web_openapi_path(rt->pattern);
        json_t *item = json_object_get(paths, path);
        if (!item) {
            item = json_object();
            json_object_set_new(paths, path, item);
        }
        char method[16];
        size_t m = 0;
        for (; rt->method[m] && m + 1 < sizeof method; m++)
            method[m] = (char)(rt->method[m] >= 'A' && rt->method[m] <= 'Z' ? rt->method[m] - 'A' + 'a' : rt->method[m]);
        method[m] = '\0';
        json_object_set_new(item, method, operation(rt));
        free(path);
    }
    json_object_set_new(doc, "paths", paths);
    return doc;
}

/* GET /api/v1/openapi.json  This API described as OpenAPI 3.0 (public). */
void web_api_openapi(web_request *r)
{
    json_t *doc = web_openapi_document();
    web_json_answer(r, 200, json_dumps(doc, JSON_PRESERVE_ORDER | JSON_INDENT(1)));
    json_decref(doc);
    web_add_header(r, "Cache-Control", "no-cache");
}
