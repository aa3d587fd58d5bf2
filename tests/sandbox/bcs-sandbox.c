/* bcs-sandbox.c — the sandbox's server: routing, stats, state, control API
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bcs-sandbox"

#include "config.h"

#include <string.h>

#include "bcs-sb-core.h"

#define GRAPH_CONTENT_TYPE "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8"
#define BC_CONTENT_TYPE    "application/json; odata.metadata=minimal; odata.streaming=true; charset=utf-8"
#define LOGIN_CONTENT_TYPE "application/json; charset=utf-8"

static const struct {
  const char *prefix;
  const char *name;
} services[BCS_SB_N_SERVICES] = {
  [BCS_SB_LOGIN] = { "/login", "login" },
  [BCS_SB_GRAPH] = { "/graph/v1.0", "graph" },
  [BCS_SB_BC] = { "/bc", "bc" },
};

const char *
bcs_sb_service_name (BcsSbService service)
{
  return service < BCS_SB_N_SERVICES ? services[service].name : "sandbox";
}

void
bcs_sandbox_options_init (BcsSandboxOptions *options)
{
  memset (options, 0, sizeof *options);
  options->seed = 1;
  options->user = g_strdup ("demo@sandbox.example");
  options->latency_ms = -1;
  options->token_lifetime = 3599;
}

void
bcs_sandbox_options_clear (BcsSandboxOptions *options)
{
  g_clear_pointer (&options->state_file, g_free);
  g_clear_pointer (&options->user, g_free);
}

/* Runs FUNC on the sandbox's context and waits: the state belongs to the
 * serving thread while it runs. */
typedef struct {
  BcsSandbox *sandbox;
  gboolean (*func) (BcsSandbox *sandbox, GError **error);
  gboolean result;
  GError *error;
  gboolean done;
  GMutex mutex;
  GCond cond;
} ContextCall;

static gboolean
context_call_cb (gpointer data)
{
  ContextCall *call = data;

  call->result = call->func (call->sandbox, &call->error);
  g_mutex_lock (&call->mutex);
  call->done = TRUE;
  g_cond_signal (&call->cond);
  g_mutex_unlock (&call->mutex);
  return G_SOURCE_REMOVE;
}

static gboolean
run_on_context (BcsSandbox  *sandbox,
                gboolean   (*func) (BcsSandbox *sandbox, GError **error),
                GError     **error)
{
  ContextCall call = { sandbox, func, FALSE, NULL, FALSE };

  if (sandbox->thread == NULL || !g_atomic_int_get (&sandbox->serving) ||
      g_thread_self () == sandbox->thread)
    return func (sandbox, error);

  g_mutex_init (&call.mutex);
  g_cond_init (&call.cond);
  g_main_context_invoke (sandbox->context, context_call_cb, &call);
  g_mutex_lock (&call.mutex);
  while (!call.done)
    g_cond_wait (&call.cond, &call.mutex);
  g_mutex_unlock (&call.mutex);
  g_mutex_clear (&call.mutex);
  g_cond_clear (&call.cond);

  if (call.error != NULL)
    g_propagate_error (error, call.error);
  return call.result;
}

BcsSandbox *
bcs_sandbox_new (const BcsSandboxOptions *options)
{
  BcsSandbox *sandbox = g_new0 (BcsSandbox, 1);

  sandbox->options = *options;
  sandbox->options.state_file = g_strdup (options->state_file);
  sandbox->options.user = g_strdup (options->user ? options->user : "demo@sandbox.example");
  if (sandbox->options.token_lifetime == 0)
    sandbox->options.token_lifetime = 3599;

  sandbox->by_status = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  sandbox->fault_rules = g_ptr_array_new_with_free_func (bcs_sb_fault_rule_free);
  sandbox->limits = bcs_sb_limits_new (&sandbox->options);

  bcs_sb_parts_create (sandbox);

  if (sandbox->options.state_file != NULL &&
      g_file_test (sandbox->options.state_file, G_FILE_TEST_EXISTS))
    {
      g_autoptr(GError) error = NULL;

      if (!bcs_sb_state_load_file (sandbox, sandbox->options.state_file, &error))
        g_warning ("Could not load the sandbox state from %s: %s",
                   sandbox->options.state_file, error->message);
    }

  return sandbox;
}

const char *
bcs_sandbox_get_url (BcsSandbox *sandbox)
{
  return sandbox->url;
}

