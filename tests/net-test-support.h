/* net-test-support.h — what the network tests share: a tiny SoupServer on
 * its own thread, a token provider for tests, and running async calls to
 * the end on the test's main context. */
#pragma once

#include <libsoup/soup.h>

#include "bcs-http.h"
#include "bcs-sandbox.h"
#include "bcs-token-provider.h"

G_BEGIN_DECLS

/* ---- a tiny server for the HTTP layer's mechanics ---- */

typedef struct _NetTestServer NetTestServer;

/* Runs on the server's thread */
typedef void (*NetTestHandler) (NetTestServer     *server,
                                SoupServerMessage *message,
                                const char        *path,
                                gpointer           user_data);

NetTestServer *net_test_server_new          (NetTestHandler  handler,
                                             gpointer        user_data);
void           net_test_server_free         (NetTestServer  *server);
/* "http://127.0.0.1:PORT" */
const char    *net_test_server_get_url      (NetTestServer  *server);
GMainContext  *net_test_server_get_context  (NetTestServer  *server);
/* Requests seen, and the Authorization headers they carried */
guint          net_test_server_get_count    (NetTestServer  *server);
guint          net_test_server_count_authorization (NetTestServer *server);
/* The largest number of requests the server held open at once (see
 * net_test_server_hold) */
guint          net_test_server_get_max_concurrent (NetTestServer *server);
/* Pauses MESSAGE and answers it with STATUS and BODY after MS milliseconds */
void           net_test_server_hold         (NetTestServer     *server,
                                             SoupServerMessage *message,
                                             guint              ms,
                                             guint              status,
                                             const char        *body);
/* Thread-safe scratch counter for handlers */
guint          net_test_server_next         (NetTestServer  *server,
                                             const char     *key);
void           net_test_set_json            (SoupServerMessage *message,
                                             guint              status,
                                             const char        *json);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NetTestServer, net_test_server_free)

/* ---- a token provider for tests ---- */

#define NET_TEST_TYPE_TOKEN_PROVIDER (net_test_token_provider_get_type ())
G_DECLARE_FINAL_TYPE (NetTestTokenProvider, net_test_token_provider, NET_TEST, TOKEN_PROVIDER, GObject)

/* Answers "Bearer tok-N", N growing with every forced refresh */
NetTestTokenProvider *net_test_token_provider_new_fixed   (void);
/* Signs in to the sandbox with the device code flow (auto-approve) and
 * refreshes per resource, through HTTP (login base URL set) */
NetTestTokenProvider *net_test_token_provider_new_sandbox (BcsHttp    *http);
/* Answers "Basic base64(USER:PASSWORD)" */
NetTestTokenProvider *net_test_token_provider_new_basic   (const char *user,
                                                           const char *password);
guint                 net_test_token_provider_get_calls   (NetTestTokenProvider *self);
guint                 net_test_token_provider_get_forced  (NetTestTokenProvider *self);

/* ---- running async calls ---- */

/* Iterates the thread-default context until *DONE */
void           net_test_wait                (gboolean   *done);
/* Stores the GAsyncResult into *(GAsyncResult **) user_data */
void           net_test_store_result        (GObject      *object,
                                             GAsyncResult *result,
                                             gpointer      user_data);
/* Iterates until *RESULT is set, and returns it (owned) */
GAsyncResult  *net_test_wait_result         (GAsyncResult **result);
gboolean       net_test_send                (BcsHttp         *http,
                                             BcsHttpRequest  *request,
                                             GError         **error);

/* ---- the sandbox ---- */

/* A sandbox on its own thread with the given options (NULL: defaults with
 * auto-approve) */
BcsSandbox    *net_test_sandbox_start       (BcsSandboxOptions *options);
/* A BcsHttp for SANDBOX: base URLs of the three services, small backoff,
 * and a sandbox token provider for Graph and Business Central */
BcsHttp       *net_test_sandbox_http        (BcsSandbox *sandbox);
/* POSTs {"rules": [RULE_JSON]} to /_sandbox/faults */
void           net_test_sandbox_fault       (BcsSandbox *sandbox,
                                             const char *rule_json);
void           net_test_sandbox_clear_faults (BcsSandbox *sandbox);
/* /_sandbox/stats requests of SERVICE ("graph", "bc", "login") */
guint          net_test_sandbox_count       (BcsSandbox *sandbox,
                                             const char *service);

G_END_DECLS
