/* bcs-sandbox-private.h — how the sandbox's parts fit together
 *
 * bcs-sandbox.c        core: SoupServer, routing by service, stats, faults,
 *                      --realistic limits and latency, state load/save, control API
 * bcs-sb-login.c       identity platform under /login
 * bcs-sb-graph*.c      Microsoft Graph under /graph/v1.0
 * bcs-sb-bc*.c         Business Central under /bc
 * bcs-sb-fake.c        deterministic fake people, companies and addresses
 *
 * Handlers never touch a SoupServerMessage: they read a BcsSbRequest and fill a
 * BcsSbResponse. That lets $batch run inner requests through the same
 * handlers, and lets the core apply faults and latency to every response.
 * Everything runs on the sandbox's one GMainContext: no locking. */
#pragma once

#include "bcs-sandbox.h"

G_BEGIN_DECLS

/* The sandbox tenant's id: the "tid" of its tokens, the "aadTenantId" of its
 * Business Central environment; /login/{it}/… works like /login/sandbox/… */
#define BCS_SB_TENANT_ID "5a4f3a1e-8c2b-4d6e-9f10-5ab0c0ffee01"

typedef enum {
  BCS_SB_LOGIN,
  BCS_SB_GRAPH,
  BCS_SB_BC,
  BCS_SB_N_SERVICES,
} BcsSbService;

typedef struct _BcsSbLogin BcsSbLogin;
typedef struct _BcsSbGraph BcsSbGraph;
typedef struct _BcsSbBc    BcsSbBc;

typedef struct {
  BcsSbService service;
  char *method;                 /* "GET", "POST", … */
  char *path;                   /* below the service prefix, decoded, e.g. "/me/contactFolders"
                                   for Graph, "/v2.0/sandbox/production/api/v2.0/companies" for BC,
                                   "/sandbox/oauth2/v2.0/token" for login */
  GHashTable *query;            /* decoded query parameters (char* → char*), never NULL */
  SoupMessageHeaders *headers;  /* request headers, never NULL */
  GBytes *body;                 /* never NULL (may be empty) */
  char *base_url;               /* "http://127.0.0.1:PORT/graph/v1.0" etc., for nextLinks */
  char *user;                   /* set by an auth check: the account's e-mail */
  gboolean in_batch;            /* an inner request of a $batch */
} BcsSbRequest;

typedef struct {
  guint status;                 /* 0 until a handler answered */
  SoupMessageHeaders *headers;  /* response headers, never NULL */
  JsonNode *json;               /* the body as JSON, or NULL */
  char *content_type;           /* for a non-JSON body */
  GBytes *raw;                  /* a non-JSON body (HTML pages, redirects) */
  guint work_units;             /* how many operations it stood for (latency): 0 means 1 */
} BcsSbResponse;

struct _BcsSandbox {
  BcsSandboxOptions options;
  SoupServer *server;
  GMainContext *context;
  GMainLoop *loop;
  GThread *thread;
  char *url;
  GRand *rand;

  BcsSbLogin *login;
  BcsSbGraph *graph;
  BcsSbBc *bc;

  guint requests[BCS_SB_N_SERVICES];
  GHashTable *by_status;        /* "200" → count */
  GPtrArray *fault_rules;       /* BcsSbFaultRule */
  gpointer limits;              /* --realistic bookkeeping, the core's own */

  /* the core's own */
  SoupSession *test_session;    /* bcs_sandbox_request's */
  gint serving;                 /* atomic */
};

/* ---- core: bcs-sandbox.c, bcs-sb-request.c ---- */
BcsSbRequest  *bcs_sb_request_new        (BcsSbService service, const char *method, const char *path);
void           bcs_sb_request_free       (BcsSbRequest *request);
/* The body as JSON; NULL (and *error) if it is not JSON */
JsonNode      *bcs_sb_request_get_json   (BcsSbRequest *request, GError **error);
/* The body as an application/x-www-form-urlencoded form (char* → char*) */
GHashTable    *bcs_sb_request_get_form   (BcsSbRequest *request);
const char    *bcs_sb_request_get_query  (BcsSbRequest *request, const char *name);

BcsSbResponse *bcs_sb_response_new       (void);
void           bcs_sb_response_free      (BcsSbResponse *response);
/* Takes the node */
void           bcs_sb_response_set_json  (BcsSbResponse *response, guint status, JsonNode *node);
void           bcs_sb_response_set_object (BcsSbResponse *response, guint status, JsonObject *object);
void           bcs_sb_response_set_raw   (BcsSbResponse *response, guint status,
                                          const char *content_type, const char *body, gssize length);
/* {"error": {"code": CODE, "message": MESSAGE}} as Graph and Business Central send it */
void           bcs_sb_response_set_error (BcsSbResponse *response, guint status,
                                          const char *code, const char *message);
/* A 302 to LOCATION */
void           bcs_sb_response_redirect  (BcsSbResponse *response, const char *location);

/* Dispatches a request to its service (used by the core and by $batch for
 * inner requests; inner requests also pass the fault rules and rate limits). */
void           bcs_sb_dispatch           (BcsSandbox *sandbox, BcsSbRequest *request, BcsSbResponse *response);
/* For $batch: TRUE if an inner request is over the --realistic rate limit or hit
 * by a fault rule; then RESPONSE holds the 429/503 to report for that item. */
gboolean       bcs_sb_check_inner_limits (BcsSandbox *sandbox, BcsSbRequest *request, BcsSbResponse *response);

