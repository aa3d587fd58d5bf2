/* test-sandbox-graph.c — the sandbox's Microsoft Graph contact API behaves as
 * API-NOTES.md describes Microsoft's, down to the awkward parts */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "bcs-sandbox-private.h"

/* ---- a small client ---- */

typedef struct {
  BcsSandbox *sandbox;
  SoupSession *session;
  char *token;
  char *base;           /* …/graph/v1.0 */
} Env;

typedef struct {
  guint status;
  JsonNode *json;
  SoupMessageHeaders *headers;
} Reply;

static void
reply_free (Reply *reply)
{
  g_clear_pointer (&reply->json, json_node_unref);
  g_clear_pointer (&reply->headers, soup_message_headers_unref);
  g_free (reply);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Reply, reply_free)

static JsonObject *
reply_object (Reply *reply)
{
  g_assert_nonnull (reply->json);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (reply->json));
  return json_node_get_object (reply->json);
}

static const char *
error_code (Reply *reply)
{
  JsonObject *object = reply_object (reply);

  g_assert_true (json_object_has_member (object, "error"));
  return json_object_get_string_member (json_object_get_object_member (object, "error"), "code");
}

/* METHOD URL (absolute, or a path below /graph/v1.0) with BODY and header pairs */
static Reply *
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

#define call(env, method, url, body) send_full (env, TRUE, method, url, body, NULL)

static JsonNode *
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
static char *
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

static Env *
env_new_with_user (guint       outlook_contacts,
                   const char *user)
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

static Env *
env_new (guint outlook_contacts)
{
  return env_new_with_user (outlook_contacts, NULL);
}

static void
env_free (Env *env)
{
  g_object_unref (env->session);
  bcs_sandbox_free (env->sandbox);
  g_free (env->token);
  g_free (env->base);
  g_free (env);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Env, env_free)

static guint
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
static char *
make_folder (Env        *env,
             const char *name)
{
  g_autofree char *body = g_strdup_printf ("{\"displayName\": \"%s\"}", name);
  g_autoptr(Reply) reply = call (env, "POST", "/me/contactFolders", body);

  g_assert_cmpuint (reply->status, ==, 201);
  return g_strdup (json_object_get_string_member (reply_object (reply), "id"));
}

static char *
seeded_folder (Env *env)
{
  g_autoptr(Reply) reply = call (env, "GET", "/me/contactFolders?$filter=displayName%20eq%20'Business%20Central'", NULL);
  JsonArray *value;

  g_assert_cmpuint (reply->status, ==, 200);
  value = json_object_get_array_member (reply_object (reply), "value");
  g_assert_cmpuint (json_array_get_length (value), ==, 1);
  return g_strdup (json_object_get_string_member (json_array_get_object_element (value, 0), "id"));
}

static JsonObject *
create_contact (Env        *env,
                const char *folder,
                const char *body)
{
  g_autofree char *path = g_strdup_printf ("/me/contactFolders/%s/contacts", folder);
  g_autoptr(Reply) reply = call (env, "POST", path, body);

  g_assert_cmpuint (reply->status, ==, 201);
  return json_object_ref (reply_object (reply));
}

static char *
contact_path (const char *folder,
              const char *id)
{
  return g_strdup_printf ("/me/contactFolders/%s/contacts/%s", folder, id);
}

/* ---- /me and auth ---- */

static void
test_me (void)
{
  g_autoptr(Env) env = env_new (0);
  g_autoptr(Reply) reply = call (env, "GET", "/me", NULL);
  JsonObject *me;

  g_assert_cmpuint (reply->status, ==, 200);
  me = reply_object (reply);
  g_assert_cmpstr (json_object_get_string_member (me, "userPrincipalName"), ==, "demo@sandbox.example");
  g_assert_cmpstr (json_object_get_string_member (me, "mail"), ==, "demo@sandbox.example");
  g_assert_cmpstr (json_object_get_string_member (me, "displayName"), ==, "Demo User");
  g_assert_nonnull (json_object_get_string_member (me, "id"));
  g_assert_nonnull (json_object_get_string_member (me, "@odata.context"));
  g_assert_true (JSON_NODE_HOLDS_ARRAY (json_object_get_member (me, "businessPhones")));
  g_assert_nonnull (json_object_get_string_member (me, "givenName"));
  g_assert_nonnull (json_object_get_string_member (me, "surname"));
}

static void
test_me_null_mail (void)
{
  g_autoptr(Env) env = env_new_with_user (0, "outsider@sandbox.example");
  g_autoptr(Reply) reply = call (env, "GET", "/me", NULL);

  g_assert_cmpuint (reply->status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (reply_object (reply), "userPrincipalName"), ==,
                   "outsider@sandbox.example");
  g_assert_true (json_object_get_null_member (reply_object (reply), "mail"));
}

static void
test_auth (void)
{
  g_autoptr(Env) env = env_new (0);
  g_autoptr(Reply) none = send_full (env, FALSE, "GET", "/me", NULL, NULL);
  g_autofree char *bc_token = sign_in (env, "https://api.businesscentral.dynamics.com/Financials.ReadWrite.All");
  g_autofree char *bearer = g_strconcat ("Bearer ", bc_token, NULL);
  g_autoptr(Reply) wrong = send_full (env, FALSE, "GET", "/me", NULL, "Authorization", bearer, NULL);

  g_assert_cmpuint (none->status, ==, 401);
  g_assert_cmpstr (error_code (none), ==, "InvalidAuthenticationToken");
  g_assert_cmpuint (wrong->status, ==, 401);
  g_assert_cmpstr (error_code (wrong), ==, "InvalidAuthenticationToken");
}

/* ---- folders ---- */

static void
test_folder_filter_quote (void)
{
  g_autoptr(Env) env = env_new (0);
  g_autofree char *id = make_folder (env, "O'Brien's");
  g_autofree char *other = make_folder (env, "Obrien");
  g_autoptr(Reply) found = call (env, "GET", "/me/contactFolders?$filter=displayName%20eq%20'O''Brien''s'", NULL);
  g_autoptr(Reply) none = call (env, "GET", "/me/contactFolders?$filter=displayName%20eq%20'O''Brien'", NULL);
  g_autoptr(Reply) bad = call (env, "GET", "/me/contactFolders?$filter=displayName%20eq%20'unterminated", NULL);
  JsonArray *value;

  g_assert_cmpuint (found->status, ==, 200);
  value = json_object_get_array_member (reply_object (found), "value");
  g_assert_cmpuint (json_array_get_length (value), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (value, 0), "id"), ==, id);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (value, 0), "displayName"),
                   ==, "O'Brien's");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (reply_object (none), "value")), ==, 0);
  g_assert_cmpuint (bad->status, ==, 400);
}

static void
test_folder_create_duplicate (void)
{
  g_autoptr(Env) env = env_new (0);
  g_autofree char *id = make_folder (env, "Business Central");
  g_autoptr(Reply) again = call (env, "POST", "/me/contactFolders", "{\"displayName\": \"business central\"}");
  g_autoptr(Reply) empty = call (env, "POST", "/me/contactFolders", "{}");
  g_autoptr(Reply) list = call (env, "GET", "/me/contactFolders", NULL);
  g_autofree char *path = g_strdup_printf ("/me/contactFolders/%s", id);
  g_autoptr(Reply) get = call (env, "GET", path, NULL);

  g_assert_cmpuint (again->status, ==, 409);
  g_assert_cmpstr (error_code (again), ==, "ErrorFolderExists");
  g_assert_cmpuint (empty->status, ==, 400);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (reply_object (list), "value")), ==, 1);
  g_assert_cmpuint (get->status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (reply_object (get), "displayName"), ==, "Business Central");
}

static void
test_folder_well_known (void)
{
  g_autoptr(Env) env = env_new (0);
  g_autoptr(Reply) alias = call (env, "GET", "/me/contactFolders/contacts", NULL);
  const char *id = json_object_get_string_member (reply_object (alias), "id");
  g_autofree char *path = g_strdup_printf ("/me/contactFolders/%s", id);
  g_autoptr(Reply) by_id = call (env, "GET", path, NULL);
  g_autoptr(Reply) unknown = call (env, "GET", "/me/contactFolders/AAMkNOPE=", NULL);
  g_autoptr(JsonObject) created = create_contact (env, "contacts", "{\"givenName\": \"Default\"}");
  g_autoptr(Reply) me_contacts = call (env, "GET", "/me/contacts", NULL);

  g_assert_cmpuint (alias->status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (reply_object (alias), "displayName"), ==, "Contacts");
  g_assert_cmpstr (id, !=, "contacts");
  g_assert_cmpuint (by_id->status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (reply_object (by_id), "id"), ==, id);
  g_assert_cmpuint (unknown->status, ==, 404);
  g_assert_cmpstr (error_code (unknown), ==, "ErrorItemNotFound");
  g_assert_cmpstr (json_object_get_string_member (created, "parentFolderId"), ==, id);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (reply_object (me_contacts), "value")), ==, 1);
}

