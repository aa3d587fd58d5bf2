/* test-sandbox-graph-sync.c — the sandbox's Graph: delta rounds (also the
 * awkward mode), $batch, the control API, seeding, state and speed */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "test-sandbox-graph.h"

/* ---- delta ---- */

static int
g_strcmp0_ptr (const char **a,
               const char **b)
{
  return g_strcmp0 (*a, *b);
}

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

/* Random edits between rounds, normal and awkward rounds in turn, pages of
 * random sizes: a client that applies each round to its copy always ends up
 * with exactly what the folder holds */
static void
test_delta_converges (void)
{
  g_autoptr(Env) env = env_new (20);
  g_autofree char *folder = seeded_folder (env);
  g_autofree char *link = g_strdup_printf ("/me/contactFolders/%s/contacts/delta", folder);
  g_autofree char *list = g_strdup_printf ("/me/contactFolders/%s/contacts?$top=1000&$select=changeKey", folder);
  g_autoptr(GHashTable) copy = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);

  for (guint round = 0; round < 8; round++)
    {
      g_auto(Round) result = { 0 };
      g_autofree char *prefer = g_strdup_printf ("odata.maxpagesize=%d", g_rand_int_range (rand, 1, 8));
      g_autoptr(GPtrArray) server = NULL;
      GHashTableIter iter;
      gpointer key, value;
      guint pages;

      g_assert_cmpuint (control (env, "POST", "/_sandbox/outlook/delta-mode",
                                 round % 2 == 1 ? "{\"awkward\": true}" : "{\"awkward\": false}", NULL), ==, 200);
      run_round (env, link, prefer, &result);
      g_hash_table_iter_init (&iter, result.items);
      while (g_hash_table_iter_next (&iter, &key, &value))
        g_hash_table_replace (copy, g_strdup (key), g_strdup (json_object_get_string_member (value, "changeKey")));
      g_hash_table_iter_init (&iter, result.removed);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        g_hash_table_remove (copy, key);
      g_free (link);
      link = g_strdup (result.delta_link);

      server = collect_all (env, list, &pages);
      g_assert_cmpuint (server->len, ==, g_hash_table_size (copy));
      for (guint i = 0; i < server->len; i++)
        {
          JsonObject *contact = g_ptr_array_index (server, i);

          g_assert_cmpstr (g_hash_table_lookup (copy, json_object_get_string_member (contact, "id")), ==,
                           json_object_get_string_member (contact, "changeKey"));
        }

      /* edits as other people would make them */
      {
        g_autofree char **keys = (char **) g_hash_table_get_keys_as_array (copy, NULL);
        g_autoptr(GPtrArray) alive = g_ptr_array_new_with_free_func (g_free);

        qsort (keys, g_hash_table_size (copy), sizeof (char *),
               (int (*) (const void *, const void *)) g_strcmp0_ptr);
        for (guint i = 0; keys[i] != NULL; i++)
          g_ptr_array_add (alive, g_strdup (keys[i]));
        for (guint edit = 0; edit < 6; edit++)
          {
            int what = g_rand_int_range (rand, 0, 3);

            if (what == 0 || alive->len == 0)
              {
                g_autoptr(JsonNode) made = NULL;

                g_assert_cmpuint (control (env, "POST", "/_sandbox/outlook/contacts?folder=Business%20Central",
                                           "{\"givenName\": \"Random\"}", &made), ==, 201);
                g_ptr_array_add (alive, g_strdup (json_object_get_string_member (json_node_get_object (made), "id")));
              }
            else
              {
                guint pick = g_rand_int_range (rand, 0, alive->len);
                g_autofree char *path = g_strdup_printf ("/_sandbox/outlook/contacts/%s",
                                                         (char *) g_ptr_array_index (alive, pick));

                if (what == 1)
                  g_assert_cmpuint (control (env, "PATCH", path, "{\"jobTitle\": \"Edited\"}", NULL), ==, 200);
                else
                  {
                    g_assert_cmpuint (control (env, "DELETE", path, NULL, NULL), ==, 204);
                    g_ptr_array_remove_index (alive, pick);
                  }
              }
          }
      }
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
    /* the batch itself needs a token; its items do not carry one */
    g_autoptr(Reply) anonymous = send_full (env, FALSE, "POST", "/$batch",
                                            "{\"requests\": [{\"id\": \"1\", \"method\": \"GET\", \"url\": \"/me\"}]}",
                                            NULL);
    g_autoptr(Reply) nested = batch (env, "{\"requests\": [{\"id\": \"1\", \"method\": \"POST\", \"url\": \"/$batch\","
                                          " \"headers\": {\"Content-Type\": \"application/json\"}, \"body\": {\"requests\": []}}]}");

    g_assert_cmpuint (anonymous->status, ==, 401);
    g_assert_cmpint (json_object_get_int_member (batch_answer (nested, "1"), "status"), ==, 400);
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
  /* inner requests act as the batch's user */
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (batch_answer (reply, "1"), "body"),
                                                  "userPrincipalName"), ==, "demo@sandbox.example");
  g_assert_cmpint (json_object_get_int_member (batch_answer (reply, "3"), "status"), ==, 200);
  throttled = batch_answer (reply, "2");
  g_assert_cmpint (json_object_get_int_member (throttled, "status"), ==, 429);
  headers = json_object_get_object_member (throttled, "headers");
  g_assert_cmpstr (json_object_get_string_member (headers, "Retry-After"), ==, "2.5");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (
                     json_object_get_object_member (throttled, "body"), "error"), "code"), ==, "TooManyRequests");
}

