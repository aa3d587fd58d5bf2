/* test-sandbox-graph.h — a small blocking Graph client for the sandbox's Graph tests */
#pragma once

#include "bcs-sandbox-private.h"

G_BEGIN_DECLS

/* A sandbox on its own thread, signed in (device code flow, auto-approved) */
typedef struct {
  BcsSandbox *sandbox;
  SoupSession *session;
  char *token;
  char *base;           /* …/graph/v1.0 */
} Env;

typedef struct {
  guint status;
  JsonNode *json;
  SoupMessageHeaders *headers;
} Reply;

#define EXT_ID "String {7E2C3A41-5B8D-4C2E-9F10-0A7B6C5D4E3F} Name bcContactId"

Env        *env_new            (guint outlook_contacts);
Env        *env_new_with_user  (guint outlook_contacts, const char *user);
/* REALISTIC_LATENCY_MS ≥ 0: --realistic with that latency */
Env        *env_new_full       (guint outlook_contacts, const char *user, int realistic_latency_ms);
void        env_free           (Env *env);
/* An access token for SCOPE */
char       *sign_in            (Env *env, const char *scope);

/* METHOD URL (absolute, or a path below /graph/v1.0) with BODY and header
 * name/value pairs ending in NULL (a NULL value skips its header) */
Reply      *send_full          (Env *env, gboolean auth, const char *method, const char *url,
                                const char *body, ...) G_GNUC_NULL_TERMINATED;
#define call(env, method, url, body) send_full (env, TRUE, method, url, body, NULL)
void        reply_free         (Reply *reply);
JsonObject *reply_object       (Reply *reply);
/* error.code of an error reply */
const char *error_code         (Reply *reply);
JsonNode   *parse              (const char *text);

/* A /_sandbox/… control request: its status; the reply in *OUT when OUT is given */
guint       control            (Env *env, const char *method, const char *path,
                                const char *body, JsonNode **out);
/* A new folder under the default one: its id */
char       *make_folder        (Env *env, const char *name);
/* The id of the seeded "Business Central" folder */
char       *seeded_folder      (Env *env);
/* POSTs BODY into FOLDER, asserts 201, returns the contact */
JsonObject *create_contact     (Env *env, const char *folder, const char *body);
char       *contact_path       (const char *folder, const char *id);
/* Follows nextLinks from URL: every item; *PAGES gets the page count */
GPtrArray  *collect_all        (Env *env, const char *url, guint *pages);

/* test-sandbox-graph-sync.c: delta, $batch, control API, seeding, state, speed */
void        add_sync_tests     (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Env, env_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Reply, reply_free)

G_END_DECLS
