/* test-crash-recovery.c — SIGKILL the real bc-contact-sync at random moments
 *
 * A bcs-sandbox process (BCS_TEST_SANDBOX) holds a few thousand Business
 * Central contacts and some Outlook contacts sharing e-mails with them. The
 * real application (BCS_TEST_APP) signs in once, then runs --full-sync or
 * --sync again and again and is killed (SIGKILL) at a random moment of each
 * run, with random Business Central edits between rounds. A last sync must
 * finish, and then (SYNC-SPEC.md, crash safety): no duplicate in Outlook,
 * every eligible BC contact in the folder "Business Central" exactly once
 * with equal fields, no BC contact deleted or imported twice, no edit lost.
 * The store must be mode 0600.
 *
 * Only the fixed interfaces are used: the command lines, exit codes and the
 * sandbox's control API. Runs in its own D-Bus session, keyring and HOME. */
#include "config.h"

#include <locale.h>
#include <string.h>
#include <sys/stat.h>
#include <glib/gstdio.h>

#include "bench/bcs-bench-util.h"

#ifdef __SANITIZE_ADDRESS__
/* The whole build is sanitized, the executables too: about 6 times slower */
#define BC_CONTACTS        600
#define OUTLOOK_CONTACTS   60
#else
#define BC_CONTACTS        3000
#define OUTLOOK_CONTACTS   300
#endif
#define MAX_ROUNDS         12
#define MIN_ROUNDS         4
#define BUDGET_S           40.0     /* no round starts after this, beyond MIN_ROUNDS */
#define RUN_TIMEOUT_S      120.0
#define FOLDER             "Business Central"
#define PROP_BC_ID_SUFFIX  "name bccontactid"

typedef struct {
  const char *app;
  BcsBenchSandbox *sandbox;
  GRand *rand;
  guint seed;
  char *log;
  GHashTable *initial;    /* BC ids in the seeded data */
  GHashTable *mine;       /* BC ids created here */
  GHashTable *expected;   /* BC id → GHashTable member → value set here */
  guint serial;
  guint rounds;
  guint kills;
  guint episodes;             /* recovered before the last one */
  gboolean fresh;             /* no run since the seeded data was loaded */
} World;

static World *world;

/* ---- running ------------------------------------------------------------ */

static int
run_to_end (const char *command,
            double     *seconds)
{
  const char *args[] = { "--sandbox", world->sandbox->url, command, NULL };
  g_autoptr(GError) error = NULL;
  BcsBenchRun run;

  g_assert_true (bcs_bench_run_app (world->app, args, world->log, -1, RUN_TIMEOUT_S, &run, &error));
  g_assert_no_error (error);
  if (!run.exited || run.status != 0)
    {
      g_autofree char *tail = bcs_bench_tail (world->log, 4000);

      g_test_message ("bc-contact-sync %s: %s %d after %.2f s%s; its output:\n%s", command,
                      run.exited ? "exit" : "signal", run.exited ? run.status : run.signal,
                      run.seconds, run.timed_out ? " (timed out)" : "", tail);
    }
  g_assert_false (run.timed_out);
  g_assert_true (run.exited);
  if (seconds != NULL)
    *seconds = run.seconds;
  return run.status;
}

