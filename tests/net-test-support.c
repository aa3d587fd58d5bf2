/* net-test-support.c — what the network tests share */
#include "config.h"

#include "bcs-error.h"
#include "bcs-json.h"
#include "net-test-support.h"

/* ---- a tiny server on its own thread ---- */

struct _NetTestServer
{
  NetTestHandler handler;
  gpointer user_data;

  GThread *thread;
  GMainContext *context;
  GMainLoop *loop;
  SoupServer *server;
  char *url;

  GMutex mutex;
  GCond cond;
  gboolean ready;
  guint count;
  guint authorization;
  guint concurrent;
  guint max_concurrent;
  GHashTable *counters;
};

static void
server_callback (SoupServer        *soup_server,
                 SoupServerMessage *message,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  NetTestServer *server = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (message);

  g_mutex_lock (&server->mutex);
  server->count++;
  if (soup_message_headers_get_one (headers, "Authorization") != NULL)
    server->authorization++;
  g_mutex_unlock (&server->mutex);

  server->handler (server, message, path, server->user_data);
}

static gpointer
server_thread (gpointer user_data)
{
  NetTestServer *server = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  GSList *uris;

  g_main_context_push_thread_default (server->context);
  server->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (server->server, NULL, server_callback, server, NULL);
  soup_server_listen (server->server, address, 0, &error);
  g_assert_no_error (error);

  uris = soup_server_get_uris (server->server);
  g_assert_nonnull (uris);
  server->url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  g_mutex_lock (&server->mutex);
  server->ready = TRUE;
  g_cond_signal (&server->cond);
  g_mutex_unlock (&server->mutex);

  g_main_loop_run (server->loop);

  soup_server_disconnect (server->server);
  g_clear_object (&server->server);
  while (g_main_context_iteration (server->context, FALSE))
    ;
  g_main_context_pop_thread_default (server->context);
  return NULL;
}

NetTestServer *
net_test_server_new (NetTestHandler handler,
                     gpointer       user_data)
{
  NetTestServer *server = g_new0 (NetTestServer, 1);

  server->handler = handler;
  server->user_data = user_data;
  server->context = g_main_context_new ();
  server->loop = g_main_loop_new (server->context, FALSE);
  server->counters = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_mutex_init (&server->mutex);
  g_cond_init (&server->cond);

  server->thread = g_thread_new ("test-server", server_thread, server);
  g_mutex_lock (&server->mutex);
  while (!server->ready)
    g_cond_wait (&server->cond, &server->mutex);
  g_mutex_unlock (&server->mutex);

  return server;
}

