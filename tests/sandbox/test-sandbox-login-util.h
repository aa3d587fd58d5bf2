/* test-sandbox-login-util.h — HTTP and OAuth helpers for the identity platform's tests */
#pragma once

#include "bcs-sandbox-private.h"

/* RFC 7636, appendix B: a verifier and its S256 challenge */
#define VERIFIER  "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
#define CHALLENGE "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
#define REDIRECT  "http://localhost:8400/callback"
#define BC_SCOPE  "https://api.businesscentral.dynamics.com/Financials.ReadWrite.All"
#define ALL_SCOPES "offline_access openid profile User.Read Contacts.ReadWrite " BC_SCOPE
#define DEVICE_GRANT "urn:ietf:params:oauth:grant-type:device_code"

/* A sandbox on its own thread and a session to talk to it */
typedef struct {
  BcsSandbox *sandbox;
  SoupSession *session;
} Env;

typedef struct {
  guint status;
  char *location;
  char *content_type;
  char *www_authenticate;
  char *body;
  JsonNode *json;
} Reply;

typedef struct {
  Env *env;
  const char *token;
  const char *resource;
  gboolean ok;
  guint status;
  char *user;
  char *error_code;
  char *message;
  char *www_authenticate;
} Check;

Env        *env_new_full        (gboolean    auto_approve,
                                 guint       token_lifetime,
                                 const char *user);
Env        *env_new             (gboolean    auto_approve);
void        env_free            (Env        *env);
/* Runs FUNC on the sandbox's thread and waits for it */
void        run_in_sandbox      (Env        *env,
                                 GSourceFunc func,
                                 gpointer    data);

/* "a", "1", "b", NULL, … → "a=1" (NULL values skipped) */
char       *form_encode         (const char *first_name,
                                 ...) G_GNUC_NULL_TERMINATED;
/* A blocking request that does not follow redirects; PATH may be a full URL */
Reply      *http_send           (Env        *env,
                                 const char *method,
                                 const char *path,
                                 const char *form,
                                 const char *bearer);
void        reply_free          (Reply      *reply);
const char *member_string       (Reply      *reply,
                                 const char *name);
gint64      member_int          (Reply      *reply,
                                 const char *name);
/* A query parameter of a redirect's Location */
char       *location_param      (Reply      *reply,
                                 const char *name);
/* The hidden pending id of the consent page's form */
char       *page_pending_id     (Reply      *reply);
JsonObject *id_token_payload    (const char *id_token);
/* Microsoft's error shape, with the AADSTS code in three places */
void        assert_oauth_error  (Reply      *reply,
                                 guint       status,
                                 const char *error,
                                 guint       code);

char       *authorize_path_full (const char *tenant,
                                 const char *client_id,
                                 const char *redirect_uri,
                                 const char *scope,
                                 const char *challenge,
                                 const char *method);
char       *authorize_path      (const char *scope);
/* Signs in on an auto-approving sandbox and returns the authorization code */
char       *sign_in             (Env        *env,
                                 const char *scope);
Reply      *redeem              (Env        *env,
                                 const char *code,
                                 const char *verifier,
                                 const char *redirect_uri,
                                 const char *scope);
Reply      *refresh             (Env        *env,
                                 const char *refresh_token,
                                 const char *scope);
/* A full sign-in consenting to ALL_SCOPES: the token reply for SCOPE */
Reply      *sign_in_tokens      (Env        *env,
                                 const char *scope);

Reply      *device_start        (Env        *env,
                                 const char *scope);
Reply      *device_poll         (Env        *env,
                                 const char *device_code);
Reply      *device_decide       (Env        *env,
                                 const char *user_code,
                                 const char *action);
void        set_device_timing   (Env        *env,
                                 guint       interval,
                                 guint       lifetime);

/* bcs_sb_login_check_bearer on the sandbox's thread */
void        check_bearer        (Env        *env,
                                 const char *token,
                                 const char *resource,
                                 Check      *check);
void        check_clear         (Check      *check);
/* A 401 in the style of RESOURCE's service (MESSAGE: Graph's, NULL for BC) */
void        assert_unauthorized (Check      *check,
                                 const char *resource,
                                 const char *message);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Env, env_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Reply, reply_free)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Check, check_clear)

/* test-sandbox-login-flows.c */
void        add_flow_tests      (void);