static void
test_folder_children (void)
{
  g_autoptr(Env) env = env_new (0);
  g_autofree char *parent = make_folder (env, "Parent");
  g_autofree char *path = g_strdup_printf ("/me/contactFolders/%s/childFolders", parent);
  g_autoptr(Reply) created = call (env, "POST", path, "{\"displayName\": \"Child\"}");
  g_autoptr(Reply) duplicate = call (env, "POST", path, "{\"displayName\": \"Child\"}");
  g_autoptr(Reply) list = call (env, "GET", path, NULL);
  g_autoptr(Reply) top = call (env, "GET", "/me/contactFolders", NULL);
  const char *child = json_object_get_string_member (reply_object (created), "id");
  g_autofree char *child_path = g_strdup_printf ("%s/%s", path, child);
  g_autoptr(Reply) get = call (env, "GET", child_path, NULL);
  JsonArray *value;

  g_assert_cmpuint (created->status, ==, 201);
  g_assert_cmpstr (json_object_get_string_member (reply_object (created), "parentFolderId"), ==, parent);
  g_assert_cmpuint (duplicate->status, ==, 409);
  value = json_object_get_array_member (reply_object (list), "value");
  g_assert_cmpuint (json_array_get_length (value), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (value, 0), "id"), ==, child);
  /* a child folder is not among the default folder's children */
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (reply_object (top), "value")), ==, 1);
  g_assert_cmpuint (get->status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (reply_object (get), "displayName"), ==, "Child");
}

static void
test_folder_paging (void)
{
  g_autoptr(Env) env = env_new (0);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *url = g_strdup ("/me/contactFolders");
  guint pages = 0;

  for (guint i = 0; i < 12; i++)
    {
      g_autofree char *name = g_strdup_printf ("Folder %u", i);
      g_autofree char *id = make_folder (env, name);
    }
  while (url != NULL)
    {
      g_autoptr(Reply) reply = call (env, "GET", url, NULL);
      JsonArray *value = json_object_get_array_member (reply_object (reply), "value");

      g_assert_cmpuint (reply->status, ==, 200);
      g_assert_cmpuint (json_array_get_length (value), <=, 10);
      for (guint i = 0; i < json_array_get_length (value); i++)
        g_hash_table_add (seen, g_strdup (json_object_get_string_member (json_array_get_object_element (value, i), "id")));
      g_free (url);
      url = g_strdup (json_object_get_string_member_with_default (reply_object (reply), "@odata.nextLink", NULL));
      pages++;
    }
  g_assert_cmpuint (pages, ==, 2);
  g_assert_cmpuint (g_hash_table_size (seen), ==, 12);
}

/* ---- contacts ---- */

static const char * const string_props[] = {
  "displayName", "givenName", "middleName", "surname", "initials", "nickName", "title",
  "generation", "fileAs", "jobTitle", "companyName", "department", "officeLocation",
  "profession", "businessHomePage", "assistantName", "manager", "spouseName", "personalNotes",
  "yomiGivenName", "yomiSurname", "yomiCompanyName", "changeKey", "parentFolderId", "id",
  "mobilePhone", "birthday", NULL
};
static const char * const array_props[] = {
  "businessPhones", "homePhones", "categories", "children", "imAddresses", "emailAddresses", NULL
};
static const char * const address_props[] = {
  "businessAddress", "homeAddress", "otherAddress", NULL
};

static void
test_contact_crud_shapes (void)
{
  g_autoptr(Env) env = env_new (0);
  g_autofree char *folder = make_folder (env, "Shapes");
  g_autofree char *other = make_folder (env, "Other");
  g_autoptr(JsonObject) created = create_contact (env, folder,
    "{\"givenName\": \"Zoë\", \"surname\": \"Łukasiewicz\", \"categories\": [\"Business Central\"],"
    " \"businessAddress\": {\"city\": \"Kraków\", \"countryOrRegion\": \"Poland\"}}");
  const char *id = json_object_get_string_member (created, "id");
  g_autofree char *path = contact_path (folder, id);
  g_autofree char *wrong_folder = contact_path (other, id);
  g_autofree char *me_path = g_strdup_printf ("/me/contacts/%s", id);
  g_autofree char *etag = NULL;
  JsonObject *address;

  for (guint i = 0; string_props[i] != NULL; i++)
    g_assert_true (json_object_has_member (created, string_props[i]));
  for (guint i = 0; array_props[i] != NULL; i++)
    g_assert_true (JSON_NODE_HOLDS_ARRAY (json_object_get_member (created, array_props[i])));
  for (guint i = 0; address_props[i] != NULL; i++)
    g_assert_true (JSON_NODE_HOLDS_OBJECT (json_object_get_member (created, address_props[i])));
  g_assert_true (json_object_get_null_member (created, "middleName"));
  g_assert_true (json_object_get_null_member (created, "birthday"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (created, "homePhones")), ==, 0);
  g_assert_cmpuint (json_object_get_size (json_object_get_object_member (created, "homeAddress")), ==, 0);
  address = json_object_get_object_member (created, "businessAddress");
  g_assert_cmpstr (json_object_get_string_member (address, "city"), ==, "Kraków");
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (created, "categories"), 0),
                   ==, "Business Central");
  g_assert_cmpstr (json_object_get_string_member (created, "parentFolderId"), ==, folder);
  g_assert_nonnull (json_object_get_string_member (created, "createdDateTime"));
  g_assert_nonnull (json_object_get_string_member (created, "lastModifiedDateTime"));
  etag = g_strdup_printf ("W/\"%s\"", json_object_get_string_member (created, "changeKey"));
  g_assert_cmpstr (json_object_get_string_member (created, "@odata.etag"), ==, etag);
  /* no extended properties unless expanded */
  g_assert_false (json_object_has_member (created, "singleValueExtendedProperties"));

  {
    g_autoptr(Reply) get = call (env, "GET", path, NULL);
    g_autoptr(Reply) via_me = call (env, "GET", me_path, NULL);
    g_autoptr(Reply) elsewhere = call (env, "GET", wrong_folder, NULL);

    g_assert_cmpuint (get->status, ==, 200);
    g_assert_cmpstr (json_object_get_string_member (reply_object (get), "surname"), ==, "Łukasiewicz");
    g_assert_cmpuint (via_me->status, ==, 200);
    g_assert_cmpuint (elsewhere->status, ==, 404);
    g_assert_cmpstr (error_code (elsewhere), ==, "ErrorItemNotFound");
  }
  {
    g_autoptr(Reply) patch = call (env, "PATCH", path,
                                   "{\"displayName\": \"Zoë Ł.\", \"jobTitle\": \"Buyer\", \"businessAddress\": null}");
    g_autoptr(Reply) unknown = call (env, "PATCH", path, "{\"colour\": \"red\"}");
    g_autoptr(Reply) wrong_type = call (env, "PATCH", path, "{\"jobTitle\": 5}");

    g_assert_cmpuint (patch->status, ==, 200);
    g_assert_cmpstr (json_object_get_string_member (reply_object (patch), "jobTitle"), ==, "Buyer");
    g_assert_cmpstr (json_object_get_string_member (reply_object (patch), "givenName"), ==, "Zoë");
    g_assert_cmpuint (json_object_get_size (json_object_get_object_member (reply_object (patch), "businessAddress")), ==, 0);
    g_assert_cmpuint (unknown->status, ==, 400);
    g_assert_cmpuint (wrong_type->status, ==, 400);
  }
  {
    g_autoptr(Reply) del = call (env, "DELETE", path, NULL);
    g_autoptr(Reply) again = call (env, "GET", path, NULL);
    g_autoptr(Reply) del_again = call (env, "DELETE", path, NULL);
    g_autoptr(Reply) patch_gone = call (env, "PATCH", me_path, "{}");

    g_assert_cmpuint (del->status, ==, 204);
    g_assert_null (del->json);
    g_assert_cmpuint (again->status, ==, 404);
    g_assert_cmpstr (error_code (again), ==, "ErrorItemNotFound");
    g_assert_cmpuint (del_again->status, ==, 404);
    g_assert_cmpuint (patch_gone->status, ==, 404);
  }
}

static void
test_contact_change_key (void)
{
  g_autoptr(Env) env = env_new (0);
  g_autofree char *folder = make_folder (env, "Keys");
  g_autoptr(JsonObject) created = create_contact (env, folder, "{\"givenName\": \"Ann\"}");
  const char *id = json_object_get_string_member (created, "id");
  g_autofree char *path = contact_path (folder, id);
  g_autofree char *control_path = g_strdup_printf ("/_sandbox/outlook/contacts/%s", id);
  g_autoptr(GHashTable) keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *modified = g_strdup (json_object_get_string_member (created, "lastModifiedDateTime"));

  g_hash_table_add (keys, g_strdup (json_object_get_string_member (created, "changeKey")));
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(Reply) patch = call (env, "PATCH", path, "{\"jobTitle\": \"Same\"}");
      JsonObject *object = reply_object (patch);
      g_autofree char *etag = g_strdup_printf ("W/\"%s\"", json_object_get_string_member (object, "changeKey"));

      g_assert_cmpuint (patch->status, ==, 200);
      /* even a write that changes nothing renews the changeKey */
      g_assert_true (g_hash_table_add (keys, g_strdup (json_object_get_string_member (object, "changeKey"))));
      g_assert_cmpstr (json_object_get_string_member (object, "@odata.etag"), ==, etag);
      g_assert_cmpstr (json_object_get_string_member (object, "lastModifiedDateTime"), >=, modified);
      g_free (modified);
      modified = g_strdup (json_object_get_string_member (object, "lastModifiedDateTime"));
    }
  {
    g_autoptr(JsonNode) edited = NULL;
    g_autoptr(Reply) get = NULL;

    g_assert_cmpuint (control (env, "PATCH", control_path, "{\"jobTitle\": \"By Outlook\"}", &edited), ==, 200);
    get = call (env, "GET", path, NULL);
    g_assert_cmpstr (json_object_get_string_member (reply_object (get), "jobTitle"), ==, "By Outlook");
    g_assert_true (g_hash_table_add (keys, g_strdup (json_object_get_string_member (reply_object (get), "changeKey"))));
  }
  g_assert_cmpuint (g_hash_table_size (keys), ==, 5);
}

