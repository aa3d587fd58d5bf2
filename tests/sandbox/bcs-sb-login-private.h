/* bcs-sb-login-private.h — how the identity platform's files fit together
 *
 * bcs-sb-login.c            state, routing, discovery, bearer checks, state JSON
 * bcs-sb-login-util.c       errors in Microsoft's shape, pages, scopes, secrets, PKCE
 * bcs-sb-login-authorize.c  the authorize endpoint and its consent page
 * bcs-sb-login-token.c      the token endpoint: code, refresh token and device code grants
 * bcs-sb-login-device.c     the devicecode endpoint and its verification page
 *
 * Every credential is one BcsSbLoginGrant kept in a table by its secret. */
#pragma once

#include "bcs-sandbox-private.h"

G_BEGIN_DECLS

#define BCS_SB_LOGIN_CLIENT_ID        "sandbox"
#define BCS_SB_LOGIN_TENANT           "sandbox"
#define BCS_SB_LOGIN_TENANT_ID        BCS_SB_TENANT_ID
#define BCS_SB_LOGIN_APP_NAME         "Business Central Contact Sync"
#define BCS_SB_LOGIN_CODE_LIFETIME    (10 * 60)
#define BCS_SB_LOGIN_REFRESH_LIFETIME (90 * 24 * 3600)
#define BCS_SB_LOGIN_DEVICE_LIFETIME  900
#define BCS_SB_LOGIN_DEVICE_INTERVAL  5

#define BCS_SB_LOGIN_GRAPH_PREFIX     "https://graph.microsoft.com/"
#define BCS_SB_LOGIN_BC_PREFIX        "https://api.businesscentral.dynamics.com/"

typedef enum {
  BCS_SB_LOGIN_RESOURCE_NONE,       /* openid, profile, email, offline_access */
  BCS_SB_LOGIN_RESOURCE_GRAPH,
  BCS_SB_LOGIN_RESOURCE_BC,
  BCS_SB_LOGIN_RESOURCE_UNKNOWN,
} BcsSbLoginResource;

typedef enum {
  BCS_SB_LOGIN_PENDING,
  BCS_SB_LOGIN_APPROVED,
  BCS_SB_LOGIN_DECLINED,
  BCS_SB_LOGIN_REDEEMED,
} BcsSbLoginStatus;

/* A pending authorize request, an authorization code, a refresh token, an
 * access token or a device code: which fields matter depends on the table. */
typedef struct {
  char *user;               /* the account, NULL until signed in */
  char *scope;              /* consented scopes, space separated */
  char *resource;           /* access tokens: "graph" or "bc" */
  char *redirect_uri;       /* pending requests and codes */
  char *state;              /* pending requests */
  char *challenge;          /* pending requests and codes: the S256 code challenge */
  char *device_code;        /* device codes */
  char *user_code;          /* device codes, as shown ("BCDF-GHJK") */
  gint64 issued;            /* real time, µs */
  gint64 expires;           /* real time, µs */
  gint64 last_poll;         /* device codes: the last token request, µs (not saved) */
  guint interval;           /* device codes: seconds between polls */
  BcsSbLoginStatus status;
} BcsSbLoginGrant;

struct _BcsSbLogin {
  BcsSandbox *sandbox;
  GHashTable *pending;          /* pending id → grant (authorize requests shown as a page) */
  GHashTable *codes;            /* authorization code → grant */
  GHashTable *refresh_tokens;   /* refresh token → grant */
  GHashTable *access_tokens;    /* access token → grant */
  GHashTable *devices;          /* device_code → grant */
  GHashTable *user_codes;       /* normalised user code → grant (owned by devices) */
  guint device_interval;        /* seconds, default 5 */
  guint device_lifetime;        /* seconds, default 900 */
};

BcsSbLoginGrant    *bcs_sb_login_grant_new        (void);
void                bcs_sb_login_grant_free       (gpointer grant);
gint64              bcs_sb_login_now              (void);
const char         *bcs_sb_login_user             (BcsSandbox *sandbox);
/* Sets NAME to VALUE and frees VALUE */
void                bcs_sb_login_take_string      (JsonObject *object,
                                                   const char *name,
                                                   char       *value);

/* Errors as the identity platform sends them: {"error", "error_description":
 * "AADSTS<code>: … Trace ID: … Correlation ID: … Timestamp: …", "error_codes", …} */