static gboolean
quit_loop (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

void
net_test_server_free (NetTestServer *server)
{
  if (server == NULL)
    return;

  g_main_context_invoke (server->context, quit_loop, server->loop);
  g_thread_join (server->thread);
  g_main_loop_unref (server->loop);
  g_main_context_unref (server->context);
  g_hash_table_unref (server->counters);
  g_mutex_clear (&server->mutex);
  g_cond_clear (&server->cond);
  g_free (server->url);
  g_free (server);
}

const char *
net_test_server_get_url (NetTestServer *server)
{
  return server->url;
}

GMainContext *
net_test_server_get_context (NetTestServer *server)
{
  return server->context;
}

guint
net_test_server_get_count (NetTestServer *server)
{
  guint count;

  g_mutex_lock (&server->mutex);
  count = server->count;
  g_mutex_unlock (&server->mutex);
  return count;
}

guint
net_test_server_count_authorization (NetTestServer *server)
{
  guint count;

  g_mutex_lock (&server->mutex);
  count = server->authorization;
  g_mutex_unlock (&server->mutex);
  return count;
}

guint
net_test_server_get_max_concurrent (NetTestServer *server)
{
  guint count;

  g_mutex_lock (&server->mutex);
  count = server->max_concurrent;
  g_mutex_unlock (&server->mutex);
  return count;
}

guint
net_test_server_next (NetTestServer *server,
                      const char    *key)
{
  guint value;

  g_mutex_lock (&server->mutex);
  value = GPOINTER_TO_UINT (g_hash_table_lookup (server->counters, key));
  g_hash_table_replace (server->counters, g_strdup (key), GUINT_TO_POINTER (value + 1));
  g_mutex_unlock (&server->mutex);
  return value;
}

void
net_test_set_json (SoupServerMessage *message,
                   guint              status,
                   const char        *json)
{
  soup_server_message_set_status (message, status, NULL);
  if (json != NULL)
    soup_server_message_set_response (message, "application/json", SOUP_MEMORY_COPY,
                                      json, strlen (json));
}

typedef struct {
  NetTestServer *server;
  SoupServerMessage *message;
  guint status;
  char *body;
} Held;

static gboolean
release_held (gpointer user_data)
{
  Held *held = user_data;

  g_mutex_lock (&held->server->mutex);
  held->server->concurrent--;
  g_mutex_unlock (&held->server->mutex);

  net_test_set_json (held->message, held->status, held->body);
  soup_server_message_unpause (held->message);
  g_object_unref (held->message);
  g_free (held->body);
  g_free (held);
  return G_SOURCE_REMOVE;
}

void
net_test_server_hold (NetTestServer     *server,
                      SoupServerMessage *message,
                      guint              ms,
                      guint              status,
                      const char        *body)
{
  Held *held = g_new0 (Held, 1);
  g_autoptr(GSource) source = g_timeout_source_new (ms);

  g_mutex_lock (&server->mutex);
  server->concurrent++;
  server->max_concurrent = MAX (server->max_concurrent, server->concurrent);
  g_mutex_unlock (&server->mutex);

  held->server = server;
  held->message = g_object_ref (message);
  held->status = status;
  held->body = g_strdup (body);
  soup_server_message_pause (message);
  g_source_set_callback (source, release_held, held, NULL);
  g_source_attach (source, server->context);
}

/* ---- a token provider for tests ---- */

typedef enum {
  PROVIDER_FIXED,
  PROVIDER_SANDBOX,
  PROVIDER_BASIC,
} ProviderKind;

struct _NetTestTokenProvider
{
  GObject parent_instance;

  ProviderKind kind;
  BcsHttp *http;             /* sandbox: login requests */
  char *basic;
  guint calls;
  guint forced;
  guint generation;
  char *refresh_token;
  char *access_token[BCS_N_SERVICES];
};

static void net_test_token_provider_iface_init (BcsTokenProviderInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (NetTestTokenProvider, net_test_token_provider, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (BCS_TYPE_TOKEN_PROVIDER,
                                                      net_test_token_provider_iface_init))

static const char *
scope_for (BcsService service)
{
  return service == BCS_SERVICE_BC ? "https://api.businesscentral.dynamics.com/.default"
                                   : "https://graph.microsoft.com/.default";
}

typedef struct {
  BcsService service;
  gboolean from_device;     /* the device code flow's token is for Graph */
} TokenData;

static void
token_data_free (TokenData *data)
{
  g_free (data);
}

static void on_token (GObject *object, GAsyncResult *result, gpointer user_data);

static void
refresh (NetTestTokenProvider *self,
         GTask                *task)
{
  TokenData *data = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  data->from_device = FALSE;
  bcs_http_post_form_async (self->http, BCS_SERVICE_LOGIN, "/sandbox/oauth2/v2.0/token",
                            cancellable, on_token, task,
                            "grant_type", "refresh_token",
                            "client_id", "sandbox",
                            "refresh_token", self->refresh_token,
                            "scope", scope_for (data->service),
                            NULL);
}

static void
on_token (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  NetTestTokenProvider *self = g_task_get_source_object (task);
  TokenData *data = g_task_get_task_data (task);
  g_autoptr(JsonNode) json = NULL;
  GError *error = NULL;
  JsonObject *object_;
  const char *access_token;
  const char *refresh_token;

  json = bcs_http_post_form_finish (BCS_HTTP (object), result, &error);
  if (json == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  object_ = bcs_json_node_get_object (json);
  access_token = bcs_json_get_string (object_, "access_token");
  refresh_token = bcs_json_get_string (object_, "refresh_token");
  if (access_token == NULL)
    {
      g_task_return_new_error (task, BCS_ERROR, BCS_ERROR_AUTH_REQUIRED, "no access token");
      return;
    }
  if (refresh_token != NULL)
    {
      g_free (self->refresh_token);
      self->refresh_token = g_strdup (refresh_token);
    }
  if (data->from_device && data->service != BCS_SERVICE_GRAPH)
    {
      /* The sign-in's token is for the first resource consented (Graph) */
      g_free (self->access_token[BCS_SERVICE_GRAPH]);
      self->access_token[BCS_SERVICE_GRAPH] = g_strdup (access_token);
      refresh (self, g_steal_pointer (&task));
      return;
    }
  g_free (self->access_token[data->service]);
  self->access_token[data->service] = g_strdup (access_token);

  g_task_return_pointer (task, g_strconcat ("Bearer ", access_token, NULL), g_free);
}

static void
on_device_code (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  GTask *task = user_data;
  g_autoptr(JsonNode) json = NULL;
  GError *error = NULL;
  const char *device_code;

  json = bcs_http_post_form_finish (BCS_HTTP (object), result, &error);
  if (json == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  device_code = bcs_json_get_string (bcs_json_node_get_object (json), "device_code");
  if (device_code == NULL)
    {
      g_task_return_new_error (task, BCS_ERROR, BCS_ERROR_INVALID_RESPONSE, "no device code");
      g_object_unref (task);
      return;
    }

  /* auto-approve: the first poll succeeds */
  ((TokenData *) g_task_get_task_data (task))->from_device = TRUE;
  bcs_http_post_form_async (BCS_HTTP (object), BCS_SERVICE_LOGIN, "/sandbox/oauth2/v2.0/token",
                            g_task_get_cancellable (task), on_token, task,
                            "grant_type", "urn:ietf:params:oauth:grant-type:device_code",
                            "client_id", "sandbox",
                            "device_code", device_code,
                            NULL);
}

static void
net_test_token_provider_get_authorization_async (BcsTokenProvider    *provider,
                                                 BcsService           service,
                                                 gboolean             force_refresh,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data)
{
  NetTestTokenProvider *self = NET_TEST_TOKEN_PROVIDER (provider);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  TokenData *data = g_new0 (TokenData, 1);

  data->service = service;
  g_task_set_task_data (task, data, (GDestroyNotify) token_data_free);
  self->calls++;
  if (force_refresh)
    self->forced++;

  switch (self->kind)
    {
    case PROVIDER_FIXED:
      if (force_refresh || self->generation == 0)
        self->generation++;
      g_task_return_pointer (task, g_strdup_printf ("Bearer tok-%u", self->generation), g_free);
      return;

    case PROVIDER_BASIC:
      g_task_return_pointer (task, g_strdup (self->basic), g_free);
      return;

    case PROVIDER_SANDBOX:
    default:
      break;
    }

  if (!force_refresh && self->access_token[service] != NULL)
    {
      g_task_return_pointer (task, g_strconcat ("Bearer ", self->access_token[service], NULL), g_free);
      return;
    }

  if (self->refresh_token == NULL)
    {
      /* One sign-in consents to both resources */
      bcs_http_post_form_async (self->http, BCS_SERVICE_LOGIN, "/sandbox/oauth2/v2.0/devicecode",
                                cancellable, on_device_code, g_steal_pointer (&task),
                                "client_id", "sandbox",
                                "scope", "offline_access User.Read Contacts.ReadWrite "
                                         "https://api.businesscentral.dynamics.com/Financials.ReadWrite.All",
                                NULL);
      return;
    }

  refresh (self, g_steal_pointer (&task));
}

static char *
net_test_token_provider_get_authorization_finish (BcsTokenProvider  *provider,
                                                  GAsyncResult      *result,
                                                  GError           **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
net_test_token_provider_iface_init (BcsTokenProviderInterface *iface)
{
  iface->get_authorization_async = net_test_token_provider_get_authorization_async;
  iface->get_authorization_finish = net_test_token_provider_get_authorization_finish;
}

static void
net_test_token_provider_finalize (GObject *object)
{
  NetTestTokenProvider *self = (NetTestTokenProvider *) object;

  /* The sandbox provider's BcsHttp is not owned: it owns the provider */
  g_free (self->basic);
  g_free (self->refresh_token);
  for (guint i = 0; i < BCS_N_SERVICES; i++)
    g_free (self->access_token[i]);

  G_OBJECT_CLASS (net_test_token_provider_parent_class)->finalize (object);
}

static void
net_test_token_provider_class_init (NetTestTokenProviderClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = net_test_token_provider_finalize;
}

static void
net_test_token_provider_init (NetTestTokenProvider *self)
{
}

NetTestTokenProvider *
net_test_token_provider_new_fixed (void)
{
  NetTestTokenProvider *self = g_object_new (NET_TEST_TYPE_TOKEN_PROVIDER, NULL);

  self->kind = PROVIDER_FIXED;
  return self;
}

NetTestTokenProvider *
net_test_token_provider_new_sandbox (BcsHttp *http)
{
  NetTestTokenProvider *self = g_object_new (NET_TEST_TYPE_TOKEN_PROVIDER, NULL);

  self->kind = PROVIDER_SANDBOX;
  self->http = http;
  return self;
}

NetTestTokenProvider *
net_test_token_provider_new_basic (const char *user,
                                   const char *password)
{
  NetTestTokenProvider *self = g_object_new (NET_TEST_TYPE_TOKEN_PROVIDER, NULL);
  g_autofree char *pair = g_strconcat (user, ":", password, NULL);
  g_autofree char *encoded = g_base64_encode ((const guchar *) pair, strlen (pair));

  self->kind = PROVIDER_BASIC;
  self->basic = g_strconcat ("Basic ", encoded, NULL);
  return self;
}

guint
net_test_token_provider_get_calls (NetTestTokenProvider *self)
{
  return self->calls;
}

guint
net_test_token_provider_get_forced (NetTestTokenProvider *self)
{
  return self->forced;
}

/* ---- running async calls ---- */

void
net_test_wait (gboolean *done)
{
  while (!*done)
    g_main_context_iteration (NULL, TRUE);
}

void
net_test_store_result (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

GAsyncResult *
net_test_wait_result (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return g_steal_pointer (result);
}

gboolean
net_test_send (BcsHttp         *http,
               BcsHttpRequest  *request,
               GError         **error)
{
  GAsyncResult *result = NULL;
  g_autoptr(GAsyncResult) done = NULL;

  bcs_http_send_async (http, request, NULL, net_test_store_result, &result);
  done = net_test_wait_result (&result);
  return bcs_http_send_finish (http, done, error);
}

/* ---- the sandbox ---- */

BcsSandbox *
net_test_sandbox_start (BcsSandboxOptions *options)
{
  BcsSandboxOptions defaults;
  g_autoptr(GError) error = NULL;
  BcsSandbox *sandbox;

  bcs_sandbox_options_init (&defaults);
  defaults.auto_approve = TRUE;
  defaults.bc_contacts = 30;
  defaults.outlook_contacts = 10;
  sandbox = bcs_sandbox_new (options != NULL ? options : &defaults);
  bcs_sandbox_options_clear (&defaults);

  g_assert_true (bcs_sandbox_start_thread (sandbox, &error));
  g_assert_no_error (error);
  return sandbox;
}

BcsHttp *
net_test_sandbox_http (BcsSandbox *sandbox)
{
  BcsHttp *http = bcs_http_new ();
  g_autoptr(NetTestTokenProvider) provider = net_test_token_provider_new_sandbox (http);
  const char *url = bcs_sandbox_get_url (sandbox);
  g_autofree char *login = g_strconcat (url, "/login", NULL);
  g_autofree char *graph = g_strconcat (url, "/graph/v1.0", NULL);
  g_autofree char *bc = g_strconcat (url, "/bc", NULL);

  bcs_http_set_base_url (http, BCS_SERVICE_LOGIN, login);
  bcs_http_set_base_url (http, BCS_SERVICE_GRAPH, graph);
  bcs_http_set_base_url (http, BCS_SERVICE_BC, bc);
  bcs_http_set_token_provider (http, BCS_SERVICE_GRAPH, BCS_TOKEN_PROVIDER (provider));
  bcs_http_set_token_provider (http, BCS_SERVICE_BC, BCS_TOKEN_PROVIDER (provider));
  bcs_http_set_backoff (http, 0.01, 0.05);
  return http;
}

void
net_test_sandbox_fault (BcsSandbox *sandbox,
                        const char *rule_json)
{
  g_autofree char *body = g_strdup_printf ("{\"rules\": [%s]}", rule_json);
  g_autoptr(JsonNode) reply = NULL;
  guint status = 0;

  reply = bcs_sandbox_request (sandbox, "POST", "/_sandbox/faults", body, &status);
  g_assert_cmpuint (status / 100, ==, 2);
}

void
net_test_sandbox_clear_faults (BcsSandbox *sandbox)
{
  g_autoptr(JsonNode) reply = NULL;
  guint status = 0;

  reply = bcs_sandbox_request (sandbox, "DELETE", "/_sandbox/faults", NULL, &status);
  g_assert_cmpuint (status / 100, ==, 2);
}

guint
net_test_sandbox_count (BcsSandbox *sandbox,
                        const char *service)
{
  g_autoptr(JsonNode) reply = NULL;
  guint status = 0;

  reply = bcs_sandbox_request (sandbox, "GET", "/_sandbox/stats", NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  return (guint) bcs_json_get_int (bcs_json_get_object (bcs_json_node_get_object (reply), "requests"),
                                   service, 0);
}
