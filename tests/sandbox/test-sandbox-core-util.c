/* test-sandbox-core-util.c — helpers shared by the sandbox core's tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "test-sandbox-core.h"

void
reply_free (Reply *reply)
{
  g_clear_pointer (&reply->body, g_bytes_unref);
  g_clear_pointer (&reply->headers, soup_message_headers_unref);
  g_clear_error (&reply->error);
  g_free (reply);
}

BcsSandbox *
start_sandbox (void (*tweak) (BcsSandboxOptions *options))
{
  BcsSandboxOptions options;
  BcsSandbox *sandbox;
  g_autoptr(GError) error = NULL;

  bcs_sandbox_options_init (&options);
  options.auto_approve = TRUE;
  if (tweak != NULL)
    tweak (&options);
  sandbox = bcs_sandbox_new (&options);
  bcs_sandbox_options_clear (&options);
  g_assert_true (bcs_sandbox_start_thread (sandbox, &error));
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (bcs_sandbox_get_url (sandbox), "http://127.0.0.1:"));
  return sandbox;
}

SoupSession *
new_session (void)
{
  return soup_session_new_with_options ("max-conns", 64, "max-conns-per-host", 32,
                                        "timeout", 30, NULL);
}

Reply *
send_full (SoupSession *session,
           BcsSandbox  *sandbox,
           const char  *method,
           const char  *path,
           const char  *content_type,
           const char  *body,
           ...)
{
  g_autofree char *url = g_strconcat (bcs_sandbox_get_url (sandbox), path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  Reply *reply = g_new0 (Reply, 1);
  const char *name;
  va_list args;

  g_assert_nonnull (msg);
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  va_start (args, body);
  while ((name = va_arg (args, const char *)) != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), name,
                                  va_arg (args, const char *));
  va_end (args);
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, content_type, bytes);
    }

  reply->body = soup_session_send_and_read (session, msg, NULL, &reply->error);
  reply->status = soup_message_get_status (msg);
  reply->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  return reply;
}

JsonNode *
reply_json (Reply *reply)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize length = 0;
  const char *data;

  if (reply->body == NULL)
    return NULL;
  data = g_bytes_get_data (reply->body, &length);
  if (length == 0 || !json_parser_load_from_data (parser, data, (gssize) length, NULL))
    return NULL;
  return json_parser_steal_root (parser);
}

const char *
error_code (JsonNode *node)
{
  JsonObject *error;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  error = json_object_get_object_member (json_node_get_object (node), "error");
  return error ? json_object_get_string_member_with_default (error, "code", NULL) : NULL;
}

gint64
stat_member (JsonNode   *stats,
             const char *group,
             const char *name)
{
  JsonObject *object = json_object_get_object_member (json_node_get_object (stats), group);

  return json_object_get_int_member_with_default (object, name, 0);
}

void
post_control (BcsSandbox *sandbox,
              const char *path,
              const char *json)
{
  guint status = 0;
  g_autoptr(JsonNode) node = bcs_sandbox_request (sandbox, "POST", path, json, &status);

  g_assert_cmpuint (status, ==, 200);
  g_assert_nonnull (node);
}

void
add_faults (BcsSandbox *sandbox,
            const char *rules_json)
{
  g_autofree char *body = g_strdup_printf ("{\"rules\": %s}", rules_json);

  post_control (sandbox, "/_sandbox/faults", body);
}

void
normalize (JsonNode *node)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      g_autoptr(GList) members = json_object_get_members (object);

      for (GList *l = members; l != NULL; l = l->next)
        {
          const char *name = l->data;

          if (strstr (name, "DateTime") != NULL || strstr (name, "etag") != NULL ||
              strcmp (name, "changeKey") == 0 || strcmp (name, "login") == 0)
            json_object_remove_member (object, name);
          else
            normalize (json_object_get_member (object, name));
        }
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        normalize (json_array_get_element (array, i));
    }
}

char *
state_text (BcsSandbox *sandbox,
            gboolean    normalized)
{
  guint status = 0;
  g_autoptr(JsonNode) state = bcs_sandbox_request (sandbox, "GET", "/_sandbox/state", NULL, &status);

  g_assert_cmpuint (status, ==, 200);
  g_assert_nonnull (state);
  if (normalized)
    normalize (state);
  return json_to_string (state, FALSE);
}

static char *
pkce_challenge (const char *verifier)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[32];
  gsize length = sizeof digest;
  g_autofree char *b64 = NULL;

  g_checksum_update (checksum, (const guchar *) verifier, -1);
  g_checksum_get_digest (checksum, digest, &length);
  b64 = g_base64_encode (digest, length);
  g_strdelimit (b64, "+", '-');
  g_strdelimit (b64, "/", '_');
  if (strchr (b64, '=') != NULL)
    *strchr (b64, '=') = '\0';
  return g_steal_pointer (&b64);
}

static char *
json_string_member (JsonNode   *node,
                    const char *name)
{
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return g_strdup (json_object_get_string_member_with_default (json_node_get_object (node), name, NULL));
}

char *
sign_in (SoupSession *session,
         BcsSandbox  *sandbox,
         char       **bc_bearer)
{
  const char *verifier = "sandbox-core-test-verifier-0123456789-abcdefghijklmnop";
  g_autofree char *challenge = pkce_challenge (verifier);
  g_autofree char *scope = g_uri_escape_string (GRAPH_SCOPE " " BC_SCOPE, NULL, FALSE);
  g_autofree char *graph_scope = g_uri_escape_string (GRAPH_SCOPE, NULL, FALSE);
  g_autofree char *bc_scope = g_uri_escape_string ("offline_access " BC_SCOPE, NULL, FALSE);
  g_autofree char *redirect = g_uri_escape_string (REDIRECT, NULL, FALSE);
  g_autofree char *path = g_strdup_printf ("/login/sandbox/oauth2/v2.0/authorize?client_id=sandbox"
                                           "&response_type=code&redirect_uri=%s&response_mode=query"
                                           "&scope=%s&state=s1&code_challenge=%s"
                                           "&code_challenge_method=S256",
                                           redirect, scope, challenge);
  g_autoptr(Reply) authorize = send_simple (session, sandbox, "GET", path);
  const char *location = soup_message_headers_get_one (authorize->headers, "Location");
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GHashTable) params = NULL;
  g_autofree char *form = NULL;
  g_autoptr(Reply) token = NULL;
  g_autoptr(JsonNode) token_json = NULL;
  g_autofree char *access = NULL;
  g_autofree char *refresh = NULL;

  g_assert_cmpuint (authorize->status, ==, 302);
  g_assert_nonnull (location);
  uri = g_uri_parse (location, G_URI_FLAGS_NONE, NULL);
  g_assert_nonnull (uri);
  params = g_uri_parse_params (g_uri_get_query (uri), -1, "&", G_URI_PARAMS_NONE, NULL);
  g_assert_nonnull (g_hash_table_lookup (params, "code"));

  form = g_strdup_printf ("client_id=sandbox&grant_type=authorization_code&code=%s&redirect_uri=%s"
                          "&code_verifier=%s&scope=%s", (char *) g_hash_table_lookup (params, "code"),
                          redirect, verifier, graph_scope);
  token = send_full (session, sandbox, "POST", "/login/sandbox/oauth2/v2.0/token",
                     "application/x-www-form-urlencoded", form, NULL);
  token_json = reply_json (token);
  g_assert_cmpuint (token->status, ==, 200);
  access = json_string_member (token_json, "access_token");
  refresh = json_string_member (token_json, "refresh_token");
  g_assert_nonnull (access);
  g_assert_nonnull (refresh);

  if (bc_bearer != NULL)
    {
      g_autofree char *refresh_form = g_strdup_printf ("client_id=sandbox&grant_type=refresh_token"
                                                       "&refresh_token=%s&scope=%s", refresh, bc_scope);
      g_autoptr(Reply) bc_token = send_full (session, sandbox, "POST", "/login/sandbox/oauth2/v2.0/token",
                                             "application/x-www-form-urlencoded", refresh_form, NULL);
      g_autoptr(JsonNode) bc_json = reply_json (bc_token);
      g_autofree char *bc_access = json_string_member (bc_json, "access_token");

      g_assert_cmpuint (bc_token->status, ==, 200);
      g_assert_nonnull (bc_access);
      *bc_bearer = g_strconcat ("Bearer ", bc_access, NULL);
    }

  return g_strconcat ("Bearer ", access, NULL);
}

double
timed_ms (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1000.0;
}

typedef struct {
  guint pending;
} Parallel;

static void
parallel_done_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      data)
{
  Parallel *parallel = data;
  g_autoptr(GBytes) bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result, NULL);

  g_assert_nonnull (bytes);
  parallel->pending--;
}

/* The sandbox's busiest moment for SERVICE since its limits were last posted */
static void
read_peaks (BcsSandbox *sandbox,
            const char *service,
            guint      *max_active,
            guint      *max_waiting)
{
  guint status = 0;
  g_autoptr(JsonNode) limits = bcs_sandbox_request (sandbox, "GET", "/_sandbox/limits", NULL, &status);
  JsonObject *object;

  g_assert_cmpuint (status, ==, 200);
  object = json_object_get_object_member (json_node_get_object (limits), service);
  g_assert_nonnull (object);
  *max_active = (guint) json_object_get_int_member (object, "peak_active");
  *max_waiting = (guint) json_object_get_int_member (object, "peak_waiting");
}

double
parallel_ms (BcsSandbox *sandbox,
             const char *path,
             guint       n,
             const char *service,
             guint      *max_active,
             guint      *max_waiting)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(SoupSession) session = NULL;
  g_autofree char *url = g_strconcat (bcs_sandbox_get_url (sandbox), path, NULL);
  Parallel parallel = { n };
  gint64 start;
  double elapsed;

  g_main_context_push_thread_default (context);
  session = new_session ();
  if (service != NULL)
    {
      g_autofree char *reset = g_strdup_printf ("{\"service\": \"%s\"}", service);

      post_control (sandbox, "/_sandbox/limits", reset);
    }
  start = g_get_monotonic_time ();
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);

      soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL,
                                        parallel_done_cb, &parallel);
    }
  while (parallel.pending > 0)
    g_main_context_iteration (context, TRUE);
  g_clear_object (&session);
  while (g_main_context_iteration (context, FALSE))
    ;
  g_main_context_pop_thread_default (context);

  elapsed = (g_get_monotonic_time () - start) / 1000.0;
  if (service != NULL)
    read_peaks (sandbox, service, max_active, max_waiting);
  return elapsed;
}
