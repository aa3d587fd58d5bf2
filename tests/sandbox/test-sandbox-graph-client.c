/* test-sandbox-graph-client.c — a small blocking Graph client for the tests:
 * signs in through the sandbox's identity platform, sends requests with any
 * headers, parses replies */
#include "config.h"

#include <string.h>

#include "test-sandbox-graph.h"


void
reply_free (Reply *reply)
{
  g_clear_pointer (&reply->json, json_node_unref);
  g_clear_pointer (&reply->headers, soup_message_headers_unref);
  g_free (reply);
}


JsonObject *
reply_object (Reply *reply)
{
  g_assert_nonnull (reply->json);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (reply->json));
  return json_node_get_object (reply->json);
}

const char *
error_code (Reply *reply)
{
  JsonObject *object = reply_object (reply);

  g_assert_true (json_object_has_member (object, "error"));
  return json_object_get_string_member (json_object_get_object_member (object, "error"), "code");
}

/* METHOD URL (absolute, or a path below /graph/v1.0) with BODY and header pairs */
Reply *
send_full (Env        *env,
           gboolean    auth,
           const char *method,
           const char *url,
           const char *body,
           ...)
{
  g_autofree char *full = g_str_has_prefix (url, "http") ? g_strdup (url)
                                                         : g_strconcat (env->base, url, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, full);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  Reply *reply = g_new0 (Reply, 1);
  const char *name;
  va_list args;

  g_assert_nonnull (msg);
  if (auth)
    {
      g_autofree char *value = g_strconcat ("Bearer ", env->token, NULL);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", value);
    }
  va_start (args, body);
  while ((name = va_arg (args, const char *)) != NULL)
    {
      const char *value = va_arg (args, const char *);
      if (value != NULL)
        soup_message_headers_replace (soup_message_get_request_headers (msg), name, value);
    }
  va_end (args);
  if (body != NULL)
    {
      g_autoptr(GBytes) request_body = g_bytes_new (body, strlen (body));
      soup_message_set_request_body_from_bytes (msg, "application/json", request_body);
    }

  bytes = soup_session_send_and_read (env->session, msg, NULL, &error);
  g_assert_no_error (error);
  reply->status = soup_message_get_status (msg);
  reply->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  if (g_bytes_get_size (bytes) > 0)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      gsize length;
      const char *data = g_bytes_get_data (bytes, &length);

      if (json_parser_load_from_data (parser, data, length, NULL))
        reply->json = json_parser_steal_root (parser);
    }
  return reply;
}


JsonNode *
parse (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  g_assert_true (json_parser_load_from_data (parser, text, -1, NULL));
  return json_parser_steal_root (parser);
}

static GHashTable *
form_post (Env        *env,
           const char *path,
           const char *form,
           guint      *status)
{
  g_autofree char *url = g_strconcat (bcs_sandbox_get_url (env->sandbox), path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
  g_autoptr(GBytes) body = g_bytes_new (form, strlen (form));
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonNode) node = NULL;
  GHashTable *out = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GList) members = NULL;

  soup_message_set_request_body_from_bytes (msg, "application/x-www-form-urlencoded", body);
  bytes = soup_session_send_and_read (env->session, msg, NULL, NULL);
  g_assert_nonnull (bytes);
  *status = soup_message_get_status (msg);
  node = parse (g_bytes_get_data (bytes, NULL));
  members = json_object_get_members (json_node_get_object (node));
  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *value = json_object_get_member (json_node_get_object (node), l->data);
      if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING)
        g_hash_table_insert (out, g_strdup (l->data), g_strdup (json_node_get_string (value)));
    }
  return out;
}

/* The device code flow: with auto_approve the first poll gets the tokens */
char *
sign_in (Env        *env,
         const char *scope)
{
  g_autofree char *escaped = g_uri_escape_string (scope, NULL, FALSE);
  g_autofree char *form = g_strdup_printf ("client_id=sandbox&scope=%s", escaped);
  g_autoptr(GHashTable) device = NULL;
  g_autoptr(GHashTable) token = NULL;
  g_autofree char *poll = NULL;
  guint status;

  device = form_post (env, "/login/sandbox/oauth2/v2.0/devicecode", form, &status);
  g_assert_cmpuint (status, ==, 200);
  poll = g_strdup_printf ("client_id=sandbox&grant_type=urn:ietf:params:oauth:grant-type:device_code"
                          "&device_code=%s", (char *) g_hash_table_lookup (device, "device_code"));
  token = form_post (env, "/login/sandbox/oauth2/v2.0/token", poll, &status);
  g_assert_cmpuint (status, ==, 200);
  return g_strdup (g_hash_table_lookup (token, "access_token"));
}

