/* test-sandbox-core.h — helpers shared by the sandbox core's tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "bcs-sb-core.h"

G_BEGIN_DECLS

#define GRAPH_SCOPE "offline_access User.Read Contacts.ReadWrite"
#define BC_SCOPE    "https://api.businesscentral.dynamics.com/Financials.ReadWrite.All"
#define REDIRECT    "http://localhost:8400"

typedef struct {
  guint status;
  GBytes *body;
  SoupMessageHeaders *headers;
  GError *error;
} Reply;

void         reply_free      (Reply *reply);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Reply, reply_free)

BcsSandbox  *start_sandbox   (void (*tweak) (BcsSandboxOptions *options));
SoupSession *new_session     (void);
/* Sends a request; then NULL-terminated header name, value pairs */
Reply       *send_full       (SoupSession *session, BcsSandbox *sandbox, const char *method,
                              const char *path, const char *content_type, const char *body, ...)
                              G_GNUC_NULL_TERMINATED;
#define send_simple(session, sandbox, method, path) \
  send_full ((session), (sandbox), (method), (path), NULL, NULL, NULL)
JsonNode    *reply_json      (Reply *reply);
const char  *error_code      (JsonNode *node);
gint64       stat_member     (JsonNode *stats, const char *group, const char *name);
void         post_control    (BcsSandbox *sandbox, const char *path, const char *json);
void         add_faults      (BcsSandbox *sandbox, const char *rules_json);
/* Drops what may differ between two seedings: times and what derives from them */
void         normalize       (JsonNode *node);
char        *state_text      (BcsSandbox *sandbox, gboolean normalized);
/* Signs in with the authorization code flow (auto-approved); returns "Bearer …"
 * for Graph, and one for Business Central in *bc_bearer if not NULL */
char        *sign_in         (SoupSession *session, BcsSandbox *sandbox, char **bc_bearer);
double       timed_ms        (gint64 start);
/* Sends N GET requests at once; the time until all answered, in ms. With
 * SERVICE, also the most requests that ran and waited in its queue at once. */
double       parallel_ms     (BcsSandbox *sandbox, const char *path, guint n,
                              const char *service, guint *max_active, guint *max_waiting);

void         add_fault_tests (void);
void         add_limit_tests (void);

G_END_DECLS