static JsonNode *
get_state (void)
{
  g_autoptr(GError) error = NULL;
  guint status = 0;
  JsonNode *state = bcs_bench_request (world->sandbox->url, "GET", "/_sandbox/state", NULL, &status, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (status, ==, 200);
  g_assert_true (state != NULL && JSON_NODE_HOLDS_OBJECT (state));
  return state;
}

static JsonArray *
bc_contacts_of (JsonNode *state)
{
  JsonObject *bc = bcs_bench_get_object (json_node_get_object (state), "bc");
  JsonArray *companies = bcs_bench_get_array (bc, "companies");
  JsonArray *contacts;

  g_assert_true (companies != NULL && json_array_get_length (companies) > 0);
  contacts = bcs_bench_get_array (json_array_get_object_element (companies, 0), "contacts");
  g_assert_nonnull (contacts);
  return contacts;
}

static void
remove_store (void)
{
  g_autofree char *db = bcs_bench_store_path ("default");
  const char *suffixes[] = { "", "-wal", "-shm", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *path = g_strconcat (db, suffixes[i], NULL);

      g_unlink (path);
    }
}

/* ---- the invariants ----------------------------------------------------- */

/* Trimmed, NFC, NULL when empty: as the application compares */
static char *
norm (const char *value)
{
  g_autofree char *copy = NULL;

  if (value == NULL)
    return NULL;
  copy = g_strstrip (g_strdup (value));
  if (*copy == '\0' || !g_utf8_validate (copy, -1, NULL))
    return NULL;
  return g_utf8_normalize (copy, -1, G_NORMALIZE_NFC);
}

static char *
email_key (const char *value)
{
  g_autofree char *n = norm (value);

  return n != NULL ? g_utf8_casefold (n, -1) : NULL;
}

static gboolean
bc_eligible (JsonObject *contact)
{
  g_autofree char *name = norm (bcs_bench_get_string (contact, "displayName"));
  g_autofree char *email = norm (bcs_bench_get_string (contact, "email"));
  JsonNode *blocked = json_object_get_member (contact, "privacyBlocked");

  return g_strcmp0 (bcs_bench_get_string (contact, "type"), "Person") == 0 && name != NULL &&
         email != NULL && !(blocked != NULL && JSON_NODE_HOLDS_VALUE (blocked) &&
                            json_node_get_value_type (blocked) == G_TYPE_BOOLEAN &&
                            json_node_get_boolean (blocked));
}

static const char *
outlook_bc_id (JsonObject *contact)
{
  JsonArray *props = bcs_bench_get_array (contact, "singleValueExtendedProperties");

  for (guint i = 0; props != NULL && i < json_array_get_length (props); i++)
    {
      JsonObject *prop = json_array_get_object_element (props, i);
      const char *id = bcs_bench_get_string (prop, "id");
      g_autofree char *lower = id != NULL ? g_ascii_strdown (id, -1) : NULL;

      if (lower != NULL && g_str_has_suffix (lower, PROP_BC_ID_SUFFIX))
        return bcs_bench_get_string (prop, "value");
    }
  return NULL;
}

static const char *
first_string (JsonArray *array)
{
  JsonNode *node;

  if (array == NULL || json_array_get_length (array) == 0)
    return NULL;
  node = json_array_get_element (array, 0);
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
         ? json_node_get_string (node) : NULL;
}

/* The Outlook value that SYNC-SPEC.md's mapping gives the BC MEMBER */
static char *
outlook_value (JsonObject *contact,
               const char *member)
{
  JsonObject *address = bcs_bench_get_object (contact, "businessAddress");
  JsonArray *emails = bcs_bench_get_array (contact, "emailAddresses");

  if (strcmp (member, "displayName") == 0)
    return norm (bcs_bench_get_string (contact, "displayName"));
  if (strcmp (member, "email") == 0)
    return emails != NULL && json_array_get_length (emails) > 0
           ? email_key (bcs_bench_get_string (json_array_get_object_element (emails, 0), "address"))
           : NULL;
  if (strcmp (member, "phoneNumber") == 0)
    return norm (first_string (bcs_bench_get_array (contact, "businessPhones")));
  if (strcmp (member, "mobilePhoneNumber") == 0)
    return norm (bcs_bench_get_string (contact, "mobilePhone"));
  if (strcmp (member, "companyName") == 0 || strcmp (member, "jobTitle") == 0)
    return norm (bcs_bench_get_string (contact, member));
  if (strcmp (member, "website") == 0)
    return norm (bcs_bench_get_string (contact, "businessHomePage"));
  if (strcmp (member, "addressLine1") == 0 || strcmp (member, "addressLine2") == 0)
    {
      const char *street = bcs_bench_get_string (address, "street");
      g_auto(GStrv) lines = NULL;
      guint index = strcmp (member, "addressLine1") == 0 ? 0 : 1;
      char *cr;

      if (street == NULL)
        return NULL;
      lines = g_strsplit (street, "\n", 2);
      if (index >= g_strv_length (lines))
        return NULL;
      if ((cr = strchr (lines[index], '\r')) != NULL && cr[1] == '\0')
        *cr = '\0';
      return norm (lines[index]);
    }
  if (strcmp (member, "country") == 0)
    return norm (bcs_bench_get_string (address, "countryOrRegion"));
  return norm (bcs_bench_get_string (address, member));   /* city, state, postalCode */
}

/* Outlook users write countries as names; the sandbox seeds these, and the
 * application maps them to the same code (SYNC-SPEC.md), so a linked
 * contact keeping such a name is equal */
static gboolean
same_country (const char *code,
              const char *outlook)
{
  static const char * const names[][3] = {
    { "DE", "Germany", "Deutschland" }, { "GB", "United Kingdom", "United Kingdom" },
    { "US", "United States", "USA" }, { "FR", "France", "France" }, { "DK", "Denmark", "Danmark" },
    { "PL", "Poland", "Polska" }, { "ES", "Spain", "España" }, { "NL", "Netherlands", "Nederland" },
  };

  if (g_strcmp0 (code, outlook) == 0)
    return TRUE;
  for (guint i = 0; code != NULL && outlook != NULL && i < G_N_ELEMENTS (names); i++)
    if (g_ascii_strcasecmp (names[i][0], code) == 0)
      return g_utf8_collate (names[i][1], outlook) == 0 || g_utf8_collate (names[i][2], outlook) == 0;
  return FALSE;
}

static const char * const mapped[] = {
  "displayName", "email", "phoneNumber", "mobilePhoneNumber", "companyName", "jobTitle",
  "addressLine1", "addressLine2", "city", "state", "postalCode", "country", "website",
};

static char *
bc_value (JsonObject *contact,
          const char *member)
{
  return strcmp (member, "email") == 0 ? email_key (bcs_bench_get_string (contact, member))
                                       : norm (bcs_bench_get_string (contact, member));
}

static JsonArray *
outlook_folder (JsonNode *state)
{
  JsonObject *outlook = bcs_bench_get_object (json_node_get_object (state), "outlook");
  JsonArray *folders = bcs_bench_get_array (outlook, "folders");
  JsonArray *found = NULL;

  for (guint i = 0; folders != NULL && i < json_array_get_length (folders); i++)
    {
      JsonObject *folder = json_array_get_object_element (folders, i);

      if (g_strcmp0 (bcs_bench_get_string (folder, "displayName"), FOLDER) == 0)
        {
          if (found != NULL)
            g_error ("Two Outlook folders named “%s”", FOLDER);
          found = bcs_bench_get_array (folder, "contacts");
        }
    }
  g_assert_nonnull (found);
  return found;
}

static void
problem (GString    *problems,
         guint      *count,
         const char *format,
         ...) G_GNUC_PRINTF (3, 4);

static void
problem (GString    *problems,
         guint      *count,
         const char *format,
         ...)
{
  va_list args;

  if (++*count > 40)
    return;
  va_start (args, format);
  g_string_append_vprintf (problems, format, args);
  va_end (args);
  g_string_append_c (problems, '\n');
}

/* Every BC id that must exist still does, and the count never went down */
static guint
check_no_bc_delete (JsonNode *state,
                    guint     previous)
{
  JsonArray *contacts = bc_contacts_of (state);
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  GHashTable *must[] = { world->initial, world->mine };

  for (guint i = 0; i < json_array_get_length (contacts); i++)
    g_hash_table_add (ids, (char *) bcs_bench_get_string (json_array_get_object_element (contacts, i), "id"));
  for (guint m = 0; m < G_N_ELEMENTS (must); m++)
    {
      GHashTableIter iter;
      gpointer id;

      g_hash_table_iter_init (&iter, must[m]);
      while (g_hash_table_iter_next (&iter, &id, NULL))
        if (!g_hash_table_contains (ids, id))
          g_error ("Business Central contact %s was deleted", (char *) id);
    }
  g_assert_cmpuint (json_array_get_length (contacts), >=, previous);
  return json_array_get_length (contacts);
}

/* The number of violations found in STATE, described in PROBLEMS;
 * ELIGIBLE: the eligible BC contacts */
static guint
find_violations (JsonNode *state,
                 GString  *problems,
                 guint    *eligible_out)
{
  JsonArray *bc = bc_contacts_of (state);
  JsonArray *outlook = outlook_folder (state);
  g_autoptr(GHashTable) bc_by_id = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) outlook_by_bc = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) bc_emails = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) synced_emails = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GHashTableIter iter;
  gpointer key, value;
  guint count = 0;
  guint eligible = 0;

  for (guint i = 0; i < json_array_get_length (bc); i++)
    {
      JsonObject *contact = json_array_get_object_element (bc, i);
      g_autofree char *email = email_key (bcs_bench_get_string (contact, "email"));

      g_hash_table_insert (bc_by_id, (char *) bcs_bench_get_string (contact, "id"), contact);
      if (email != NULL && bc_eligible (contact))
        {
          gpointer n = g_hash_table_lookup (bc_emails, email);

          g_hash_table_insert (bc_emails, g_steal_pointer (&email), GUINT_TO_POINTER (GPOINTER_TO_UINT (n) + 1));
        }
    }

  /* Outlook: one contact per BC id, none pointing at a contact that is gone */
  for (guint i = 0; i < json_array_get_length (outlook); i++)
    {
      JsonObject *contact = json_array_get_object_element (outlook, i);
      const char *bc_id = outlook_bc_id (contact);
      JsonObject *source;
      char *email;

      if (bc_id == NULL)
        continue;
      if (g_hash_table_contains (outlook_by_bc, bc_id))
        problem (problems, &count, "two Outlook contacts carry BC id %s (“%s”)", bc_id,
                 bcs_bench_get_string (contact, "displayName"));
      g_hash_table_insert (outlook_by_bc, (char *) bc_id, contact);
      source = g_hash_table_lookup (bc_by_id, bc_id);
      if (source == NULL || !bc_eligible (source))
        problem (problems, &count, "Outlook contact “%s” carries BC id %s, which is %s",
                 bcs_bench_get_string (contact, "displayName"), bc_id,
                 source == NULL ? "gone" : "not eligible");
      email = outlook_value (contact, "email");
      if (email != NULL)
        g_hash_table_insert (synced_emails, email,
                             GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (synced_emails, email)) + 1));
    }

  /* … and by e-mail, beyond what BC itself holds twice */
  g_hash_table_iter_init (&iter, synced_emails);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (GPOINTER_TO_UINT (value) > MAX (1, GPOINTER_TO_UINT (g_hash_table_lookup (bc_emails, key))))
      problem (problems, &count, "%u synced Outlook contacts with e-mail %s", GPOINTER_TO_UINT (value),
               (char *) key);

  /* Every eligible BC contact exactly once, with equal fields */
  for (guint i = 0; i < json_array_get_length (bc); i++)
    {
      JsonObject *contact = json_array_get_object_element (bc, i);
      const char *id = bcs_bench_get_string (contact, "id");
      JsonObject *copy;

      if (!bc_eligible (contact))
        continue;
      eligible++;
      copy = g_hash_table_lookup (outlook_by_bc, id);
      if (copy == NULL)
        {
          problem (problems, &count, "eligible BC contact %s (“%s”) is not in Outlook",
                   bcs_bench_get_string (contact, "number"), bcs_bench_get_string (contact, "displayName"));
          continue;
        }
      for (guint f = 0; f < G_N_ELEMENTS (mapped); f++)
        {
          g_autofree char *want = bc_value (contact, mapped[f]);
          g_autofree char *have = outlook_value (copy, mapped[f]);

          if (strcmp (mapped[f], "country") == 0 ? !same_country (want, have) : g_strcmp0 (want, have) != 0)
            problem (problems, &count, "BC contact %s: %s is “%s” in BC, “%s” in Outlook",
                     bcs_bench_get_string (contact, "number"), mapped[f], want ? want : "",
                     have ? have : "");
        }
    }

  /* No Outlook contact imported into BC twice */
  {
    g_autoptr(GHashTable) all_emails = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

    for (guint i = 0; i < json_array_get_length (bc); i++)
      {
        JsonObject *contact = json_array_get_object_element (bc, i);
        char *email = email_key (bcs_bench_get_string (contact, "email"));

        if (email != NULL)
          g_hash_table_insert (all_emails, email,
                               GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (all_emails, email)) + 1));
      }
    for (guint i = 0; i < json_array_get_length (bc); i++)
      {
        JsonObject *contact = json_array_get_object_element (bc, i);
        const char *id = bcs_bench_get_string (contact, "id");
        g_autofree char *email = email_key (bcs_bench_get_string (contact, "email"));

        if (g_hash_table_contains (world->initial, id) || g_hash_table_contains (world->mine, id) ||
            email == NULL)
          continue;
        if (GPOINTER_TO_UINT (g_hash_table_lookup (all_emails, email)) > 1)
          problem (problems, &count, "an Outlook contact with e-mail %s was imported into BC although "
                   "another BC contact has it (imported twice?)", email);
      }
  }

  /* No edit lost: what was set in BC is still there and in Outlook */
  g_hash_table_iter_init (&iter, world->expected);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      JsonObject *contact = g_hash_table_lookup (bc_by_id, key);
      JsonObject *copy = g_hash_table_lookup (outlook_by_bc, key);
      GHashTableIter fields;
      gpointer member, want;

      g_hash_table_iter_init (&fields, value);
      while (g_hash_table_iter_next (&fields, &member, &want))
        {
          g_autofree char *in_bc = contact != NULL ? bc_value (contact, member) : NULL;
          g_autofree char *in_outlook = copy != NULL ? outlook_value (copy, member) : NULL;
          g_autofree char *wanted = strcmp (member, "email") == 0 ? email_key (want) : norm (want);

          if (g_strcmp0 (in_bc, wanted) != 0 || g_strcmp0 (in_outlook, wanted) != 0)
            problem (problems, &count, "edit lost: BC contact %s %s set to “%s”, BC has “%s”, Outlook “%s”",
                     (char *) key, (char *) member, (char *) want, in_bc ? in_bc : "",
                     in_outlook ? in_outlook : "");
        }
    }

  *eligible_out = eligible;
  return count;
}