gboolean
bcs_sandbox_save_state (BcsSandbox  *sandbox,
                        GError     **error)
{
  return run_on_context (sandbox, bcs_sb_state_save_file, error);
}

/* ---- responses ---- */

static void
copy_header (const char *name,
             const char *value,
             gpointer    data)
{
  soup_message_headers_append (data, name, value);
}

static void
count_status (BcsSandbox *sandbox,
              guint       status)
{
  char key[16];
  gpointer count;

  g_snprintf (key, sizeof key, "%u", status);
  count = g_hash_table_lookup (sandbox->by_status, key);
  g_hash_table_insert (sandbox->by_status, g_strdup (key),
                       GUINT_TO_POINTER (GPOINTER_TO_UINT (count) + 1));
}

static const char *
default_content_type (BcsSbService service)
{
  switch (service)
    {
    case BCS_SB_GRAPH:
      return GRAPH_CONTENT_TYPE;
    case BCS_SB_BC:
      return BC_CONTENT_TYPE;
    case BCS_SB_LOGIN:
    case BCS_SB_N_SERVICES:
    default:
      return LOGIN_CONTENT_TYPE;
    }
}

static void
write_response (SoupServerMessage *msg,
                BcsSbService       service,
                BcsSbResponse     *response,
                gboolean           truncate)
{
  guint status = response->status != 0 ? response->status : SOUP_STATUS_INTERNAL_SERVER_ERROR;
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  char *body = NULL;
  gsize length = 0;
  const char *content_type = response->content_type;

  /* libsoup 3.2 knows no phrase for 429 */
  soup_server_message_set_status (msg, status, status == 429 ? "Too Many Requests" : NULL);
  soup_message_headers_foreach (response->headers, copy_header, headers);

  if (response->json != NULL)
    {
      body = json_to_string (response->json, FALSE);
      length = strlen (body);
      if (content_type == NULL)
        content_type = default_content_type (service);
    }
  else if (response->raw != NULL)
    {
      gconstpointer data = g_bytes_get_data (response->raw, &length);

      body = g_memdup2 (data, length);
    }

  if (truncate)
    length /= 2;

  if (status == SOUP_STATUS_NO_CONTENT || status == SOUP_STATUS_NOT_MODIFIED || body == NULL)
    {
      g_free (body);
      soup_server_message_set_response (msg, NULL, SOUP_MEMORY_STATIC, NULL, 0);
      return;
    }

  soup_server_message_set_response (msg, content_type ? content_type : "text/plain; charset=utf-8",
                                    SOUP_MEMORY_TAKE, body, length);
}

void
bcs_sb_job_run (BcsSbJob *job)
{
  bcs_sb_dispatch (job->sandbox, job->request, job->response);
}

void
bcs_sb_job_free (BcsSbJob *job)
{
  if (job->timer != NULL)
    {
      g_source_destroy (job->timer);
      g_source_unref (job->timer);
    }
  g_clear_object (&job->msg);
  bcs_sb_request_free (job->request);
  bcs_sb_response_free (job->response);
  g_free (job);
}

void
bcs_sb_job_finish (BcsSbJob *job)
{
  guint status = job->response->status != 0 ? job->response->status : 500;

  /* Graph answers carry ids that support cases quote */
  if (job->request->service == BCS_SB_GRAPH &&
      soup_message_headers_get_one (job->response->headers, "request-id") == NULL)
    {
      g_autofree char *id = g_uuid_string_random ();
      const char *client_id = soup_message_headers_get_one (job->request->headers, "client-request-id");

      soup_message_headers_replace (job->response->headers, "request-id", id);
      soup_message_headers_replace (job->response->headers, "client-request-id",
                                    client_id != NULL ? client_id : id);
    }

  count_status (job->sandbox, status);
  write_response (job->msg, job->request->service, job->response,
                  job->fault == BCS_SB_FAULT_TRUNCATE);
  if (job->paused)
    soup_server_message_unpause (job->msg);
  bcs_sb_job_free (job);
}

/* The drop fault: the status line and headers go out, then part of the body,
 * then the connection closes, as when a proxy or the service fails mid-response. */