static void
test_contact_limits (void)
{
  g_autoptr(Env) env = env_new (0);
  g_autofree char *folder = make_folder (env, "Limits");
  g_autofree char *list = g_strdup_printf ("/me/contactFolders/%s/contacts", folder);
  g_autoptr(Reply) four = call (env, "POST", list,
    "{\"emailAddresses\": [{\"address\": \"a@x.example\"}, {\"address\": \"b@x.example\"},"
    " {\"address\": \"c@x.example\"}, {\"address\": \"d@x.example\"}]}");
  g_autoptr(Reply) three_phones = call (env, "POST", list, "{\"businessPhones\": [\"1\", \"2\", \"3\"]}");
  g_autoptr(JsonObject) ok = create_contact (env, folder,
    "{\"emailAddresses\": [{\"address\": \"a@x.example\"}, {\"address\": \"b@x.example\", \"name\": \"B\"},"
    " {\"address\": \"c@x.example\"}], \"businessPhones\": [\"1\", \"2\"]}");
  g_autofree char *path = contact_path (folder, json_object_get_string_member (ok, "id"));
  g_autoptr(Reply) patch_four = call (env, "PATCH", path,
    "{\"emailAddresses\": [{\"address\": \"a@x.example\"}, {\"address\": \"b@x.example\"},"
    " {\"address\": \"c@x.example\"}, {\"address\": \"d@x.example\"}]}");
  g_autoptr(Reply) after = call (env, "GET", path, NULL);
  g_autoptr(Reply) listed = call (env, "GET", list, NULL);
  JsonArray *emails = json_object_get_array_member (ok, "emailAddresses");

  g_assert_cmpuint (four->status, ==, 400);
  g_assert_cmpstr (error_code (four), ==, "ErrorInvalidArgument");
  g_assert_cmpuint (three_phones->status, ==, 400);
  g_assert_cmpuint (json_array_get_length (emails), ==, 3);
  /* Exchange fills in a missing name with the address */
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (emails, 0), "name"), ==, "a@x.example");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (emails, 1), "name"), ==, "B");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (ok, "businessPhones")), ==, 2);
  g_assert_cmpuint (patch_four->status, ==, 400);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (reply_object (after), "emailAddresses")), ==, 3);
  /* the rejected ones were not stored */
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (reply_object (listed), "value")), ==, 1);
}

static void
test_contact_display_name (void)
{
  g_autoptr(Env) env = env_new (0);
  g_autofree char *folder = make_folder (env, "Names");
  g_autoptr(JsonObject) made = create_contact (env, folder, "{\"givenName\": \"Anna\", \"surname\": \"Berg\"}");
  g_autofree char *path = contact_path (folder, json_object_get_string_member (made, "id"));

  g_assert_cmpstr (json_object_get_string_member (made, "displayName"), ==, "Anna Berg");
  {
    g_autoptr(Reply) kept = call (env, "PATCH", path, "{\"displayName\": \"Dr. Anna Berg\"}");
    g_assert_cmpstr (json_object_get_string_member (reply_object (kept), "displayName"), ==, "Dr. Anna Berg");
  }
  {
    /* a name change without displayName regenerates it */
    g_autoptr(Reply) regenerated = call (env, "PATCH", path, "{\"surname\": \"Lund\"}");
    g_assert_cmpstr (json_object_get_string_member (reply_object (regenerated), "displayName"), ==, "Anna Lund");
  }
  {
    g_autoptr(Reply) both = call (env, "PATCH", path, "{\"givenName\": \"Ann\", \"displayName\": \"Mrs Lund\"}");
    g_assert_cmpstr (json_object_get_string_member (reply_object (both), "displayName"), ==, "Mrs Lund");
  }
  {
    g_autoptr(Reply) other = call (env, "PATCH", path, "{\"jobTitle\": \"CEO\"}");
    g_assert_cmpstr (json_object_get_string_member (reply_object (other), "displayName"), ==, "Mrs Lund");
  }
}

static void
test_contact_if_match (void)
{
  g_autoptr(Env) env = env_new (0);
  g_autofree char *folder = make_folder (env, "Match");
  g_autoptr(JsonObject) made = create_contact (env, folder, "{\"givenName\": \"Ida\"}");
  g_autofree char *path = contact_path (folder, json_object_get_string_member (made, "id"));
  g_autofree char *stale = g_strdup (json_object_get_string_member (made, "@odata.etag"));
  g_autofree char *current = NULL;

  {
    g_autoptr(Reply) first = send_full (env, TRUE, "PATCH", path, "{\"jobTitle\": \"A\"}", "If-Match", stale, NULL);
    g_assert_cmpuint (first->status, ==, 200);
    current = g_strdup (json_object_get_string_member (reply_object (first), "@odata.etag"));
  }
  {
    g_autoptr(Reply) conflict = send_full (env, TRUE, "PATCH", path, "{\"jobTitle\": \"B\"}", "If-Match", stale, NULL);
    g_autoptr(Reply) get = call (env, "GET", path, NULL);

    g_assert_cmpuint (conflict->status, ==, 412);
    g_assert_cmpstr (error_code (conflict), ==, "ErrorIrresolvableConflict");
    g_assert_cmpstr (json_object_get_string_member (reply_object (get), "jobTitle"), ==, "A");
  }
  {
    g_autoptr(Reply) del_stale = send_full (env, TRUE, "DELETE", path, NULL, "If-Match", stale, NULL);
    g_autoptr(Reply) star = send_full (env, TRUE, "PATCH", path, "{\"jobTitle\": \"C\"}", "If-Match", "*", NULL);
    g_autoptr(Reply) del_old = send_full (env, TRUE, "DELETE", path, NULL, "If-Match", current, NULL);
    const char *now = json_object_get_string_member (reply_object (star), "@odata.etag");
    g_autoptr(Reply) del = send_full (env, TRUE, "DELETE", path, NULL, "If-Match", now, NULL);

    g_assert_cmpuint (del_stale->status, ==, 412);
    g_assert_cmpuint (star->status, ==, 200);
    g_assert_cmpuint (del_old->status, ==, 412);
    g_assert_cmpuint (del->status, ==, 204);
  }
}

static void
test_contact_change_etag_fault (void)
{
  g_autoptr(Env) env = env_new (0);
  g_autofree char *folder = make_folder (env, "Fault");
  g_autoptr(JsonObject) made = create_contact (env, folder, "{\"givenName\": \"Eve\"}");
  const char *id = json_object_get_string_member (made, "id");
  g_autofree char *path = contact_path (folder, id);
  g_autofree char *rule = g_strdup_printf ("{\"rules\": [{\"service\": \"graph\", \"path\": \"%s\","
                                           " \"kind\": \"change-etag\", \"count\": 1}]}", id);
  const char *etag = json_object_get_string_member (made, "@odata.etag");

  g_assert_cmpuint (control (env, "POST", "/_sandbox/faults", rule, NULL), ==, 200);
  {
    /* someone else changed the contact just before this write */
    g_autoptr(Reply) patch = send_full (env, TRUE, "PATCH", path, "{\"jobTitle\": \"X\"}", "If-Match", etag, NULL);
    g_autoptr(Reply) get = call (env, "GET", path, NULL);

    g_assert_cmpuint (patch->status, ==, 412);
    g_assert_cmpstr (json_object_get_string_member (reply_object (get), "@odata.etag"), !=, etag);
  }
}

/* Follows nextLinks from URL; returns every item; PAGES gets the page count */
static GPtrArray *
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