static guint
check_invariants (JsonNode *state)
{
  g_autoptr(GString) problems = g_string_new (NULL);
  guint eligible = 0;
  guint count = find_violations (state, problems, &eligible);

  if (count > 0)
    g_error ("%u invariant violations (seed %u), the first ones:\n%s", count, world->seed, problems->str);
  return eligible;
}

/* The checks can fail: a second Outlook copy of a synced contact and a BC
 * edit that no sync carried over are both found */
static void
check_the_checker (void)
{
  g_autoptr(JsonNode) state = get_state ();
  g_autoptr(JsonNode) after = NULL;
  g_autoptr(JsonNode) reply = NULL;
  g_autoptr(JsonNode) copy_node = NULL;
  g_autoptr(GString) problems = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *body = NULL;
  g_autofree char *path = NULL;
  JsonArray *outlook = outlook_folder (state);
  JsonObject *copy = NULL;
  guint status = 0;
  guint eligible = 0;
  guint count;

  for (guint i = 0; copy == NULL && i < json_array_get_length (outlook); i++)
    if (outlook_bc_id (json_array_get_object_element (outlook, i)) != NULL)
      copy = json_object_ref (json_array_get_object_element (outlook, i));
  g_assert_nonnull (copy);
  json_object_remove_member (copy, "id");
  json_object_remove_member (copy, "changeKey");
  copy_node = json_node_init_object (json_node_alloc (), copy);
  body = json_to_string (copy_node, FALSE);
  reply = bcs_bench_request (world->sandbox->url, "POST", "/_sandbox/outlook/contacts?folder=Business%20Central",
                             body, &status, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (status, ==, 201);
  g_clear_pointer (&reply, json_node_unref);

  path = g_strconcat ("/_sandbox/bc/contacts/", outlook_bc_id (copy), NULL);
  reply = bcs_bench_request (world->sandbox->url, "PATCH", path, "{\"jobTitle\": \"Not synced\"}", &status, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (status, ==, 200);
  json_object_unref (copy);

  after = get_state ();
  count = find_violations (after, problems, &eligible);
  g_test_message ("the checker on a broken state finds:\n%s", problems->str);
  g_assert_nonnull (strstr (problems->str, "two Outlook contacts carry BC id"));
  g_assert_nonnull (strstr (problems->str, "jobTitle is “Not synced” in BC"));
  g_assert_cmpuint (count, >=, 2);
}

/* ---- random edits as a Business Central user ----------------------------- */

static void
expect (const char *id,
        const char *member,
        const char *value)
{
  GHashTable *fields = g_hash_table_lookup (world->expected, id);

  if (fields == NULL)
    {
      fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      g_hash_table_insert (world->expected, g_strdup (id), fields);
    }
  g_hash_table_insert (fields, g_strdup (member), g_strdup (value));
}

static JsonObject *
random_eligible (JsonArray *contacts)
{
  for (guint tries = 0; tries < 100; tries++)
    {
      JsonObject *contact = json_array_get_object_element (contacts,
                                                           g_rand_int_range (world->rand, 0, json_array_get_length (contacts)));

      if (bc_eligible (contact))
        return contact;
    }
  return NULL;
}

static void
random_edits (JsonNode *state)
{
  JsonArray *contacts = bc_contacts_of (state);
  guint n = g_rand_int_range (world->rand, 1, 4);

  for (guint e = 0; e < n; e++)
    {
      guint kind = g_rand_int_range (world->rand, 0, 3);
      guint serial = ++world->serial;
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) reply = NULL;
      g_autofree char *body = NULL;
      g_autofree char *city = g_strdup_printf ("Crashtown %u", serial);
      g_autofree char *job = g_strdup_printf ("Tester %u", serial);
      g_autofree char *email = g_strdup_printf ("crash.%u.%u@example.net", world->seed, serial);
      g_autofree char *name = g_strdup_printf ("Crash Person %u", serial);
      JsonObject *target = kind == 0 ? NULL : random_eligible (contacts);
      guint status = 0;

      if (target == NULL)
        {
          body = g_strdup_printf ("{\"type\": \"Person\", \"displayName\": \"%s\", \"email\": \"%s\", "
                                  "\"city\": \"%s\", \"jobTitle\": \"%s\"}", name, email, city, job);
          reply = bcs_bench_request (world->sandbox->url, "POST", "/_sandbox/bc/contacts", body, &status, &error);
          g_assert_no_error (error);
          g_assert_cmpuint (status, ==, 201);
          g_assert_true (reply != NULL && JSON_NODE_HOLDS_OBJECT (reply));
          {
            const char *id = bcs_bench_get_string (json_node_get_object (reply), "id");

            g_assert_nonnull (id);
            g_hash_table_add (world->mine, g_strdup (id));
            expect (id, "displayName", name);
            expect (id, "email", email);
            expect (id, "city", city);
            expect (id, "jobTitle", job);
            g_test_message ("  created BC contact %s (%s)", id, email);
          }
        }
      else
        {
          const char *id = bcs_bench_get_string (target, "id");
          g_autofree char *path = g_strconcat ("/_sandbox/bc/contacts/", id, NULL);
          gboolean new_email = kind == 2;

          body = new_email ? g_strdup_printf ("{\"email\": \"%s\"}", email)
                           : g_strdup_printf ("{\"city\": \"%s\", \"jobTitle\": \"%s\"}", city, job);
          reply = bcs_bench_request (world->sandbox->url, "PATCH", path, body, &status, &error);
          g_assert_no_error (error);
          g_assert_cmpuint (status, ==, 200);
          if (new_email)
            expect (id, "email", email);
          else
            {
              expect (id, "city", city);
              expect (id, "jobTitle", job);
            }
          g_test_message ("  edited BC contact %s: %s", bcs_bench_get_string (target, "number"), body);
        }
    }
}

/* ---- the world ----------------------------------------------------------- */

static void
sign_in (void)
{
  g_assert_cmpint (run_to_end ("--sign-in", NULL), ==, 0);
}

static void
world_setup (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *seed = NULL;
  const char *sandbox_exe = g_getenv ("BCS_TEST_SANDBOX");

  world = g_new0 (World, 1);
  world->app = g_getenv ("BCS_TEST_APP");
  g_assert_nonnull (world->app);
  g_assert_nonnull (sandbox_exe);

  world->seed = (guint) g_test_rand_int_range (1, G_MAXINT32);
  world->rand = g_rand_new_with_seed (world->seed);
  g_test_message ("seed %u (the sandbox's data and the kill moments; rerun with the same --seed)", world->seed);
  seed = g_strdup_printf ("%u", world->seed);
  world->log = g_build_filename (bcs_bench_home (), "app.log", NULL);
  world->initial = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  world->mine = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  world->expected = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                           (GDestroyNotify) g_hash_table_unref);

  {
    g_autofree char *bc_contacts = g_strdup_printf ("%d", BC_CONTACTS);
    g_autofree char *outlook_contacts = g_strdup_printf ("%d", OUTLOOK_CONTACTS);
    const char *args[] = { "--port", "0", "--bc-contacts", bc_contacts, "--outlook-contacts",
                           outlook_contacts, "--seed", seed, "--auto-approve", NULL };

    world->sandbox = bcs_bench_sandbox_start (sandbox_exe, args, &error);
    g_assert_no_error (error);
  }
  g_test_message ("bcs-sandbox at %s", world->sandbox->url);
  sign_in ();
}