/* A fresh opaque id ("AAMk…" style for Graph, GUIDs for BC) from the sandbox's GRand */
char          *bcs_sb_new_guid           (BcsSandbox *sandbox);
char          *bcs_sb_new_token          (BcsSandbox *sandbox, const char *prefix);
/* Now, UTC, ISO 8601 with milliseconds, "2026-11-24T10:00:04.123Z" */
char          *bcs_sb_now_iso8601        (void);

/* ---- login: bcs-sb-login.c ---- */
BcsSbLogin    *bcs_sb_login_new          (BcsSandbox *sandbox);
void           bcs_sb_login_free         (BcsSbLogin *login);
void           bcs_sb_login_handle       (BcsSandbox *sandbox, BcsSbRequest *request, BcsSbResponse *response);
/* Checks "Authorization: Bearer" for RESOURCE ("graph" or "bc"); on success sets
 * request->user and returns TRUE; otherwise fills a 401 and returns FALSE. */
gboolean       bcs_sb_login_check_bearer (BcsSandbox *sandbox, BcsSbRequest *request,
                                          const char *resource, BcsSbResponse *response);
/* The expire-token fault: the access token of REQUEST expires now */
void           bcs_sb_login_expire_token (BcsSandbox *sandbox, BcsSbRequest *request);
JsonNode      *bcs_sb_login_to_json      (BcsSbLogin *login);
void           bcs_sb_login_load_json    (BcsSbLogin *login, JsonNode *node);
/* Every refresh token becomes invalid (the next refresh gets invalid_grant).
 * For the core: please expose it as `POST /_sandbox/login/revoke` → 204. */
void           bcs_sb_login_revoke_all   (BcsSbLogin *login);
/* Device code flow timing for tests: the polling interval (slow_down when
 * polled faster; 0 never) and the device code lifetime, in seconds (defaults 5, 900) */
void           bcs_sb_login_set_device_timing (BcsSbLogin *login, guint interval, guint lifetime);

/* ---- Graph: bcs-sb-graph*.c ---- */
BcsSbGraph    *bcs_sb_graph_new          (BcsSandbox *sandbox);
void           bcs_sb_graph_free         (BcsSbGraph *graph);
void           bcs_sb_graph_seed         (BcsSbGraph *graph, guint n_contacts, const char * const *shared_emails);
void           bcs_sb_graph_handle       (BcsSandbox *sandbox, BcsSbRequest *request, BcsSbResponse *response);
/* /_sandbox/outlook/… (path below "/_sandbox/outlook") */
void           bcs_sb_graph_control      (BcsSandbox *sandbox, BcsSbRequest *request, BcsSbResponse *response);
/* The awkward delta mode: items repeated within a round, empty pages with a nextLink */
void           bcs_sb_graph_set_awkward_delta (BcsSbGraph *graph, gboolean on);
/* The expire-delta fault: every delta and skip token issued so far becomes unknown */
void           bcs_sb_graph_expire_delta (BcsSbGraph *graph);
/* The change-etag fault: the contact addressed by REQUEST changes (new changeKey) */
void           bcs_sb_graph_touch        (BcsSbGraph *graph, BcsSbRequest *request);
JsonNode      *bcs_sb_graph_to_json      (BcsSbGraph *graph);   /* the "outlook" part of /_sandbox/state */
void           bcs_sb_graph_load_json    (BcsSbGraph *graph, JsonNode *node);

/* ---- Business Central: bcs-sb-bc*.c ---- */
BcsSbBc       *bcs_sb_bc_new             (BcsSandbox *sandbox);
void           bcs_sb_bc_free            (BcsSbBc *bc);
void           bcs_sb_bc_seed            (BcsSbBc *bc, guint n_contacts);
/* Some e-mail addresses of seeded contacts, for Outlook contacts that share them */
char         **bcs_sb_bc_sample_emails   (BcsSbBc *bc, guint n);
void           bcs_sb_bc_handle          (BcsSandbox *sandbox, BcsSbRequest *request, BcsSbResponse *response);
/* /_sandbox/bc/… (path below "/_sandbox/bc") */
void           bcs_sb_bc_control         (BcsSandbox *sandbox, BcsSbRequest *request, BcsSbResponse *response);
void           bcs_sb_bc_touch           (BcsSbBc *bc, BcsSbRequest *request);
JsonNode      *bcs_sb_bc_to_json         (BcsSbBc *bc);         /* the "bc" part of /_sandbox/state */
void           bcs_sb_bc_load_json       (BcsSbBc *bc, JsonNode *node);

/* ---- fake data: bcs-sb-fake.c ---- */
typedef struct {
  char *given_name;       /* may be non-ASCII: "Zoë", "Łukasz", "Søren", "José" */
  char *surname;
  char *company_name;
  char *job_title;
  char *email;            /* NULL for some */
  char *phone;
  char *mobile;
  char *address_line1;
  char *address_line2;    /* often NULL */
  char *city;
  char *state;
  char *postal_code;
  char *country;          /* ISO code: "DE", "GB", "US", "FR", "DK", "PL", "ES", "NL" … */
  char *website;
} BcsSbFakePerson;

/* The INDEX-th person of SEED: the same arguments give the same person */
BcsSbFakePerson *bcs_sb_fake_person      (guint64 seed, guint index);
void             bcs_sb_fake_person_free (BcsSbFakePerson *person);
/* The INDEX-th company of SEED (company_name, address, phone, website, email) */
BcsSbFakePerson *bcs_sb_fake_company     (guint64 seed, guint index);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BcsSbRequest, bcs_sb_request_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BcsSbResponse, bcs_sb_response_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BcsSbFakePerson, bcs_sb_fake_person_free)

G_END_DECLS
