/* test-sandbox-login-util.c — HTTP and OAuth helpers for the identity platform's tests */
#define G_LOG_DOMAIN "bcs-test"

#include "config.h"

#include <string.h>

#include "test-sandbox-login-util.h"

void
reply_free (Reply *reply)
{
  g_free (reply->location);
  g_free (reply->content_type);
  g_free (reply->www_authenticate);
  g_free (reply->body);
  g_clear_pointer (&reply->json, json_node_unref);
  g_free (reply);
}

Env *
env_new_full (gboolean    auto_approve,
              guint       token_lifetime,
              const char *user)
{
  Env *env = g_new0 (Env, 1);
  BcsSandboxOptions options;
  g_autoptr(GError) error = NULL;

  bcs_sandbox_options_init (&options);
  options.auto_approve = auto_approve;
  if (token_lifetime > 0)
    options.token_lifetime = token_lifetime;
  if (user != NULL)
    {
      g_free (options.user);
      options.user = g_strdup (user);
    }
  env->sandbox = bcs_sandbox_new (&options);
  bcs_sandbox_options_clear (&options);
  g_assert_true (bcs_sandbox_start_thread (env->sandbox, &error));
  g_assert_no_error (error);
  env->session = soup_session_new ();
  return env;
}

Env *
env_new (gboolean auto_approve)
{
  return env_new_full (auto_approve, 0, NULL);
}

void
env_free (Env *env)
{
  g_object_unref (env->session);
  bcs_sandbox_free (env->sandbox);
  g_free (env);
}

/* Runs FUNC on the sandbox's own thread and waits, so tests never touch its
 * state concurrently with a request */
typedef struct {
  GMutex mutex;
  GCond cond;
  gboolean done;
  GSourceFunc func;
  gpointer data;
} Call;

static gboolean
call_cb (gpointer data)
{
  Call *call = data;

  call->func (call->data);
  g_mutex_lock (&call->mutex);
  call->done = TRUE;
  g_cond_signal (&call->cond);
  g_mutex_unlock (&call->mutex);
  return G_SOURCE_REMOVE;
}

void
run_in_sandbox (Env        *env,
                GSourceFunc func,
                gpointer    data)
{
  Call call = { .func = func, .data = data };

  g_mutex_init (&call.mutex);
  g_cond_init (&call.cond);
  g_main_context_invoke (env->sandbox->context, call_cb, &call);
  g_mutex_lock (&call.mutex);
  while (!call.done)
    g_cond_wait (&call.cond, &call.mutex);
  g_mutex_unlock (&call.mutex);
  g_mutex_clear (&call.mutex);
  g_cond_clear (&call.cond);
}

/* "a", "1", "b", NULL, … → "a=1" (NULL values skipped) */
char *
form_encode (const char *first_name,
             ...)
{
  GString *form = g_string_new (NULL);
  va_list args;

  va_start (args, first_name);
  for (const char *name = first_name; name != NULL; name = va_arg (args, const char *))
    {
      const char *value = va_arg (args, const char *);

      if (value == NULL)
        continue;
      if (form->len > 0)
        g_string_append_c (form, '&');
      g_string_append_uri_escaped (form, name, NULL, FALSE);
      g_string_append_c (form, '=');
      g_string_append_uri_escaped (form, value, NULL, FALSE);
    }
  va_end (args);
  return g_string_free (form, FALSE);
}