static void
world_free (void)
{
  if (world == NULL)
    return;
  bcs_bench_sandbox_stop (world->sandbox);
  g_rand_free (world->rand);
  g_free (world->log);
  g_hash_table_unref (world->initial);
  g_hash_table_unref (world->mine);
  g_hash_table_unref (world->expected);
  g_clear_pointer (&world, g_free);
}

/* ---- the tests ------------------------------------------------------------ */

/* The BC contacts there before any sync; returns how many */
static guint
remember_initial (JsonNode *state)
{
  JsonArray *contacts = bc_contacts_of (state);

  g_hash_table_remove_all (world->initial);
  for (guint i = 0; i < json_array_get_length (contacts); i++)
    g_hash_table_add (world->initial,
                      g_strdup (bcs_bench_get_string (json_array_get_object_element (contacts, i), "id")));
  return json_array_get_length (contacts);
}

/* Loads the seeded contacts on both sides (the sign-in stays valid) and
 * starts from an empty store; returns the BC contact count */
static guint
restore_seeded (JsonNode *seeded)
{
  g_autoptr(JsonObject) data = json_object_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonNode) reply = NULL;
  g_autoptr(JsonNode) state = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *body = NULL;
  guint status = 0;

  json_object_set_member (data, "bc", json_node_copy (json_object_get_member (json_node_get_object (seeded), "bc")));
  json_object_set_member (data, "outlook",
                          json_node_copy (json_object_get_member (json_node_get_object (seeded), "outlook")));
  json_node_set_object (node, data);
  body = json_to_string (node, FALSE);
  reply = bcs_bench_request (world->sandbox->url, "PUT", "/_sandbox/state", body, &status, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (status / 100, ==, 2);
  remove_store ();
  g_hash_table_remove_all (world->mine);
  g_hash_table_remove_all (world->expected);
  world->fresh = TRUE;

  state = get_state ();
  return remember_initial (state);
}

