/* auth-test-support.h — what the sign-in and keyring tests share */
#pragma once

#include "bcs-http.h"
#include "bcs-profile.h"
#include "bcs-sandbox-private.h"
#include "bcs-token-store.h"
#include "net-test-support.h"

G_BEGIN_DECLS

/* Runs FUNC (DATA) on the sandbox's own thread and waits for it */
void        auth_test_in_sandbox        (BcsSandbox  *sandbox,
                                         GSourceFunc  func,
                                         gpointer     data);
/* Every refresh token of the sandbox becomes invalid */
void        auth_test_revoke_all        (BcsSandbox  *sandbox);
void        auth_test_device_timing     (BcsSandbox  *sandbox,
                                         guint        interval,
                                         guint        lifetime);

/* A profile NAME pointed at SANDBOX */
BcsProfile *auth_test_profile           (const char  *name,
                                         BcsSandbox  *sandbox);
/* A BcsHttp with the sandbox's login and Graph base URLs, small backoff,
 * no token provider */
BcsHttp    *auth_test_http              (BcsSandbox  *sandbox);

/* Synchronous keyring helpers (run the thread-default context) */
char       *auth_test_lookup            (BcsTokenStore *store,
                                         const char    *kind);
void        auth_test_store             (BcsTokenStore *store,
                                         const char    *kind,
                                         const char    *secret);
void        auth_test_clear             (BcsTokenStore *store,
                                         const char    *kind);

/* Fails the test if any file under DIR contains one of NEEDLES */
void        auth_test_assert_no_file_contains (const char        *dir,
                                               const char * const *needles);

G_END_DECLS

G_BEGIN_DECLS

/* What a browser got for one request (no redirects followed) */
typedef struct {
  guint status;          /* 0: could not connect */
  char *location;        /* the Location header, or NULL */
  char *body;
} AuthTestPage;

void          auth_test_page_free   (AuthTestPage *page);
/* Plays the browser: sends from another thread while the test's
 * thread-default context keeps running (the loopback listener lives there).
 * FORM: an application/x-www-form-urlencoded body for a POST, or NULL for a GET. */
AuthTestPage *auth_test_browser     (const char   *url,
                                     const char   *form);
/* The hidden "pending" id of the sandbox's consent page */
char         *auth_test_pending_id  (const char   *body);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AuthTestPage, auth_test_page_free)

G_END_DECLS