static void
test_contact_paging (void)
{
  g_autoptr(Env) env = env_new (25);
  g_autofree char *folder = seeded_folder (env);
  g_autofree char *list = g_strdup_printf ("/me/contactFolders/%s/contacts", folder);
  g_autofree char *top7 = g_strdup_printf ("%s?$top=7", list);
  g_autofree char *top1000 = g_strdup_printf ("%s?$top=1000", list);
  g_autofree char *top1001 = g_strdup_printf ("%s?$top=1001", list);
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) by7 = NULL;
  guint pages;

  all = collect_all (env, list, &pages);
  g_assert_cmpuint (all->len, ==, 25);
  g_assert_cmpuint (pages, ==, 3);              /* the default page size is 10 */
  for (guint i = 0; i < all->len; i++)
    g_hash_table_add (ids, (gpointer) json_object_get_string_member (g_ptr_array_index (all, i), "id"));
  g_assert_cmpuint (g_hash_table_size (ids), ==, 25);

  by7 = collect_all (env, top7, &pages);
  g_assert_cmpuint (by7->len, ==, 25);
  g_assert_cmpuint (pages, ==, 4);
  {
    g_autoptr(Reply) big = call (env, "GET", top1000, NULL);
    g_autoptr(Reply) too_big = call (env, "GET", top1001, NULL);

    g_assert_cmpuint (big->status, ==, 200);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (reply_object (big), "value")), ==, 25);
    g_assert_false (json_object_has_member (reply_object (big), "@odata.nextLink"));
    g_assert_cmpuint (too_big->status, ==, 400);
  }
}

static void
test_contact_select (void)
{
  g_autoptr(Env) env = env_new (3);
  g_autofree char *folder = seeded_folder (env);
  g_autofree char *url = g_strdup_printf ("/me/contactFolders/%s/contacts?$select=displayName,emailAddresses", folder);
  g_autofree char *bad = g_strdup_printf ("/me/contactFolders/%s/contacts?$select=displayName,colour", folder);
  g_autoptr(Reply) reply = call (env, "GET", url, NULL);
  g_autoptr(Reply) bad_reply = call (env, "GET", bad, NULL);
  JsonArray *value = json_object_get_array_member (reply_object (reply), "value");

  g_assert_cmpuint (json_array_get_length (value), ==, 3);
  for (guint i = 0; i < json_array_get_length (value); i++)
    {
      JsonObject *item = json_array_get_object_element (value, i);

      g_assert_cmpuint (json_object_get_size (item), ==, 4);
      g_assert_true (json_object_has_member (item, "id"));
      g_assert_true (json_object_has_member (item, "@odata.etag"));
      g_assert_true (json_object_has_member (item, "displayName"));
      g_assert_true (json_object_has_member (item, "emailAddresses"));
    }
  g_assert_cmpuint (bad_reply->status, ==, 400);
}

static void
test_contact_filter_email (void)
{
  g_autoptr(Env) env = env_new (0);
  g_autofree char *folder = make_folder (env, "Mail");
  g_autoptr(JsonObject) a = create_contact (env, folder,
    "{\"givenName\": \"A\", \"emailAddresses\": [{\"address\": \"first@x.example\"}, {\"address\": \"Anna.Berg@Example.com\"}]}");
  g_autoptr(JsonObject) b = create_contact (env, folder,
    "{\"givenName\": \"B\", \"emailAddresses\": [{\"address\": \"bert@example.com\"}]}");
  g_autofree char *url = g_strdup_printf ("/me/contactFolders/%s/contacts?$filter=%s", folder,
                                          "emailAddresses/any(a:a/address%20eq%20'anna.berg@example.com')");
  g_autofree char *none_url = g_strdup_printf ("/me/contactFolders/%s/contacts?$filter=%s", folder,
                                               "emailAddresses/any(a:a/address%20eq%20'anna@example.com')");
  g_autoptr(Reply) reply = call (env, "GET", url, NULL);
  g_autoptr(Reply) none = call (env, "GET", none_url, NULL);
  JsonArray *value = json_object_get_array_member (reply_object (reply), "value");

  g_assert_cmpuint (reply->status, ==, 200);
  g_assert_cmpuint (json_array_get_length (value), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (value, 0), "id"), ==,
                   json_object_get_string_member (a, "id"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (reply_object (none), "value")), ==, 0);
}

/* Text with quotes, backslashes, line breaks and control characters survives
 * both ways of writing JSON (pages as text, single items as nodes) */
static void
test_contact_escaping (void)
{
  g_autoptr(Env) env = env_new (0);
  g_autofree char *folder = make_folder (env, "Escapes");
  static const char notes[] = "He said \\\"hi\\\"\\\\ then\\nleft\\t\\u0001 — ünïcödé ✓";
  g_autofree char *body = g_strdup_printf ("{\"givenName\": \"Q\", \"personalNotes\": \"%s\","
                                           " \"businessAddress\": {\"street\": \"Line 1\\nLine \\\"2\\\"\"}}", notes);
  g_autoptr(JsonObject) made = create_contact (env, folder, body);
  g_autofree char *list = g_strdup_printf ("/me/contactFolders/%s/contacts", folder);
  g_autoptr(Reply) listed = call (env, "GET", list, NULL);
  g_autoptr(JsonNode) expected = parse (body);
  JsonObject *item;

  g_assert_cmpuint (listed->status, ==, 200);
  item = json_array_get_object_element (json_object_get_array_member (reply_object (listed), "value"), 0);
  g_assert_cmpstr (json_object_get_string_member (item, "personalNotes"), ==,
                   json_object_get_string_member (json_node_get_object (expected), "personalNotes"));
  g_assert_cmpstr (json_object_get_string_member (made, "personalNotes"), ==,
                   json_object_get_string_member (json_node_get_object (expected), "personalNotes"));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (item, "businessAddress"), "street"),
                   ==, "Line 1\nLine \"2\"");
}

/* A filter's nextLink carries the filter, escaped, and following it verbatim works */
static void
test_contact_filter_paging (void)
{
  g_autoptr(Env) env = env_new (0);
  g_autofree char *folder = make_folder (env, "Same Mail");
  g_autofree char *url = g_strdup_printf ("/me/contactFolders/%s/contacts?$top=1&$filter=%s", folder,
                                          "emailAddresses/any(a:a/address%20eq%20'o''neil%2Bteam@example.com')");
  g_autoptr(GPtrArray) all = NULL;
  guint pages;

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(JsonObject) made = create_contact (env, folder,
        "{\"givenName\": \"Same\", \"emailAddresses\": [{\"address\": \"O'Neil+Team@example.com\"}]}");
    }
  {
    g_autoptr(JsonObject) other = create_contact (env, folder,
      "{\"givenName\": \"Other\", \"emailAddresses\": [{\"address\": \"oneil@example.com\"}]}");
  }
  all = collect_all (env, url, &pages);
  g_assert_cmpuint (all->len, ==, 3);
  g_assert_cmpuint (pages, ==, 3);
}

#define EXT_ID "String {7E2C3A41-5B8D-4C2E-9F10-0A7B6C5D4E3F} Name bcContactId"

static char *
find_by_ext (const char *folder,
             const char *escaped_id,
             const char *value)
{
  return g_strdup_printf ("/me/contactFolders/%s/contacts?$filter="
                          "singleValueExtendedProperties/Any(ep:%%20ep/id%%20eq%%20'%s'"
                          "%%20and%%20ep/value%%20eq%%20'%s')", folder, escaped_id, value);
}

static void
test_contact_extended (void)
{
  g_autoptr(Env) env = env_new (0);
  g_autofree char *folder = make_folder (env, "Ext");
  g_autoptr(JsonObject) made = create_contact (env, folder,
    "{\"givenName\": \"X\", \"singleValueExtendedProperties\": [{\"id\": \"" EXT_ID "\", \"value\": \"bc-1\"}]}");
  g_autoptr(JsonObject) other = create_contact (env, folder, "{\"givenName\": \"Y\"}");
  const char *id = json_object_get_string_member (made, "id");
  g_autofree char *path = contact_path (folder, id);
  g_autofree char *lower_id = g_ascii_strdown (EXT_ID, -1);
  g_autofree char *escaped_id = g_uri_escape_string (lower_id, NULL, FALSE);
  g_autofree char *expand = g_strdup_printf ("%s?$expand=singleValueExtendedProperties($filter=id%%20eq%%20'%s')",
                                             path, escaped_id);
  g_autofree char *find1 = find_by_ext (folder, escaped_id, "bc-1");
  g_autofree char *find2 = find_by_ext (folder, escaped_id, "bc-2");

  {
    g_autoptr(Reply) plain = call (env, "GET", path, NULL);
    g_autoptr(Reply) expanded = call (env, "GET", expand, NULL);
    JsonArray *ext;

    g_assert_false (json_object_has_member (reply_object (plain), "singleValueExtendedProperties"));
    g_assert_cmpuint (expanded->status, ==, 200);
    ext = json_object_get_array_member (reply_object (expanded), "singleValueExtendedProperties");
    g_assert_cmpuint (json_array_get_length (ext), ==, 1);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (ext, 0), "value"), ==, "bc-1");
  }
  {
    g_autoptr(Reply) found = call (env, "GET", find1, NULL);
    JsonArray *value = json_object_get_array_member (reply_object (found), "value");

    g_assert_cmpuint (found->status, ==, 200);
    g_assert_cmpuint (json_array_get_length (value), ==, 1);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (value, 0), "id"), ==, id);
  }
  {
    /* PATCH upserts by id */
    g_autoptr(Reply) patch = call (env, "PATCH", path,
      "{\"singleValueExtendedProperties\": [{\"id\": \"" EXT_ID "\", \"value\": \"bc-2\"},"
      " {\"id\": \"String {00020329-0000-0000-C000-000000000046} Name other\", \"value\": \"o\"}]}");
    g_autoptr(Reply) old_value = call (env, "GET", find1, NULL);
    g_autoptr(Reply) new_value = call (env, "GET", find2, NULL);
    g_autoptr(Reply) expanded = call (env, "GET", expand, NULL);
    g_autofree char *all_url = g_strdup_printf ("%s?$expand=singleValueExtendedProperties", path);
    g_autoptr(Reply) all = call (env, "GET", all_url, NULL);

    g_assert_cmpuint (patch->status, ==, 200);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (reply_object (old_value), "value")), ==, 0);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (reply_object (new_value), "value")), ==, 1);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (reply_object (expanded),
                                                                          "singleValueExtendedProperties")), ==, 1);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (reply_object (all),
                                                                          "singleValueExtendedProperties")), ==, 2);
  }
  (void) other;
}