/* One run, killed at a random moment within FULL_SECONDS unless it
 * finishes first (then it must succeed: no stale lock, no broken store);
 * the BC side checked, maybe edited. Returns whether the run finished. */
static gboolean
kill_round (double  full_seconds,
            guint  *bc_count)
{
  const char *command = world->fresh || g_rand_boolean (world->rand) ? "--full-sync" : "--sync";
  double kill_after = 0.05 + g_rand_double (world->rand) * MAX (full_seconds - 0.05, 0.05);
  const char *args[] = { "--sandbox", world->sandbox->url, command, NULL };
  g_autoptr(JsonNode) state = NULL;
  g_autoptr(GError) error = NULL;
  BcsBenchRun run;

  g_assert_true (bcs_bench_run_app (world->app, args, world->log, kill_after, RUN_TIMEOUT_S, &run, &error));
  g_assert_no_error (error);
  world->fresh = FALSE;
  world->rounds++;
  if (run.exited)
    {
      g_test_message ("round %u: %s finished in %.2f s (exit %d) before the kill at %.2f s",
                      world->rounds, command, run.seconds, run.status, kill_after);
      if (run.status != 0)
        {
          g_autofree char *tail = bcs_bench_tail (world->log, 4000);

          g_error ("round %u: %s after earlier kills exited %d:\n%s", world->rounds, command, run.status, tail);
        }
    }
  else
    {
      world->kills++;
      g_test_message ("round %u: %s killed (signal %d) after %.2f s", world->rounds, command, run.signal,
                      run.seconds);
    }

  state = get_state ();
  *bc_count = check_no_bc_delete (state, *bc_count);
  if (!run.exited && g_rand_boolean (world->rand))
    random_edits (state);
  return run.exited;
}