/* With --realistic, a batch costs what its inner requests cost, 4 at a time:
 * 8 inner requests take two rounds of the write latency */
static void
test_batch_work_units (void)
{
  g_autoptr(Env) env = env_new_full (0, NULL, 60);
  GString *body = g_string_new ("{\"requests\": [");
  g_autofree char *text = NULL;
  g_autoptr(Reply) reply = NULL;
  gint64 start;
  double ms;

  for (guint i = 0; i < 8; i++)
    g_string_append_printf (body, "%s{\"id\": \"%u\", \"method\": \"GET\", \"url\": \"/me\"}", i > 0 ? ", " : "", i);
  g_string_append (body, "]}");
  text = g_string_free (body, FALSE);
  start = g_get_monotonic_time ();
  reply = batch (env, text);
  ms = (g_get_monotonic_time () - start) / 1000.0;
  g_assert_cmpuint (reply->status, ==, 200);
  g_test_message ("a $batch of 8 with 60 ms latency: %.0f ms", ms);
  g_assert_cmpfloat (ms, >=, 115);
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
  g_autofree char *delta = g_strdup_printf ("/me/contactFolders/%s/contacts/delta", folder);
  g_auto(Round) first = { 0 };
  g_autoptr(JsonNode) made = NULL;
  JsonObject *outlook;

  /* a client's deltaLink, then a change it has not seen yet */
  run_round (env, delta, NULL, &first);
  g_assert_cmpuint (control (env, "POST", "/_sandbox/outlook/contacts?folder=Business%20Central",
                             "{\"givenName\": \"After\"}", &made), ==, 201);

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
  {
    /* the deltaLink survived, and shows just the change made after it */
    g_auto(Round) second = { 0 };

    run_round (env, first.delta_link, NULL, &second);
    g_assert_cmpuint (g_hash_table_size (second.items), ==, 1);
    g_assert_true (g_hash_table_contains (second.items,
                                          json_object_get_string_member (json_node_get_object (made), "id")));
    g_assert_cmpuint (g_hash_table_size (second.removed), ==, 0);
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
  {
    g_autoptr(Reply) reply = call (env, "GET", url, NULL);
    double best = G_MAXDOUBLE;
    gsize size;

    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (reply_object (reply), "value")), ==, 1000);
    for (guint i = 0; i < 5; i++)
      best = MIN (best, fetch_ms (env, url, &size));
    g_test_message ("a page of 1,000 of them: %.1f ms over HTTP, best of 5", best);
  }
  filter = g_strdup_printf ("/me/contactFolders/%s/contacts?$filter=emailAddresses/any(a:a/address%%20eq%%20'nobody@x.example')",
                            folder);
  start = g_get_monotonic_time ();
  {
    g_autoptr(Reply) reply = call (env, "GET", filter, NULL);
    g_assert_cmpuint (reply->status, ==, 200);
  }
  g_test_message ("an e-mail $filter over all of them: %.1f ms", (g_get_monotonic_time () - start) / 1000.0);
}

void
add_sync_tests (void)
{
  g_test_add_func ("/sandbox-graph/seed/none-without-count", test_no_seed_folder);
  g_test_add_func ("/sandbox-graph/delta/rounds", test_delta_rounds);
  g_test_add_func ("/sandbox-graph/delta/moved-out", test_delta_moved_out);
  g_test_add_func ("/sandbox-graph/delta/gone", test_delta_gone);
  g_test_add_func ("/sandbox-graph/delta/awkward", test_delta_awkward);
  g_test_add_func ("/sandbox-graph/delta/converges", test_delta_converges);
  g_test_add_func ("/sandbox-graph/batch/basic", test_batch_basic);
  g_test_add_func ("/sandbox-graph/batch/limits", test_batch_limits);
  g_test_add_func ("/sandbox-graph/batch/items", test_batch_items);
  g_test_add_func ("/sandbox-graph/batch/throttled-item", test_batch_throttled_item);
  g_test_add_func ("/sandbox-graph/batch/work-units", test_batch_work_units);
  g_test_add_func ("/sandbox-graph/control/edits", test_control_edits);
  g_test_add_func ("/sandbox-graph/seed/realistic", test_seed);
  g_test_add_func ("/sandbox-graph/state/round-trip", test_state_round_trip);
  g_test_add_func ("/sandbox-graph/speed/page-of-1000", test_speed);
  g_test_add_func ("/sandbox-graph/speed/100000", test_hundred_thousand);
}