/* ---- delta ---- */

typedef struct {
  GHashTable *items;            /* id → JsonObject (live) */
  GHashTable *removed;          /* id set */
  guint pages;
  guint empty_pages;
  guint repeats;
  char *delta_link;
} Round;

static void
round_clear (Round *round)
{
  g_clear_pointer (&round->items, g_hash_table_unref);
  g_clear_pointer (&round->removed, g_hash_table_unref);
  g_clear_pointer (&round->delta_link, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Round, round_clear)

/* Runs one delta round from URL the way a careful client does: follow nextLinks
 * verbatim, dedup by id (the last state wins) */
static void
run_round (Env        *env,
           const char *url,
           const char *prefer,
           Round      *round)
{
  g_autofree char *next = g_strdup (url);

  round->items = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) json_object_unref);
  round->removed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  while (next != NULL)
    {
      g_autoptr(Reply) reply = send_full (env, TRUE, "GET", next, NULL, "Prefer", prefer, NULL);
      JsonObject *object = reply_object (reply);
      JsonArray *value;
      g_autoptr(GHashTable) on_page = g_hash_table_new (g_str_hash, g_str_equal);

      g_assert_cmpuint (reply->status, ==, 200);
      value = json_object_get_array_member (object, "value");
      round->pages++;
      if (json_array_get_length (value) == 0)
        round->empty_pages++;
      for (guint i = 0; i < json_array_get_length (value); i++)
        {
          JsonObject *item = json_array_get_object_element (value, i);
          const char *id = json_object_get_string_member (item, "id");

          if (g_hash_table_contains (round->items, id) || g_hash_table_contains (round->removed, id))
            round->repeats++;
          g_hash_table_add (on_page, (gpointer) id);
          if (json_object_has_member (item, "@removed"))
            {
              g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (item, "@removed"),
                                                              "reason"), ==, "deleted");
              g_hash_table_remove (round->items, id);
              g_hash_table_add (round->removed, g_strdup (id));
            }
          else
            {
              g_hash_table_remove (round->removed, id);
              g_hash_table_replace (round->items, g_strdup (id), json_object_ref (item));
            }
        }
      g_free (next);
      next = g_strdup (json_object_get_string_member_with_default (object, "@odata.nextLink", NULL));
      if (next != NULL)
        {
          g_assert_nonnull (strstr (next, "/delta?$skiptoken="));
          g_assert_false (json_object_has_member (object, "@odata.deltaLink"));
        }
      else
        {
          round->delta_link = g_strdup (json_object_get_string_member (object, "@odata.deltaLink"));
          g_assert_nonnull (strstr (round->delta_link, "/delta?$deltatoken="));
        }
      g_assert_cmpuint (round->pages, <, 1000);
    }
}

static void
test_delta_rounds (void)
{
  g_autoptr(Env) env = env_new (30);
  g_autofree char *folder = seeded_folder (env);
  g_autofree char *url = g_strdup_printf ("/me/contactFolders/%s/contacts/delta?$select=displayName,emailAddresses", folder);
  g_auto(Round) first = { 0 };
  g_auto(Round) second = { 0 };
  g_auto(Round) third = { 0 };
  g_autoptr(JsonNode) made = NULL;
  g_autofree char *changed_id = NULL;
  g_autofree char *deleted_id = NULL;
  g_autofree char *control_create = g_strdup ("/_sandbox/outlook/contacts?folder=Business%20Central");
  GHashTableIter iter;
  gpointer key, value;

  run_round (env, url, "odata.maxpagesize=10", &first);
  g_assert_cmpuint (g_hash_table_size (first.items), ==, 30);
  g_assert_cmpuint (g_hash_table_size (first.removed), ==, 0);
  g_assert_cmpuint (first.pages, >=, 3);
  g_assert_cmpuint (first.repeats, ==, 0);
  g_hash_table_iter_init (&iter, first.items);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      g_assert_false (json_object_has_member (value, "surname"));       /* $select kept on every page */
      g_assert_true (json_object_has_member (value, "displayName"));
      if (changed_id == NULL)
        changed_id = g_strdup (key);
      else if (deleted_id == NULL)
        deleted_id = g_strdup (key);
    }

  {
    g_autofree char *patch = g_strdup_printf ("/_sandbox/outlook/contacts/%s", changed_id);
    g_autofree char *del = g_strdup_printf ("/_sandbox/outlook/contacts/%s", deleted_id);

    g_assert_cmpuint (control (env, "POST", control_create, "{\"givenName\": \"New\", \"surname\": \"Person\"}", &made), ==, 201);
    g_assert_cmpuint (control (env, "PATCH", patch, "{\"displayName\": \"Changed Name\"}", NULL), ==, 200);
    g_assert_cmpuint (control (env, "DELETE", del, NULL, NULL), ==, 204);
  }

  run_round (env, first.delta_link, "odata.maxpagesize=10", &second);
  g_assert_cmpuint (g_hash_table_size (second.items), ==, 2);
  g_assert_true (g_hash_table_contains (second.items,
                                        json_object_get_string_member (json_node_get_object (made), "id")));
  g_assert_cmpstr (json_object_get_string_member (g_hash_table_lookup (second.items, changed_id), "displayName"),
                   ==, "Changed Name");
  g_assert_false (json_object_has_member (g_hash_table_lookup (second.items, changed_id), "surname"));
  g_assert_cmpuint (g_hash_table_size (second.removed), ==, 1);
  g_assert_true (g_hash_table_contains (second.removed, deleted_id));

  run_round (env, second.delta_link, NULL, &third);
  g_assert_cmpuint (g_hash_table_size (third.items), ==, 0);
  g_assert_cmpuint (g_hash_table_size (third.removed), ==, 0);
}

static void
test_delta_moved_out (void)
{
  g_autoptr(Env) env = env_new (5);
  g_autofree char *folder = seeded_folder (env);
  g_autofree char *url = g_strdup_printf ("/me/contactFolders/%s/contacts/delta", folder);
  g_auto(Round) first = { 0 };
  g_auto(Round) second = { 0 };
  GHashTableIter iter;
  gpointer key;
  g_autofree char *move = NULL;

  run_round (env, url, NULL, &first);
  g_hash_table_iter_init (&iter, first.items);
  g_assert_true (g_hash_table_iter_next (&iter, &key, NULL));
  move = g_strdup_printf ("/_sandbox/outlook/contacts/%s?folder=Elsewhere", (char *) key);
  g_assert_cmpuint (control (env, "PATCH", move, "{}", NULL), ==, 200);
  run_round (env, first.delta_link, NULL, &second);
  g_assert_cmpuint (g_hash_table_size (second.items), ==, 0);
  g_assert_true (g_hash_table_contains (second.removed, key));
}

static void
test_delta_gone (void)
{
  g_autoptr(Env) env = env_new (3);
  g_autofree char *folder = seeded_folder (env);
  g_autofree char *url = g_strdup_printf ("/me/contactFolders/%s/contacts/delta", folder);
  g_autofree char *bogus = g_strdup_printf ("%s?$deltatoken=AAAAnotAtoken.7", url);
  g_autofree char *bogus_skip = g_strdup_printf ("%s?$skiptoken=nope", url);
  g_auto(Round) first = { 0 };

  {
    g_autoptr(Reply) unknown = call (env, "GET", bogus, NULL);
    g_autoptr(Reply) unknown_skip = call (env, "GET", bogus_skip, NULL);

    g_assert_cmpuint (unknown->status, ==, 410);
    g_assert_cmpstr (error_code (unknown), ==, "SyncStateNotFound");
    g_assert_cmpuint (unknown_skip->status, ==, 410);
  }

  run_round (env, url, NULL, &first);
  {
    g_autoptr(Reply) ok = call (env, "GET", first.delta_link, NULL);
    g_assert_cmpuint (ok->status, ==, 200);
  }
  g_assert_cmpuint (control (env, "POST", "/_sandbox/faults",
                             "{\"rules\": [{\"service\": \"graph\", \"path\": \"deltatoken\","
                             " \"kind\": \"expire-delta\", \"count\": 1}]}", NULL), ==, 200);
  {
    g_autoptr(Reply) expired = call (env, "GET", first.delta_link, NULL);
    g_autoptr(Reply) still = call (env, "GET", first.delta_link, NULL);

    g_assert_cmpuint (expired->status, ==, 410);
    g_assert_cmpstr (error_code (expired), ==, "SyncStateNotFound");
    /* gone for good: the client must start over */
    g_assert_cmpuint (still->status, ==, 410);
  }
  {
    g_auto(Round) again = { 0 };

    run_round (env, url, NULL, &again);
    g_assert_cmpuint (g_hash_table_size (again.items), ==, 3);
  }
}