static void
test_kill_and_recover (void)
{
  g_autoptr(JsonNode) state = NULL;
  g_autoptr(JsonNode) seeded = NULL;
  gint64 start = g_get_monotonic_time ();
  double full_seconds = 0;
  guint bc_count;
  guint eligible;

  if (world == NULL)
    world_setup ();

  /* How long an uninterrupted first full sync takes: the kills fall within */
  seeded = get_state ();
  remember_initial (seeded);
  g_assert_cmpint (run_to_end ("--full-sync", &full_seconds), ==, 0);
  state = get_state ();
  eligible = check_invariants (state);
  g_test_message ("an uninterrupted full sync: %.2f s, %u eligible contacts in Outlook", full_seconds, eligible);
  g_clear_pointer (&state, json_node_unref);

  /* Episodes: from the seeded data and an empty store, runs killed at
   * random moments (with BC edits between them) until one finishes; that
   * one must leave everything right; then the next episode */
  bc_count = restore_seeded (seeded);
  for (guint round = 0; round < MAX_ROUNDS; round++)
    {
      if (round >= MIN_ROUNDS && (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC > BUDGET_S)
        break;
      if (kill_round (full_seconds, &bc_count))
        {
          state = get_state ();
          eligible = check_invariants (state);
          g_clear_pointer (&state, json_node_unref);
          g_test_message ("  episode %u recovered: %u eligible contacts each once in Outlook, %u edits checked",
                          world->episodes, eligible, g_hash_table_size (world->expected));
          world->episodes++;
          bc_count = restore_seeded (seeded);
        }
    }
  /* The last episode has at least one kill attempt */
  if (world->fresh)
    kill_round (full_seconds, &bc_count);
  g_test_message ("%u rounds, %u of them killed, %u episodes recovered before the last",
                  world->rounds, world->kills, world->episodes);
  g_assert_cmpuint (world->kills, >=, 1);

  /* The sync after the last kill finishes and leaves everything right */
  g_assert_cmpint (run_to_end ("--sync", NULL), ==, 0);
  state = get_state ();
  check_no_bc_delete (state, bc_count);
  eligible = check_invariants (state);
  g_test_message ("after the last recovery sync: %u eligible BC contacts, each once in Outlook with equal fields; "
                  "%u edited or created contacts checked", eligible, g_hash_table_size (world->expected));

  check_the_checker ();
  g_assert_cmpuint (eligible, >, BC_CONTACTS / 2);
}

static void
test_store_mode (void)
{
  g_autofree char *db = bcs_bench_store_path ("default");
  const char *suffixes[] = { "", "-wal", "-shm" };

  if (world == NULL)
    {
      world_setup ();
      g_assert_cmpint (run_to_end ("--full-sync", NULL), ==, 0);
    }

  g_assert_true (g_str_has_prefix (db, bcs_bench_home ()));
  g_assert_true (g_file_test (db, G_FILE_TEST_EXISTS));
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *path = g_strconcat (db, suffixes[i], NULL);
      GStatBuf buf;

      if (g_stat (path, &buf) != 0)
        continue;   /* -wal and -shm only while open or not checkpointed */
      g_test_message ("%s: mode %04o", path, (unsigned) (buf.st_mode & 07777));
      g_assert_cmpuint (buf.st_mode & 07777, ==, 0600);
    }
}

int
main (int   argc,
      char *argv[])
{
  int status;

  /* Its own D-Bus session, keyring and HOME (before g_test_init: the
   * re-run gets the same arguments) */
  bcs_bench_private_session (argc, argv);
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/crash-recovery/sigkill-many-times", test_kill_and_recover);
  g_test_add_func ("/crash-recovery/store-mode-0600", test_store_mode);

  status = g_test_run ();
  world_free ();
  return status;
}