static void
drop_wrote_headers_cb (SoupServerMessage *msg,
                       gpointer           data)
{
  static const char partial[] = "{\"value\": [{\"id\": \"AAMkAD";
  g_autoptr(GIOStream) stream = NULL;

  g_signal_handlers_disconnect_by_func (msg, drop_wrote_headers_cb, data);
  stream = soup_server_message_steal_connection (msg);
  if (stream == NULL)
    return;

  g_output_stream_write_all (g_io_stream_get_output_stream (stream), partial, strlen (partial),
                             NULL, NULL, NULL);
  g_io_stream_close (stream, NULL, NULL);
}

static void
drop_connection (SoupServerMessage *msg)
{
  static const char body[] =
    "{\"value\": [{\"id\": \"AAMkAD\", \"displayName\": \"this reply never arrives whole\"}]}";

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC,
                                    body, strlen (body));
  g_signal_connect (msg, "wrote-headers", G_CALLBACK (drop_wrote_headers_cb), NULL);
}

/* ---- dispatch ---- */

void
bcs_sb_dispatch (BcsSandbox    *sandbox,
                 BcsSbRequest  *request,
                 BcsSbResponse *response)
{
  switch (request->service)
    {
    case BCS_SB_LOGIN:
      bcs_sb_login_handle (sandbox, request, response);
      break;
    case BCS_SB_GRAPH:
      bcs_sb_graph_handle (sandbox, request, response);
      break;
    case BCS_SB_BC:
      bcs_sb_bc_handle (sandbox, request, response);
      break;
    case BCS_SB_N_SERVICES:
    default:
      break;
    }

  if (response->status == 0)
    bcs_sb_response_set_error (response, 500, "InternalServerError",
                               "The sandbox handler gave no answer.");
}

gboolean
bcs_sb_check_inner_limits (BcsSandbox    *sandbox,
                           BcsSbRequest  *request,
                           BcsSbResponse *response)
{
  g_autoptr(GString) text = g_string_new (request->path);
  g_autoptr(GList) keys = g_hash_table_get_keys (request->query);
  BcsSbFaultKind fault;

  keys = g_list_sort (keys, (GCompareFunc) strcmp);
  for (GList *l = keys; l != NULL; l = l->next)
    g_string_append_printf (text, "%c%s=%s", l == keys ? '?' : '&', (char *) l->data,
                            (char *) g_hash_table_lookup (request->query, l->data));

  fault = bcs_sb_faults_apply (sandbox, request, text->str, TRUE, response);
  if (fault == BCS_SB_FAULT_STATUS)
    return TRUE;

  return !bcs_sb_limits_check_rate (sandbox, request->service, response);
}

/* ---- the server ---- */

static gboolean
is_loopback (SoupServerMessage *msg)
{
  GSocketAddress *address = soup_server_message_get_remote_address (msg);

  if (!G_IS_INET_SOCKET_ADDRESS (address))
    return FALSE;
  return g_inet_address_get_is_loopback (
    g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (address)));
}

static gboolean
strip_prefix (const char  *path,
              const char  *prefix,
              const char **rest)
{
  gsize n = strlen (prefix);

  if (strncmp (path, prefix, n) != 0 || (path[n] != '\0' && path[n] != '/'))
    return FALSE;
  *rest = path[n] != '\0' ? path + n : "/";
  return TRUE;
}

static BcsSbRequest *
request_from_message (BcsSandbox        *sandbox,
                      SoupServerMessage *msg,
                      BcsSbService       service,
                      const char        *path)
{
  BcsSbRequest *request = bcs_sb_request_new (service, soup_server_message_get_method (msg), path);
  GUri *uri = soup_server_message_get_uri (msg);
  const char *raw_query = g_uri_get_query (uri);
  SoupMessageBody *body = soup_server_message_get_request_body (msg);

  g_clear_pointer (&request->headers, soup_message_headers_unref);
  request->headers = soup_message_headers_ref (soup_server_message_get_request_headers (msg));
  g_clear_pointer (&request->body, g_bytes_unref);
  request->body = soup_message_body_flatten (body);

  if (raw_query != NULL && *raw_query != '\0')
    {
      g_autoptr(GHashTable) form = soup_form_decode (raw_query);
      GHashTableIter iter;
      gpointer key, value;

      g_hash_table_iter_init (&iter, form);
      while (g_hash_table_iter_next (&iter, &key, &value))
        g_hash_table_replace (request->query, g_strdup (key), g_strdup (value));
    }

  if (service < BCS_SB_N_SERVICES)
    request->base_url = g_strconcat (sandbox->url, services[service].prefix, NULL);
  else
    request->base_url = g_strdup (sandbox->url);
  return request;
}