static void
test_delta_awkward (void)
{
  g_autoptr(Env) env = env_new (40);
  g_autofree char *folder = seeded_folder (env);
  g_autofree char *url = g_strdup_printf ("/me/contactFolders/%s/contacts/delta", folder);
  g_auto(Round) first = { 0 };
  g_auto(Round) second = { 0 };
  g_autoptr(JsonNode) mode = NULL;
  g_autoptr(GHashTable) all = g_hash_table_new (g_str_hash, g_str_equal);
  GHashTableIter iter;
  gpointer key;
  guint n = 0;

  g_assert_cmpuint (control (env, "POST", "/_sandbox/outlook/delta-mode", "{\"awkward\": true}", &mode), ==, 200);
  g_assert_true (json_object_get_boolean_member (json_node_get_object (mode), "awkward"));

  run_round (env, url, "odata.maxpagesize=7", &first);
  g_assert_cmpuint (first.repeats, >, 0);
  g_assert_cmpuint (first.empty_pages, >, 0);
  /* a client that dedups by id still sees each contact exactly once */
  g_assert_cmpuint (g_hash_table_size (first.items), ==, 40);

  /* changes: three updates, one delete; the incremental round converges too */
  g_hash_table_iter_init (&iter, first.items);
  while (g_hash_table_iter_next (&iter, &key, NULL) && n < 4)
    {
      g_autofree char *path = g_strdup_printf ("/_sandbox/outlook/contacts/%s", (char *) key);

      if (n++ < 3)
        g_assert_cmpuint (control (env, "PATCH", path, "{\"jobTitle\": \"Awkward\"}", NULL), ==, 200);
      else
        g_assert_cmpuint (control (env, "DELETE", path, NULL, NULL), ==, 204);
      g_hash_table_add (all, key);
    }
  run_round (env, first.delta_link, "odata.maxpagesize=1", &second);
  g_assert_cmpuint (g_hash_table_size (second.items), ==, 3);
  g_assert_cmpuint (g_hash_table_size (second.removed), ==, 1);
  g_hash_table_iter_init (&iter, second.items);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_assert_cmpstr (json_object_get_string_member (g_hash_table_lookup (second.items, key), "jobTitle"), ==, "Awkward");

  /* and switched off again: no repeats */
  g_assert_cmpuint (control (env, "POST", "/_sandbox/outlook/delta-mode", "{\"awkward\": false}", NULL), ==, 200);
  {
    g_auto(Round) plain = { 0 };

    run_round (env, url, "odata.maxpagesize=7", &plain);
    g_assert_cmpuint (plain.repeats, ==, 0);
    g_assert_cmpuint (plain.empty_pages, ==, 0);
    g_assert_cmpuint (g_hash_table_size (plain.items), ==, 39);
  }
}

/* ---- $batch ---- */

static Reply *
batch (Env        *env,
       const char *body)
{
  return call (env, "POST", "/$batch", body);
}

static JsonObject *
batch_answer (Reply      *reply,
              const char *id)
{
  JsonArray *responses = json_object_get_array_member (reply_object (reply), "responses");

  for (guint i = 0; i < json_array_get_length (responses); i++)
    {
      JsonObject *item = json_array_get_object_element (responses, i);
      if (g_strcmp0 (json_object_get_string_member (item, "id"), id) == 0)
        return item;
    }
  g_assert_not_reached ();
  return NULL;
}

static void
test_batch_basic (void)
{
  g_autoptr(Env) env = env_new (0);
  g_autofree char *folder = make_folder (env, "Batch");
  GString *body = g_string_new ("{\"requests\": [");
  g_autoptr(Reply) reply = NULL;
  g_autoptr(Reply) listed = NULL;
  g_autofree char *list = g_strdup_printf ("/me/contactFolders/%s/contacts?$top=100", folder);
  g_autofree char *text = NULL;
  JsonArray *responses;
  gboolean in_order = TRUE;
  gint64 start;

  for (guint i = 0; i < 20; i++)
    g_string_append_printf (body, "%s{\"id\": \"%u\", \"method\": \"POST\", \"url\": \"/me/contactFolders/%s/contacts\","
                            " \"headers\": {\"Content-Type\": \"application/json\"},"
                            " \"body\": {\"givenName\": \"Batch\", \"surname\": \"No %u\"}}",
                            i > 0 ? ", " : "", i, folder, i);
  g_string_append (body, "]}");
  text = g_string_free (body, FALSE);
  start = g_get_monotonic_time ();
  reply = batch (env, text);
  g_test_message ("a $batch of 20 creates: %.1f ms (round trip)", (g_get_monotonic_time () - start) / 1000.0);

  g_assert_cmpuint (reply->status, ==, 200);
  responses = json_object_get_array_member (reply_object (reply), "responses");
  g_assert_cmpuint (json_array_get_length (responses), ==, 20);
  for (guint i = 0; i < 20; i++)
    {
      g_autofree char *id = g_strdup_printf ("%u", i);
      JsonObject *answer = batch_answer (reply, id);
      JsonObject *contact = json_object_get_object_member (answer, "body");
      g_autofree char *surname = g_strdup_printf ("No %u", i);

      g_assert_cmpint (json_object_get_int_member (answer, "status"), ==, 201);
      g_assert_cmpstr (json_object_get_string_member (contact, "surname"), ==, surname);
      g_assert_true (json_object_has_member (json_object_get_object_member (answer, "headers"), "Content-Type"));
      if (g_strcmp0 (json_object_get_string_member (json_array_get_object_element (responses, i), "id"), id) != 0)
        in_order = FALSE;
    }
  /* Graph answers in any order: clients must match by id */
  g_assert_false (in_order);
  listed = call (env, "GET", list, NULL);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (reply_object (listed), "value")), ==, 20);
}

static void
test_batch_limits (void)
{
  g_autoptr(Env) env = env_new (0);
  GString *body = g_string_new ("{\"requests\": [");
  g_autofree char *text = NULL;

  for (guint i = 0; i < 21; i++)
    g_string_append_printf (body, "%s{\"id\": \"%u\", \"method\": \"GET\", \"url\": \"/me\"}", i > 0 ? ", " : "", i);
  g_string_append (body, "]}");
  text = g_string_free (body, FALSE);
  {
    g_autoptr(Reply) too_many = batch (env, text);
    g_autoptr(Reply) duplicate = batch (env, "{\"requests\": [{\"id\": \"1\", \"method\": \"GET\", \"url\": \"/me\"},"
                                             " {\"id\": \"1\", \"method\": \"GET\", \"url\": \"/me\"}]}");
    g_autoptr(Reply) unknown_dep = batch (env, "{\"requests\": [{\"id\": \"1\", \"method\": \"GET\", \"url\": \"/me\","
                                               " \"dependsOn\": [\"9\"]}]}");
    g_autoptr(Reply) not_json = batch (env, "{\"requests\": 5}");

    g_assert_cmpuint (too_many->status, ==, 400);
    g_assert_cmpuint (duplicate->status, ==, 400);
    g_assert_cmpuint (unknown_dep->status, ==, 400);
    g_assert_cmpuint (not_json->status, ==, 400);
  }
  {
    g_autoptr(Reply) twenty = NULL;
    GString *ok = g_string_new ("{\"requests\": [");
    g_autofree char *ok_text = NULL;

    for (guint i = 0; i < 20; i++)
      g_string_append_printf (ok, "%s{\"id\": \"%u\", \"method\": \"GET\", \"url\": \"me\"}", i > 0 ? ", " : "", i);
    g_string_append (ok, "]}");
    ok_text = g_string_free (ok, FALSE);
    twenty = batch (env, ok_text);
    g_assert_cmpuint (twenty->status, ==, 200);
    g_assert_cmpint (json_object_get_int_member (batch_answer (twenty, "19"), "status"), ==, 200);
  }
}