Reply *
http_send (Env        *env,
      const char *method,
      const char *path,
      const char *form,
      const char *bearer)
{
  g_autofree char *url = g_str_has_prefix (path, "http")
    ? g_strdup (path) : g_strconcat (bcs_sandbox_get_url (env->sandbox), path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  SoupMessageHeaders *headers;
  Reply *reply = g_new0 (Reply, 1);
  gsize length;
  const char *data;

  g_assert_nonnull (msg);
  /* Redirects go to the application's loopback listener: read them, don't follow */
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  if (form != NULL)
    {
      g_autoptr(GBytes) body = g_bytes_new (form, strlen (form));

      soup_message_set_request_body_from_bytes (msg, "application/x-www-form-urlencoded", body);
    }
  if (bearer != NULL)
    {
      g_autofree char *value = g_strconcat ("Bearer ", bearer, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", value);
    }

  bytes = soup_session_send_and_read (env->session, msg, NULL, &error);
  g_assert_no_error (error);

  headers = soup_message_get_response_headers (msg);
  reply->status = soup_message_get_status (msg);
  reply->location = g_strdup (soup_message_headers_get_one (headers, "Location"));
  reply->content_type = g_strdup (soup_message_headers_get_content_type (headers, NULL));
  reply->www_authenticate = g_strdup (soup_message_headers_get_one (headers, "WWW-Authenticate"));
  data = g_bytes_get_data (bytes, &length);
  reply->body = g_strndup (data ? data : "", length);
  if (g_strcmp0 (reply->content_type, "application/json") == 0 && length > 0)
    {
      reply->json = json_from_string (reply->body, &error);
      g_assert_no_error (error);
    }
  return reply;
}

const char *
member_string (Reply      *reply,
               const char *name)
{
  JsonObject *object;

  g_assert_nonnull (reply->json);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (reply->json));
  object = json_node_get_object (reply->json);
  return json_object_get_string_member_with_default (object, name, NULL);
}

gint64
member_int (Reply      *reply,
            const char *name)
{
  g_assert_nonnull (reply->json);
  return json_object_get_int_member_with_default (json_node_get_object (reply->json), name, -1);
}

/* Microsoft's error shape, with the AADSTS code in three places */
void
assert_oauth_error (Reply      *reply,
                    guint       status,
                    const char *error,
                    guint       code)
{
  g_autofree char *prefix = g_strdup_printf ("AADSTS%u: ", code);
  JsonObject *object;
  JsonArray *codes;
  const char *description;

  g_assert_cmpuint (reply->status, ==, status);
  g_assert_cmpstr (member_string (reply, "error"), ==, error);
  object = json_node_get_object (reply->json);
  description = member_string (reply, "error_description");
  g_assert_nonnull (description);
  g_assert_true (g_str_has_prefix (description, prefix));
  g_assert_nonnull (strstr (description, " Trace ID: "));
  g_assert_nonnull (strstr (description, " Correlation ID: "));
  g_assert_nonnull (strstr (description, " Timestamp: "));
  codes = json_object_get_array_member (object, "error_codes");
  g_assert_nonnull (codes);
  g_assert_cmpuint (json_array_get_length (codes), ==, 1);
  g_assert_cmpint (json_array_get_int_element (codes, 0), ==, code);
  g_assert_nonnull (member_string (reply, "timestamp"));
  g_assert_nonnull (member_string (reply, "trace_id"));
  g_assert_nonnull (member_string (reply, "correlation_id"));
  g_assert_null (member_string (reply, "access_token"));
}

char *
authorize_path_full (const char *tenant,
                     const char *client_id,
                     const char *redirect_uri,
                     const char *scope,
                     const char *challenge,
                     const char *method)
{
  g_autofree char *query = form_encode ("client_id", client_id,
                                        "response_type", "code",
                                        "redirect_uri", redirect_uri,
                                        "response_mode", "query",
                                        "scope", scope,
                                        "state", "st-42",
                                        "code_challenge", challenge,
                                        "code_challenge_method", method,
                                        NULL);

  return g_strdup_printf ("/login/%s/oauth2/v2.0/authorize?%s", tenant, query);
}

char *
authorize_path (const char *scope)
{
  return authorize_path_full ("sandbox", "sandbox", REDIRECT, scope, CHALLENGE, "S256");
}

/* A query parameter of a redirect's Location */
char *
location_param (Reply      *reply,
                const char *name)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GHashTable) params = NULL;

  g_assert_nonnull (reply->location);
  uri = g_uri_parse (reply->location, G_URI_FLAGS_ENCODED_QUERY, NULL);
  g_assert_nonnull (uri);
  if (g_uri_get_query (uri) == NULL)
    return NULL;
  params = g_uri_parse_params (g_uri_get_query (uri), -1, "&", G_URI_PARAMS_NONE, NULL);
  g_assert_nonnull (params);
  return g_strdup (g_hash_table_lookup (params, name));
}

/* Signs in on an auto-approving sandbox and returns the authorization code */
char *
sign_in (Env        *env,
         const char *scope)
{
  g_autofree char *path = authorize_path (scope);
  g_autoptr(Reply) reply = http_send (env, "GET", path, NULL, NULL);
  char *code;

  g_assert_cmpuint (reply->status, ==, 302);
  code = location_param (reply, "code");
  g_assert_nonnull (code);
  return code;
}

Reply *
redeem (Env        *env,
        const char *code,
        const char *verifier,
        const char *redirect_uri,
        const char *scope)
{
  g_autofree char *form = form_encode ("client_id", "sandbox",
                                       "grant_type", "authorization_code",
                                       "code", code,
                                       "redirect_uri", redirect_uri,
                                       "code_verifier", verifier,
                                       "scope", scope,
                                       NULL);

  return http_send (env, "POST", "/login/sandbox/oauth2/v2.0/token", form, NULL);
}

Reply *
refresh (Env        *env,
         const char *refresh_token,
         const char *scope)
{
  g_autofree char *form = form_encode ("client_id", "sandbox",
                                       "grant_type", "refresh_token",
                                       "refresh_token", refresh_token,
                                       "scope", scope,
                                       NULL);

  return http_send (env, "POST", "/login/sandbox/oauth2/v2.0/token", form, NULL);
}

/* A full sign-in: a token reply for SCOPE after consenting to ALL_SCOPES */
Reply *
sign_in_tokens (Env        *env,
                const char *scope)
{
  g_autofree char *code = sign_in (env, ALL_SCOPES);
  Reply *reply = redeem (env, code, VERIFIER, REDIRECT, scope);

  g_assert_cmpuint (reply->status, ==, 200);
  return reply;
}

/* ---- bearer checks ---- */