static void
server_callback (SoupServer        *server,
                 SoupServerMessage *msg,
                 const char        *unused_path,
                 GHashTable        *unused_query,
                 gpointer           data)
{
  BcsSandbox *sandbox = data;
  GUri *uri = soup_server_message_get_uri (msg);
  const char *raw_query = g_uri_get_query (uri);
  g_autofree char *path = g_uri_unescape_string (g_uri_get_path (uri), NULL);
  g_autofree char *text = NULL;
  const char *rest = NULL;
  BcsSbService service = BCS_SB_N_SERVICES;
  BcsSbJob *job;

  if (path == NULL)
    path = g_strdup (g_uri_get_path (uri));

  if (strip_prefix (path, "/_sandbox", &rest))
    {
      g_autoptr(BcsSbRequest) request = NULL;
      g_autoptr(BcsSbResponse) response = bcs_sb_response_new ();

      if (!is_loopback (msg))
        {
          soup_server_message_set_status (msg, SOUP_STATUS_FORBIDDEN, NULL);
          return;
        }
      request = request_from_message (sandbox, msg, BCS_SB_N_SERVICES, rest);
      bcs_sb_control_handle (sandbox, request, response);
      write_response (msg, BCS_SB_N_SERVICES, response, FALSE);
      return;
    }

  for (guint i = 0; i < BCS_SB_N_SERVICES; i++)
    if (strip_prefix (path, services[i].prefix, &rest))
      {
        service = i;
        break;
      }

  if (service == BCS_SB_N_SERVICES)
    {
      g_autoptr(BcsSbResponse) response = bcs_sb_response_new ();
      g_autofree char *message = g_strdup_printf ("Nothing is served at %s: the sandbox serves "
                                                  "/login, /graph/v1.0, /bc and /_sandbox.", path);

      bcs_sb_response_set_error (response, 404, "NotFound", message);
      write_response (msg, BCS_SB_N_SERVICES, response, FALSE);
      return;
    }

  sandbox->requests[service]++;

  job = g_new0 (BcsSbJob, 1);
  job->sandbox = sandbox;
  job->msg = g_object_ref (msg);
  job->request = request_from_message (sandbox, msg, service, rest);
  job->response = bcs_sb_response_new ();

  if (raw_query != NULL)
    {
      g_autofree char *query = g_uri_unescape_string (raw_query, NULL);

      text = g_strconcat (rest, "?", query ? query : raw_query, NULL);
    }
  else
    text = g_strdup (rest);

  job->fault = bcs_sb_faults_apply (sandbox, job->request, text, FALSE, job->response);
  switch (job->fault)
    {
    case BCS_SB_FAULT_STATUS:
    case BCS_SB_FAULT_MALFORMED:
      job->fault = BCS_SB_FAULT_NONE;
      bcs_sb_job_finish (job);
      return;
    case BCS_SB_FAULT_DROP:
      drop_connection (msg);
      bcs_sb_job_free (job);
      return;
    case BCS_SB_FAULT_NONE:
    case BCS_SB_FAULT_TRUNCATE:
    case BCS_SB_FAULT_EXPIRE_TOKEN:
    case BCS_SB_FAULT_EXPIRE_DELTA:
    case BCS_SB_FAULT_CHANGE_ETAG:
    default:
      break;
    }

  /* A $batch counts against the rate limits through its inner requests */
  if (!g_str_has_suffix (job->request->path, "/$batch") &&
      !bcs_sb_limits_check_rate (sandbox, service, job->response))
    {
      bcs_sb_job_finish (job);
      return;
    }

  bcs_sb_limits_run (sandbox, job);
}

static gboolean
sandbox_listen (BcsSandbox  *sandbox,
                GError     **error)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, sandbox->options.port);
  g_autoslist(GUri) uris = NULL;

  sandbox->server = soup_server_new ("server-header", "bcs-sandbox", NULL);
  soup_server_add_handler (sandbox->server, NULL, server_callback, sandbox, NULL);

  if (!soup_server_listen (sandbox->server, address, 0, error))
    {
      g_clear_object (&sandbox->server);
      return FALSE;
    }

  uris = soup_server_get_uris (sandbox->server);
  g_free (sandbox->url);
  sandbox->url = g_strdup_printf ("http://127.0.0.1:%d", uris ? g_uri_get_port (uris->data) : 0);
  g_atomic_int_set (&sandbox->serving, TRUE);
  return TRUE;
}