static void
test_batch_items (void)
{
  g_autoptr(Env) env = env_new (0);
  g_autofree char *folder = make_folder (env, "Items");
  g_autofree char *text = g_strdup_printf (
    "{\"requests\": ["
    " {\"id\": \"a\", \"method\": \"POST\", \"url\": \"/me/contactFolders/%s/contacts\","
    "  \"body\": {\"givenName\": \"No content type\"}},"
    " {\"id\": \"b\", \"method\": \"PATCH\", \"url\": \"/me/contacts/AAMkmissing=\","
    "  \"headers\": {\"Content-Type\": \"application/json\"}, \"body\": {\"jobTitle\": \"x\"}},"
    " {\"id\": \"c\", \"method\": \"GET\", \"url\": \"/me\", \"dependsOn\": [\"b\"]},"
    " {\"id\": \"d\", \"method\": \"POST\", \"url\": \"/me/contactFolders/%s/contacts\","
    "  \"headers\": {\"content-type\": \"application/json\"}, \"body\": {\"givenName\": \"Fine\"}},"
    " {\"id\": \"e\", \"method\": \"GET\", \"url\": \"/me/contactFolders/%s/contacts?$select=givenName\","
    "  \"dependsOn\": [\"d\"]}"
    "]}", folder, folder, folder);
  g_autoptr(Reply) reply = batch (env, text);
  JsonObject *e;

  g_assert_cmpuint (reply->status, ==, 200);
  g_assert_cmpint (json_object_get_int_member (batch_answer (reply, "a"), "status"), ==, 400);
  g_assert_cmpint (json_object_get_int_member (batch_answer (reply, "b"), "status"), ==, 404);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (
                     json_object_get_object_member (batch_answer (reply, "b"), "body"), "error"), "code"),
                   ==, "ErrorItemNotFound");
  g_assert_cmpint (json_object_get_int_member (batch_answer (reply, "c"), "status"), ==, 424);
  g_assert_cmpint (json_object_get_int_member (batch_answer (reply, "d"), "status"), ==, 201);
  e = batch_answer (reply, "e");
  g_assert_cmpint (json_object_get_int_member (e, "status"), ==, 200);
  /* d ran before e: e sees the contact d made, and only that one */
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_object_get_object_member (e, "body"),
                                                                        "value")), ==, 1);
}

static void
test_batch_throttled_item (void)
{
  g_autoptr(Env) env = env_new (0);
  g_autoptr(Reply) reply = NULL;
  JsonObject *throttled, *headers;

  g_assert_cmpuint (control (env, "POST", "/_sandbox/faults",
                             "{\"rules\": [{\"service\": \"graph\", \"path\": \"throttle-me\", \"status\": 429,"
                             " \"retry_after\": \"2.5\", \"count\": 1}]}", NULL), ==, 200);
  reply = batch (env, "{\"requests\": [{\"id\": \"1\", \"method\": \"GET\", \"url\": \"/me\"},"
                      " {\"id\": \"2\", \"method\": \"GET\", \"url\": \"/me/contactFolders?x=throttle-me\"},"
                      " {\"id\": \"3\", \"method\": \"GET\", \"url\": \"/me/contactFolders?y=1\"}]}");
  g_assert_cmpuint (reply->status, ==, 200);
  g_assert_cmpint (json_object_get_int_member (batch_answer (reply, "1"), "status"), ==, 200);
  g_assert_cmpint (json_object_get_int_member (batch_answer (reply, "3"), "status"), ==, 200);
  throttled = batch_answer (reply, "2");
  g_assert_cmpint (json_object_get_int_member (throttled, "status"), ==, 429);
  headers = json_object_get_object_member (throttled, "headers");
  g_assert_cmpstr (json_object_get_string_member (headers, "Retry-After"), ==, "2.5");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (
                     json_object_get_object_member (throttled, "body"), "error"), "code"), ==, "TooManyRequests");
}

/* ---- control API and seeding ---- */

static void
test_control_edits (void)
{
  g_autoptr(Env) env = env_new (0);
  g_autoptr(JsonNode) made = NULL;
  g_autoptr(JsonNode) bad = NULL;
  const char *id, *folder;
  g_autofree char *path = NULL;
  g_autofree char *control_path = NULL;
  g_autofree char *first_key = NULL;

  g_assert_cmpuint (control (env, "POST", "/_sandbox/outlook/contacts?folder=Shared%20Team",
                             "{\"givenName\": \"Outlook\", \"surname\": \"Made\","
                             " \"emailAddresses\": [{\"address\": \"made@outlook.example\"}]}", &made), ==, 201);
  id = json_object_get_string_member (json_node_get_object (made), "id");
  folder = json_object_get_string_member (json_node_get_object (made), "parentFolderId");
  path = contact_path (folder, id);
  control_path = g_strdup_printf ("/_sandbox/outlook/contacts/%s", id);
  g_assert_cmpuint (control (env, "POST", "/_sandbox/outlook/contacts",
                             "{\"emailAddresses\": [{}, {}, {}, {}]}", &bad), ==, 400);
  {
    g_autoptr(Reply) folders = call (env, "GET", "/me/contactFolders?$filter=displayName%20eq%20'Shared%20Team'", NULL);
    g_autoptr(Reply) get = call (env, "GET", path, NULL);
    JsonArray *value = json_object_get_array_member (reply_object (folders), "value");

    g_assert_cmpuint (json_array_get_length (value), ==, 1);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (value, 0), "id"), ==, folder);
    g_assert_cmpuint (get->status, ==, 200);
    g_assert_cmpstr (json_object_get_string_member (reply_object (get), "displayName"), ==, "Outlook Made");
    first_key = g_strdup (json_object_get_string_member (reply_object (get), "changeKey"));
  }
  g_assert_cmpuint (control (env, "PATCH", control_path, "{\"companyName\": \"Contoso\"}", NULL), ==, 200);
  {
    g_autoptr(Reply) get = call (env, "GET", path, NULL);

    g_assert_cmpstr (json_object_get_string_member (reply_object (get), "companyName"), ==, "Contoso");
    g_assert_cmpstr (json_object_get_string_member (reply_object (get), "changeKey"), !=, first_key);
  }
  g_assert_cmpuint (control (env, "DELETE", control_path, NULL, NULL), ==, 204);
  g_assert_cmpuint (control (env, "DELETE", control_path, NULL, NULL), ==, 404);
  {
    g_autoptr(Reply) get = call (env, "GET", path, NULL);
    g_assert_cmpuint (get->status, ==, 404);
  }
}

static void
test_seed (void)
{
  g_autoptr(Env) env = env_new (60);
  g_autoptr(Env) twin = env_new (60);
  g_autofree char *folder = seeded_folder (env);
  g_autofree char *url = g_strdup_printf ("/me/contactFolders/%s/contacts?$top=100", folder);
  g_autofree char *twin_folder = seeded_folder (twin);
  g_autofree char *twin_url = g_strdup_printf ("/me/contactFolders/%s/contacts?$top=100", twin_folder);
  g_autoptr(Reply) reply = call (env, "GET", url, NULL);
  g_autoptr(Reply) twin_reply = call (twin, "GET", twin_url, NULL);
  g_autoptr(JsonNode) state = NULL;
  JsonArray *value = json_object_get_array_member (reply_object (reply), "value");
  JsonArray *twin_value = json_object_get_array_member (reply_object (twin_reply), "value");
  JsonArray *bc_contacts;
  g_autoptr(GHashTable) bc_emails = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint no_email = 0, several = 0, two_phones = 0, names = 0, codes = 0, shared = 0;

  g_assert_cmpuint (json_array_get_length (value), ==, 60);
  g_assert_cmpuint (control (env, "GET", "/_sandbox/state", NULL, &state), ==, 200);
  bc_contacts = json_object_get_array_member (
    json_array_get_object_element (json_object_get_array_member (
      json_object_get_object_member (json_node_get_object (state), "bc"), "companies"), 0), "contacts");
  for (guint i = 0; i < json_array_get_length (bc_contacts); i++)
    {
      const char *email = json_object_get_string_member_with_default (json_array_get_object_element (bc_contacts, i),
                                                                      "email", NULL);
      if (email != NULL && *email != '\0')
        g_hash_table_add (bc_emails, g_ascii_strdown (email, -1));
    }

  for (guint i = 0; i < json_array_get_length (value); i++)
    {
      JsonObject *contact = json_array_get_object_element (value, i);
      JsonObject *twin_contact = json_array_get_object_element (twin_value, i);
      JsonArray *emails = json_object_get_array_member (contact, "emailAddresses");
      const char *country = json_object_get_string_member_with_default (
        json_object_get_object_member (contact, "businessAddress"), "countryOrRegion", NULL);

      /* the same seed gives the same people */
      g_assert_cmpstr (json_object_get_string_member (contact, "displayName"), ==,
                       json_object_get_string_member (twin_contact, "displayName"));
      if (json_array_get_length (emails) == 0)
        no_email++;
      if (json_array_get_length (emails) > 1)
        several++;
      for (guint e = 0; e < json_array_get_length (emails); e++)
        {
          g_autofree char *address = g_ascii_strdown (json_object_get_string_member (
                                       json_array_get_object_element (emails, e), "address"), -1);
          if (g_hash_table_contains (bc_emails, address))
            shared++;
        }
      if (json_array_get_length (json_object_get_array_member (contact, "businessPhones")) == 2)
        two_phones++;
      if (country != NULL && strlen (country) == 2)
        codes++;
      else if (country != NULL)
        names++;
    }
  g_test_message ("seeded: %u without e-mail, %u with several, %u with 2 phones, %u country names, %u codes, "
                  "%u sharing an e-mail with BC", no_email, several, two_phones, names, codes, shared);
  g_assert_cmpuint (several, >, 0);
  g_assert_cmpuint (two_phones, >, 0);
  g_assert_cmpuint (names, >, 0);
  g_assert_cmpuint (codes, >, 0);
  g_assert_cmpuint (shared, >, 0);
  g_assert_cmpuint (no_email, >, 0);
}