Env *
env_new_with_user (guint       outlook_contacts,
                   const char *user)
{
  return env_new_full (outlook_contacts, user, -1);
}

Env *
env_new_full (guint       outlook_contacts,
              const char *user,
              int         realistic_latency_ms)
{
  BcsSandboxOptions options;
  Env *env = g_new0 (Env, 1);
  g_autoptr(GError) error = NULL;

  bcs_sandbox_options_init (&options);
  options.port = 0;
  options.outlook_contacts = outlook_contacts;
  options.bc_contacts = 20;
  options.seed = 42;
  options.auto_approve = TRUE;
  if (realistic_latency_ms >= 0)
    {
      options.realistic = TRUE;
      options.latency_ms = realistic_latency_ms;
    }
  if (user != NULL)
    {
      g_free (options.user);
      options.user = g_strdup (user);
    }
  env->sandbox = bcs_sandbox_new (&options);
  bcs_sandbox_options_clear (&options);
  g_assert_true (bcs_sandbox_start_thread (env->sandbox, &error));
  g_assert_no_error (error);
  env->session = soup_session_new_with_options ("timeout", 60, NULL);
  env->base = g_strconcat (bcs_sandbox_get_url (env->sandbox), "/graph/v1.0", NULL);
  env->token = sign_in (env, "offline_access User.Read Contacts.ReadWrite");
  g_assert_nonnull (env->token);
  return env;
}

Env *
env_new (guint outlook_contacts)
{
  return env_new_with_user (outlook_contacts, NULL);
}

void
env_free (Env *env)
{
  g_object_unref (env->session);
  bcs_sandbox_free (env->sandbox);
  g_free (env->token);
  g_free (env->base);
  g_free (env);
}


guint
control (Env        *env,
         const char *method,
         const char *path,
         const char *body,
         JsonNode  **out)
{
  guint status = 0;
  JsonNode *node = bcs_sandbox_request (env->sandbox, method, path, body, &status);

  if (out != NULL)
    *out = node;
  else if (node != NULL)
    json_node_unref (node);
  return status;
}

/* Creates a folder under the default folder and returns its id */
char *
make_folder (Env        *env,
             const char *name)
{
  g_autofree char *body = g_strdup_printf ("{\"displayName\": \"%s\"}", name);
  g_autoptr(Reply) reply = call (env, "POST", "/me/contactFolders", body);

  g_assert_cmpuint (reply->status, ==, 201);
  return g_strdup (json_object_get_string_member (reply_object (reply), "id"));
}

char *
seeded_folder (Env *env)
{
  g_autoptr(Reply) reply = call (env, "GET", "/me/contactFolders?$filter=displayName%20eq%20'Business%20Central'", NULL);
  JsonArray *value;

  g_assert_cmpuint (reply->status, ==, 200);
  value = json_object_get_array_member (reply_object (reply), "value");
  g_assert_cmpuint (json_array_get_length (value), ==, 1);
  return g_strdup (json_object_get_string_member (json_array_get_object_element (value, 0), "id"));
}

JsonObject *
create_contact (Env        *env,
                const char *folder,
                const char *body)
{
  g_autofree char *path = g_strdup_printf ("/me/contactFolders/%s/contacts", folder);
  g_autoptr(Reply) reply = call (env, "POST", path, body);

  g_assert_cmpuint (reply->status, ==, 201);
  return json_object_ref (reply_object (reply));
}

char *
contact_path (const char *folder,
              const char *id)
{
  return g_strdup_printf ("/me/contactFolders/%s/contacts/%s", folder, id);
}

GPtrArray *
collect_all (Env        *env,
             const char *url,
             guint      *pages)
{
  GPtrArray *items = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autofree char *next = g_strdup (url);

  *pages = 0;
  while (next != NULL)
    {
      g_autoptr(Reply) reply = call (env, "GET", next, NULL);
      JsonArray *value;

      g_assert_cmpuint (reply->status, ==, 200);
      value = json_object_get_array_member (reply_object (reply), "value");
      for (guint i = 0; i < json_array_get_length (value); i++)
        g_ptr_array_add (items, json_object_ref (json_array_get_object_element (value, i)));
      g_free (next);
      next = g_strdup (json_object_get_string_member_with_default (reply_object (reply), "@odata.nextLink", NULL));
      (*pages)++;
    }
  return items;
}