static gboolean
check_cb (gpointer data)
{
  Check *check = data;
  g_autoptr(BcsSbRequest) request = bcs_sb_request_new (BCS_SB_GRAPH, "GET", "/me");
  g_autoptr(BcsSbResponse) response = bcs_sb_response_new ();
  JsonObject *error;

  if (check->token != NULL)
    {
      g_autofree char *value = g_strconcat ("Bearer ", check->token, NULL);

      soup_message_headers_replace (request->headers, "Authorization", value);
    }
  check->ok = bcs_sb_login_check_bearer (check->env->sandbox, request, check->resource, response);
  check->status = response->status;
  check->user = g_strdup (request->user);
  check->www_authenticate = g_strdup (soup_message_headers_get_one (response->headers, "WWW-Authenticate"));
  if (response->json != NULL)
    {
      error = json_object_get_object_member (json_node_get_object (response->json), "error");
      check->error_code = g_strdup (json_object_get_string_member (error, "code"));
      check->message = g_strdup (json_object_get_string_member (error, "message"));
    }
  return G_SOURCE_REMOVE;
}

void
check_clear (Check *check)
{
  g_free (check->user);
  g_free (check->error_code);
  g_free (check->message);
  g_free (check->www_authenticate);
}

void
check_bearer (Env        *env,
              const char *token,
              const char *resource,
              Check      *check)
{
  check->env = env;
  check->token = token;
  check->resource = resource;
  run_in_sandbox (env, check_cb, check);
}

void
assert_unauthorized (Check      *check,
                     const char *resource,
                     const char *message)
{
  g_assert_false (check->ok);
  g_assert_cmpuint (check->status, ==, 401);
  g_assert_null (check->user);
  g_assert_nonnull (check->www_authenticate);
  g_assert_true (g_str_has_prefix (check->www_authenticate, "Bearer "));
  if (g_str_equal (resource, "graph"))
    {
      g_assert_cmpstr (check->error_code, ==, "InvalidAuthenticationToken");
      g_assert_cmpstr (check->message, ==, message);
    }
  else
    {
      g_assert_cmpstr (check->error_code, ==, "Authentication_InvalidCredentials");
      g_assert_true (g_str_has_prefix (check->message, "The server has rejected the client credentials."));
      g_assert_nonnull (strstr (check->message, "CorrelationId:"));
    }
}

Reply *
device_start (Env        *env,
              const char *scope)
{
  g_autofree char *form = form_encode ("client_id", "sandbox", "scope", scope, NULL);

  return http_send (env, "POST", "/login/sandbox/oauth2/v2.0/devicecode", form, NULL);
}

Reply *
device_poll (Env        *env,
             const char *device_code)
{
  g_autofree char *form = form_encode ("client_id", "sandbox",
                                       "grant_type", DEVICE_GRANT,
                                       "device_code", device_code,
                                       NULL);

  return http_send (env, "POST", "/login/sandbox/oauth2/v2.0/token", form, NULL);
}

/* The verification page's form, as a user would fill it in (the page is
 * the verification_uri that the devicecode endpoint announces) */
Reply *
device_decide (Env        *env,
               const char *user_code,
               const char *action)
{
  g_autofree char *form = form_encode ("user_code", user_code, "action", action, NULL);

  return http_send (env, "POST", "/login/sandbox/oauth2/deviceauth", form, NULL);
}

typedef struct {
  BcsSbLogin *login;
  guint interval;
  guint lifetime;
} Timing;

static gboolean
set_timing_cb (gpointer data)
{
  Timing *timing = data;

  bcs_sb_login_set_device_timing (timing->login, timing->interval, timing->lifetime);
  return G_SOURCE_REMOVE;
}

void
set_device_timing (Env  *env,
                   guint interval,
                   guint lifetime)
{
  Timing timing = { env->sandbox->login, interval, lifetime };

  run_in_sandbox (env, set_timing_cb, &timing);
}

/* The hidden pending id of the consent page's form */
char *
page_pending_id (Reply *reply)
{
  const char *start = strstr (reply->body, "name=\"pending\" value=\"");
  const char *end;

  g_assert_nonnull (start);
  start += strlen ("name=\"pending\" value=\"");
  end = strchr (start, '"');
  g_assert_nonnull (end);
  return g_strndup (start, end - start);
}

JsonObject *
id_token_payload (const char *id_token)
{
  g_auto(GStrv) parts = g_strsplit (id_token, ".", -1);
  g_autoptr(GString) text = NULL;
  g_autofree guchar *decoded = NULL;
  g_autofree char *json = NULL;
  g_autoptr(JsonNode) node = NULL;
  gsize length;

  g_assert_cmpuint (g_strv_length (parts), ==, 3);
  text = g_string_new (parts[1]);
  g_strdelimit (text->str, "-", '+');
  g_strdelimit (text->str, "_", '/');
  while (text->len % 4 != 0)
    g_string_append_c (text, '=');
  decoded = g_base64_decode (text->str, &length);
  json = g_strndup ((const char *) decoded, length);
  node = json_from_string (json, NULL);
  g_assert_nonnull (node);
  return json_object_ref (json_node_get_object (node));
}