static void
test_no_seed_folder (void)
{
  g_autoptr(Env) env = env_new (0);
  g_autoptr(Reply) folders = call (env, "GET", "/me/contactFolders", NULL);
  g_autoptr(Reply) default_folder = call (env, "GET", "/me/contactFolders/contacts", NULL);

  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (reply_object (folders), "value")), ==, 0);
  g_assert_cmpuint (default_folder->status, ==, 200);
}

static void
test_state_round_trip (void)
{
  g_autoptr(Env) env = env_new (12);
  g_autofree char *folder = seeded_folder (env);
  g_autoptr(JsonObject) ext = create_contact (env, folder,
    "{\"givenName\": \"S\", \"singleValueExtendedProperties\": [{\"id\": \"" EXT_ID "\", \"value\": \"v\"}]}");
  g_autofree char *path = contact_path (folder, json_object_get_string_member (ext, "id"));
  g_autofree char *control_path = g_strdup_printf ("/_sandbox/outlook/contacts/%s",
                                                   json_object_get_string_member (ext, "id"));
  g_autoptr(JsonNode) state = NULL;
  g_autofree char *text = NULL;
  g_autofree char *text_again = NULL;
  g_autofree char *whole = NULL;
  JsonObject *outlook;

  g_assert_cmpuint (control (env, "GET", "/_sandbox/state", NULL, &state), ==, 200);
  outlook = json_object_get_object_member (json_node_get_object (state), "outlook");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (outlook, "folders")), ==, 2);
  text = json_to_string (json_object_get_member (json_node_get_object (state), "outlook"), FALSE);
  g_assert_nonnull (strstr (text, "singleValueExtendedProperties"));

  /* into a fresh graph part and out again: the same JSON */
  {
    BcsSbGraph *graph = bcs_sb_graph_new (NULL);
    g_autoptr(JsonNode) out = NULL;

    bcs_sb_graph_load_json (graph, json_object_get_member (json_node_get_object (state), "outlook"));
    out = bcs_sb_graph_to_json (graph);
    text_again = json_to_string (out, FALSE);
    bcs_sb_graph_free (graph);
  }
  g_assert_cmpstr (text, ==, text_again);

  /* loaded through the control API, a deleted contact comes back as it was */
  whole = json_to_string (state, FALSE);
  g_assert_cmpuint (control (env, "DELETE", control_path, NULL, NULL), ==, 204);
  g_assert_cmpuint (control (env, "POST", "/_sandbox/state", whole, NULL), ==, 200);
  {
    g_autofree char *expand = g_strdup_printf ("%s?$expand=singleValueExtendedProperties", path);
    g_autoptr(Reply) get = call (env, "GET", expand, NULL);

    g_assert_cmpuint (get->status, ==, 200);
    g_assert_cmpstr (json_object_get_string_member (reply_object (get), "changeKey"), ==,
                     json_object_get_string_member (ext, "changeKey"));
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (reply_object (get),
                                                                          "singleValueExtendedProperties")), ==, 1);
  }
}

/* The time to fetch URL's bytes, parsing left out */
static double
fetch_ms (Env        *env,
          const char *url,
          gsize      *size)
{
  g_autofree char *full = g_strconcat (env->base, url, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", full);
  g_autofree char *value = g_strconcat ("Bearer ", env->token, NULL);
  g_autoptr(GBytes) bytes = NULL;
  gint64 start;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", value);
  start = g_get_monotonic_time ();
  bytes = soup_session_send_and_read (env->session, msg, NULL, NULL);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  *size = g_bytes_get_size (bytes);
  return (g_get_monotonic_time () - start) / 1000.0;
}

static void
test_speed (void)
{
  g_autoptr(Env) env = env_new (3000);
  g_autofree char *folder = seeded_folder (env);
  g_autofree char *url = g_strdup_printf ("/me/contactFolders/%s/contacts?$top=1000&$skip=1000", folder);
  g_autoptr(Reply) reply = call (env, "GET", url, NULL);
  double best = G_MAXDOUBLE;
  gsize size = 0;

  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (reply_object (reply), "value")), ==, 1000);
  for (guint i = 0; i < 5; i++)
    best = MIN (best, fetch_ms (env, url, &size));
  g_test_message ("a page of 1,000 contacts (%" G_GSIZE_FORMAT " bytes): %.1f ms over HTTP, best of 5", size, best);
  /* generous: sanitizers and a shared machine */
  g_assert_cmpfloat (best, <, 1000);
}

static long
rss_kb (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  line = strstr (status, "VmRSS:");
  return line != NULL ? strtol (line + strlen ("VmRSS:"), NULL, 10) : -1;
}

static void
test_hundred_thousand (void)
{
  g_autoptr(Env) env = NULL;
  g_autofree char *folder = NULL;
  g_autofree char *url = NULL;
  g_autofree char *filter = NULL;
  long before = rss_kb ();
  gint64 start;

  if (!g_test_perf ())
    {
      g_test_skip ("a performance test: run with -m perf");
      return;
    }
  start = g_get_monotonic_time ();
  env = env_new (100000);
  g_test_message ("seeding 100,000 Outlook contacts: %.0f ms, %ld MB more resident",
                  (g_get_monotonic_time () - start) / 1000.0, (rss_kb () - before) / 1024);
  folder = seeded_folder (env);
  url = g_strdup_printf ("/me/contactFolders/%s/contacts?$top=1000&$skip=50000", folder);
  start = g_get_monotonic_time ();
  {
    g_autoptr(Reply) reply = call (env, "GET", url, NULL);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (reply_object (reply), "value")), ==, 1000);
  }
  g_test_message ("a page of 1,000 of them: %.1f ms", (g_get_monotonic_time () - start) / 1000.0);
  filter = g_strdup_printf ("/me/contactFolders/%s/contacts?$filter=emailAddresses/any(a:a/address%%20eq%%20'nobody@x.example')",
                            folder);
  start = g_get_monotonic_time ();
  {
    g_autoptr(Reply) reply = call (env, "GET", filter, NULL);
    g_assert_cmpuint (reply->status, ==, 200);
  }
  g_test_message ("an e-mail $filter over all of them: %.1f ms", (g_get_monotonic_time () - start) / 1000.0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sandbox-graph/me", test_me);
  g_test_add_func ("/sandbox-graph/me-null-mail", test_me_null_mail);
  g_test_add_func ("/sandbox-graph/auth", test_auth);
  g_test_add_func ("/sandbox-graph/folders/filter-quote", test_folder_filter_quote);
  g_test_add_func ("/sandbox-graph/folders/create-duplicate", test_folder_create_duplicate);
  g_test_add_func ("/sandbox-graph/folders/well-known", test_folder_well_known);
  g_test_add_func ("/sandbox-graph/folders/children", test_folder_children);
  g_test_add_func ("/sandbox-graph/folders/paging", test_folder_paging);
  g_test_add_func ("/sandbox-graph/folders/none-without-seed", test_no_seed_folder);
  g_test_add_func ("/sandbox-graph/contacts/crud-shapes", test_contact_crud_shapes);
  g_test_add_func ("/sandbox-graph/contacts/change-key", test_contact_change_key);
  g_test_add_func ("/sandbox-graph/contacts/limits", test_contact_limits);
  g_test_add_func ("/sandbox-graph/contacts/display-name", test_contact_display_name);
  g_test_add_func ("/sandbox-graph/contacts/if-match", test_contact_if_match);
  g_test_add_func ("/sandbox-graph/contacts/change-etag-fault", test_contact_change_etag_fault);
  g_test_add_func ("/sandbox-graph/contacts/paging", test_contact_paging);
  g_test_add_func ("/sandbox-graph/contacts/select", test_contact_select);
  g_test_add_func ("/sandbox-graph/contacts/filter-email", test_contact_filter_email);
  g_test_add_func ("/sandbox-graph/contacts/extended-properties", test_contact_extended);
  g_test_add_func ("/sandbox-graph/contacts/escaping", test_contact_escaping);
  g_test_add_func ("/sandbox-graph/contacts/filter-paging", test_contact_filter_paging);
  g_test_add_func ("/sandbox-graph/delta/rounds", test_delta_rounds);
  g_test_add_func ("/sandbox-graph/delta/moved-out", test_delta_moved_out);
  g_test_add_func ("/sandbox-graph/delta/gone", test_delta_gone);
  g_test_add_func ("/sandbox-graph/delta/awkward", test_delta_awkward);
  g_test_add_func ("/sandbox-graph/batch/basic", test_batch_basic);
  g_test_add_func ("/sandbox-graph/batch/limits", test_batch_limits);
  g_test_add_func ("/sandbox-graph/batch/items", test_batch_items);
  g_test_add_func ("/sandbox-graph/batch/throttled-item", test_batch_throttled_item);
  g_test_add_func ("/sandbox-graph/control/edits", test_control_edits);
  g_test_add_func ("/sandbox-graph/seed", test_seed);
  g_test_add_func ("/sandbox-graph/state/round-trip", test_state_round_trip);
  g_test_add_func ("/sandbox-graph/speed/page-of-1000", test_speed);
  g_test_add_func ("/sandbox-graph/speed/100000", test_hundred_thousand);

  return g_test_run ();
}
