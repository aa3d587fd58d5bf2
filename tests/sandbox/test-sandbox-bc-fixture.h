/* test-sandbox-bc-fixture.h — a sandbox on its own thread, a signed-in
 * Business Central client and blocking calls, for the BC sandbox tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <string.h>

#include "bcs-sandbox-private.h"

#define BC_SCOPE  "https://api.businesscentral.dynamics.com/.default"
#define ONPREM_OK "DEMO:sandbox-web-service-key"

typedef struct {
  BcsSandbox *sandbox;
  SoupSession *session;
  char *token;
  char *company;        /* first company's id */
  char *company2;
  char *basic;          /* Authorization value for on-premises calls, or NULL */
} Fx;

typedef struct {
  guint status;
  SoupMessageHeaders *headers;
  JsonNode *json;
} Reply;

void         reply_free        (Reply *reply);
/* A blocking request; HEADERS are name, value pairs ending in NULL. Sends
 * the bearer token (or fx->basic) unless an Authorization header is given
 * ("" for none). */
Reply       *call              (Fx *fx, const char *method, const char *path,
                                const char *body, const char * const *headers);
JsonObject  *obj               (Reply *reply);
JsonArray   *value_of          (Reply *reply);
const char  *error_code        (Reply *reply);
const char  *error_message     (Reply *reply);
const char  *str               (JsonObject *o, const char *name);

/* An access token from the device code flow (the sandbox auto-approves) */
char        *get_token         (Fx *fx, const char *scope);
/* A path below the online API root of the first company: "contacts?…" */
char        *api               (Fx *fx, const char *format, ...) G_GNUC_PRINTF (2, 3);
/* USER: the signed-in account (NULL: the default, and the companies are read) */
Fx          *fx_new_full       (guint contacts, guint64 seed, const char *user);
Fx          *fx_new            (guint contacts);
void         fx_free           (Fx *fx);

/* Every contact of the first company, following nextLinks */
JsonArray   *all_contacts      (Fx *fx, const char *query, const char *page_size);
guint        count_query       (Fx *fx, const char *filter);
guint        filter_status     (Fx *fx, const char *filter);
/* POST through the API, asserting 201; the created row */
JsonObject  *create            (Fx *fx, const char *json);

/* A GET whose body is left unparsed (pages of thousands of rows: parsing
 * them with json-glib under ASan would dominate the tests' time) */
char        *raw_get           (Fx *fx, const char *path, const char *prefer,
                                SoupMessageHeaders **headers, double *ms);
/* strstr, without ASan's interceptor measuring the whole haystack per call */
const char  *find              (const char *p, const char *needle);
guint        count_occurrences (const char *text, const char *needle);
/* The nextLink of a raw page, as a path below the sandbox's URL, or NULL */
char        *raw_next_link     (Fx *fx, const char *body);
gint64       parse_time        (const char *text);
/* The "bc" part of /_sandbox/state, as text */
char        *bc_state          (Fx *fx);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Reply, reply_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Fx, fx_free)