gboolean
bcs_sandbox_start (BcsSandbox  *sandbox,
                   GError     **error)
{
  g_return_val_if_fail (sandbox->server == NULL, FALSE);

  sandbox->context = g_main_context_ref_thread_default ();
  return sandbox_listen (sandbox, error);
}

static gpointer
serve_thread (gpointer data)
{
  BcsSandbox *sandbox = data;

  g_main_context_push_thread_default (sandbox->context);
  g_main_loop_run (sandbox->loop);

  g_atomic_int_set (&sandbox->serving, FALSE);
  bcs_sb_limits_free (sandbox->limits);
  sandbox->limits = NULL;
  soup_server_disconnect (sandbox->server);
  g_clear_object (&sandbox->server);
  while (g_main_context_iteration (sandbox->context, FALSE))
    ;
  g_main_context_pop_thread_default (sandbox->context);
  return NULL;
}

gboolean
bcs_sandbox_start_thread (BcsSandbox  *sandbox,
                          GError     **error)
{
  gboolean ok;

  g_return_val_if_fail (sandbox->server == NULL, FALSE);

  sandbox->context = g_main_context_new ();
  sandbox->loop = g_main_loop_new (sandbox->context, FALSE);

  /* Listen with the context as thread-default so that the server's sources
   * attach to it; the thread then runs it */
  g_main_context_push_thread_default (sandbox->context);
  ok = sandbox_listen (sandbox, error);
  g_main_context_pop_thread_default (sandbox->context);
  if (!ok)
    return FALSE;

  sandbox->thread = g_thread_new ("bcs-sandbox", serve_thread, sandbox);
  return TRUE;
}

static gboolean
quit_cb (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

void
bcs_sandbox_free (BcsSandbox *sandbox)
{
  g_autoptr(GError) error = NULL;

  if (sandbox == NULL)
    return;

  if (sandbox->thread != NULL)
    {
      g_main_context_invoke (sandbox->context, quit_cb, sandbox->loop);
      g_thread_join (sandbox->thread);
      sandbox->thread = NULL;
    }
  else if (sandbox->server != NULL)
    {
      g_atomic_int_set (&sandbox->serving, FALSE);
      soup_server_disconnect (sandbox->server);
      g_clear_object (&sandbox->server);
    }

  if (!bcs_sb_state_save_file (sandbox, &error))
    g_warning ("Could not save the sandbox state to %s: %s",
               sandbox->options.state_file, error->message);

  g_clear_object (&sandbox->test_session);
  g_clear_pointer (&sandbox->limits, bcs_sb_limits_free);
  bcs_sb_parts_free (sandbox);
  g_clear_pointer (&sandbox->fault_rules, g_ptr_array_unref);
  g_clear_pointer (&sandbox->by_status, g_hash_table_unref);
  g_clear_pointer (&sandbox->rand, g_rand_free);
  g_clear_pointer (&sandbox->loop, g_main_loop_unref);
  g_clear_pointer (&sandbox->context, g_main_context_unref);
  g_free (sandbox->url);
  bcs_sandbox_options_clear (&sandbox->options);
  g_free (sandbox);
}

JsonNode *
bcs_sandbox_request (BcsSandbox *sandbox,
                     const char *method,
                     const char *path,
                     const char *json_body,
                     guint      *status)
{
  g_autofree char *url = g_strconcat (sandbox->url, path, NULL);
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = NULL;
  gsize length = 0;
  const char *data;

  g_return_val_if_fail (sandbox->thread != NULL, NULL);

  if (status != NULL)
    *status = 0;

  if (sandbox->test_session == NULL)
    sandbox->test_session = soup_session_new_with_options ("timeout", 60, NULL);

  msg = soup_message_new (method, url);
  if (msg == NULL)
    return NULL;
  if (json_body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (json_body, strlen (json_body));

      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }

  reply = soup_session_send_and_read (sandbox->test_session, msg, NULL, &error);
  if (reply == NULL)
    {
      g_debug ("%s %s failed: %s", method, path, error->message);
      return NULL;
    }
  if (status != NULL)
    *status = soup_message_get_status (msg);

  data = g_bytes_get_data (reply, &length);
  if (length == 0)
    return NULL;
  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, (gssize) length, NULL))
    return NULL;
  return json_parser_steal_root (parser);
}