void                bcs_sb_login_error            (BcsSbRequest  *request,
                                                   BcsSbResponse *response,
                                                   guint          status,
                                                   const char    *error,
                                                   guint          code,
                                                   const char    *format,
                                                   ...) G_GNUC_PRINTF (6, 7);
/* An HTML page; BODY is markup, already escaped */
void                bcs_sb_login_page             (BcsSbResponse *response,
                                                   guint          status,
                                                   const char    *title,
                                                   const char    *body);
/* The sign-in error page of the authorize endpoint (when it cannot redirect) */
void                bcs_sb_login_error_page       (BcsSbResponse *response,
                                                   guint          code,
                                                   const char    *format,
                                                   ...) G_GNUC_PRINTF (3, 4);

/* A fresh secret: PREFIX + N_BYTES random bytes in base64url */
char               *bcs_sb_login_secret           (const char *prefix, gsize n_bytes);
char               *bcs_sb_login_guid             (void);
char               *bcs_sb_login_base64url        (const guint8 *data, gsize length);
/* base64url (SHA-256 (VERIFIER)) without padding, as RFC 7636 S256 */
char               *bcs_sb_login_s256             (const char *verifier);
gboolean            bcs_sb_login_verifier_valid   (const char *verifier);
gboolean            bcs_sb_login_challenge_valid  (const char *challenge);

BcsSbLoginResource  bcs_sb_login_scope_resource   (const char *scope);
const char         *bcs_sb_login_resource_name    (BcsSbLoginResource resource);
gboolean            bcs_sb_login_scope_has        (const char *scopes, const char *scope);
/* Checks a requested SCOPE (authorize, devicecode): not empty, no unknown resource.
 * On failure returns FALSE with *error, *code and *message set. */
gboolean            bcs_sb_login_check_scope      (const char  *scope,
                                                   const char **error,
                                                   guint       *code,
                                                   char       **message);

/* An unsigned JWT-shaped id token for USER */
char               *bcs_sb_login_id_token         (BcsSbRequest *request,
                                                   const char   *user,
                                                   guint         lifetime);
/* URI with NAME=VALUE pairs appended to its query (NULL-terminated; NULL values skipped) */
char               *bcs_sb_login_add_query        (const char *uri,
                                                   const char *first_name,
                                                   ...) G_GNUC_NULL_TERMINATED;
/* http://localhost[:port][/path] or http://127.0.0.1[:port][/path] */
gboolean            bcs_sb_login_redirect_uri_allowed (const char *redirect_uri);
/* A request parameter: from FORM (may be NULL) first, then the query */
const char         *bcs_sb_login_param            (BcsSbRequest *request,
                                                   GHashTable   *form,
                                                   const char   *name);
gboolean            bcs_sb_login_check_client     (BcsSbRequest  *request,
                                                   BcsSbResponse *response,
                                                   const char    *client_id);

/* Drops expired pending requests, codes, access tokens and device codes */
void                bcs_sb_login_purge            (BcsSbLogin *login);

void                bcs_sb_login_authorize        (BcsSandbox    *sandbox,
                                                   BcsSbRequest  *request,
                                                   BcsSbResponse *response);
void                bcs_sb_login_token            (BcsSandbox    *sandbox,
                                                   BcsSbRequest  *request,
                                                   BcsSbResponse *response);
/* Answers a token request for USER with the CONSENTED scopes: REQUESTED (may be
 * NULL) selects the resource; a refresh token comes with offline_access. FALSE
 * (and an error answer, nothing issued) if the scope is refused. */
gboolean            bcs_sb_login_issue_tokens     (BcsSandbox    *sandbox,
                                                   BcsSbRequest  *request,
                                                   BcsSbResponse *response,
                                                   const char    *user,
                                                   const char    *consented,
                                                   const char    *requested);
void                bcs_sb_login_devicecode       (BcsSandbox    *sandbox,
                                                   BcsSbRequest  *request,
                                                   BcsSbResponse *response);
void                bcs_sb_login_device_page      (BcsSandbox    *sandbox,
                                                   BcsSbRequest  *request,
                                                   BcsSbResponse *response);
void                bcs_sb_login_device_grant     (BcsSandbox    *sandbox,
                                                   BcsSbRequest  *request,
                                                   BcsSbResponse *response,
                                                   GHashTable    *form);
/* "bcdf-ghjk" → "BCDFGHJK" */
char               *bcs_sb_login_normalize_user_code (const char *user_code);

G_END_DECLS
