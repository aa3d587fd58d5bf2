/* test-sandbox-graph.c — the sandbox's Microsoft Graph contact API behaves as
 * API-NOTES.md describes Microsoft's, down to the awkward parts: /me, folders
 * and contacts here; delta, $batch, control, state and speed in
 * test-sandbox-graph-sync.c */
#include "config.h"

#include <string.h>

#include "test-sandbox-graph.h"

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
test_folder_delete (void)
{
  g_autoptr(Env) env = env_new (0);
  g_autofree char *folder = make_folder (env, "Doomed");
  g_autofree char *path = g_strdup_printf ("/me/contactFolders/%s", folder);
  g_autofree char *children = g_strdup_printf ("%s/childFolders", path);
  g_autoptr(Reply) child = call (env, "POST", children, "{\"displayName\": \"Inner\"}");
  g_autoptr(JsonObject) contact = create_contact (env, folder, "{\"givenName\": \"Gone\"}");
  g_autofree char *contact_url = g_strdup_printf ("/me/contacts/%s", json_object_get_string_member (contact, "id"));
  g_autoptr(Reply) del = call (env, "DELETE", path, NULL);
  g_autoptr(Reply) get = call (env, "GET", path, NULL);
  g_autoptr(Reply) get_contact = call (env, "GET", contact_url, NULL);
  g_autoptr(Reply) del_default = call (env, "DELETE", "/me/contactFolders/contacts", NULL);
  g_autofree char *again = make_folder (env, "Doomed");

  g_assert_cmpuint (child->status, ==, 201);
  g_assert_cmpuint (del->status, ==, 204);
  g_assert_cmpuint (get->status, ==, 404);
  g_assert_cmpuint (get_contact->status, ==, 404);
  g_assert_cmpuint (del_default->status, ==, 400);
  g_assert_cmpstr (again, !=, folder);
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
    /* Prefer: odata.maxpagesize works as well, when there is no $top */
    g_autoptr(Reply) preferred = send_full (env, TRUE, "GET", list, NULL, "Prefer", "odata.maxpagesize=4", NULL);

    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (reply_object (preferred), "value")), ==, 4);
    g_assert_cmpstr (soup_message_headers_get_one (preferred->headers, "Preference-Applied"), ==,
                     "odata.maxpagesize=4");
    g_assert_true (json_object_has_member (reply_object (preferred), "@odata.nextLink"));
  }
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

  {
    /* a filter the lookup index cannot answer alone still finds both */
    g_autofree char *either = g_strdup_printf ("/me/contactFolders/%s/contacts?$filter=%s", folder,
                                               "emailAddresses/any(a:a/address%20eq%20'first@x.example')"
                                               "%20or%20givenName%20eq%20'b'");
    g_autoptr(Reply) both = call (env, "GET", either, NULL);

    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (reply_object (both), "value")), ==, 2);
  }
  {
    /* after a change of address and a deletion, the old lookups find nothing */
    g_autofree char *path_a = contact_path (folder, json_object_get_string_member (a, "id"));
    g_autofree char *path_b = contact_path (folder, json_object_get_string_member (b, "id"));
    g_autofree char *bert = g_strdup_printf ("/me/contactFolders/%s/contacts?$filter=%s", folder,
                                             "emailAddresses/any(x:x/address%20eq%20'BERT@example.com')");
    g_autofree char *robert = g_strdup_printf ("/me/contactFolders/%s/contacts?$filter=%s", folder,
                                               "emailAddresses/any(x:x/address%20eq%20'robert@example.com')");
    g_autoptr(Reply) patched = call (env, "PATCH", path_b, "{\"emailAddresses\": [{\"address\": \"robert@example.com\"}]}");
    g_autoptr(Reply) deleted = call (env, "DELETE", path_a, NULL);
    g_autoptr(Reply) old_bert = call (env, "GET", bert, NULL);
    g_autoptr(Reply) new_robert = call (env, "GET", robert, NULL);
    g_autoptr(Reply) gone = call (env, "GET", url, NULL);

    g_assert_cmpuint (patched->status, ==, 200);
    g_assert_cmpuint (deleted->status, ==, 204);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (reply_object (old_bert), "value")), ==, 0);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (reply_object (new_robert), "value")), ==, 1);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (reply_object (gone), "value")), ==, 0);
  }
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

static char *
find_by_ext (const char *folder,
             const char *escaped_id,
             const char *value)
{
  return g_strdup_printf ("/me/contactFolders/%s/contacts?$filter="
                          "singleValueExtendedProperties/Any(ep:%%20ep/id%%20eq%%20'%s'"
                          "%%20and%%20ep/value%%20eq%%20'%s')", folder, escaped_id, value);
}

/* the same lookup with the comparisons the other way round */
static char *
find_by_ext_reversed (const char *folder,
                      const char *escaped_id,
                      const char *value)
{
  return g_strdup_printf ("/me/contactFolders/%s/contacts?$filter="
                          "singleValueExtendedProperties/any(p:p/value%%20eq%%20'%s'"
                          "%%20and%%20p/id%%20eq%%20'%s')", folder, value, escaped_id);
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
  g_autofree char *find2_reversed = find_by_ext_reversed (folder, escaped_id, "BC-2");

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
    {
      g_autoptr(Reply) reversed = call (env, "GET", find2_reversed, NULL);
      g_assert_cmpuint (json_array_get_length (json_object_get_array_member (reply_object (reversed), "value")), ==, 1);
    }
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (reply_object (expanded),
                                                                          "singleValueExtendedProperties")), ==, 1);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (reply_object (all),
                                                                          "singleValueExtendedProperties")), ==, 2);
  }
  (void) other;
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
  g_test_add_func ("/sandbox-graph/folders/delete", test_folder_delete);
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
  add_sync_tests ();

  return g_test_run ();
}
