/* test-sync-store.c — the SQLite status store */
#include "config.h"

#include <errno.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <glib.h>
#include <glib/gstdio.h>

#include "bcs-error.h"
#include "bcs-sync-store-private.h"

/* A temporary directory; the store lives in a sub-directory that does not
 * exist yet */
typedef struct {
  char *dir;
  char *path;
} Tmp;

static Tmp *
tmp_new (void)
{
  Tmp *t = g_new0 (Tmp, 1);
  g_autoptr(GError) error = NULL;

  t->dir = g_dir_make_tmp ("bcs-store-XXXXXX", &error);
  g_assert_no_error (error);
  t->path = g_build_filename (t->dir, "state", "bc-contact-sync", "test.db", NULL);
  return t;
}

static void
remove_tree (const char *path)
{
  GDir *dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir == NULL)
    {
      g_remove (path);
      return;
    }
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      remove_tree (child);
    }
  g_dir_close (dir);
  g_rmdir (path);
}

static void
tmp_free (Tmp *t)
{
  remove_tree (t->dir);
  g_free (t->dir);
  g_free (t->path);
  g_free (t);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Tmp, tmp_free)

static BcsSyncStore *
open_store (Tmp *t)
{
  g_autoptr(GError) error = NULL;
  BcsSyncStore *store = bcs_sync_store_open_sync (t->path, "test", &error);

  g_assert_no_error (error);
  g_assert_nonnull (store);
  return store;
}

static BcsContact *
contact (guint n)
{
  BcsContact *c = bcs_contact_new ();
  g_autofree char *id = g_strdup_printf ("bc-%u", n);
  g_autofree char *number = g_strdup_printf ("CT%06u", n);
  g_autofree char *name = g_strdup_printf ("Person %u", n);
  g_autofree char *mail = g_strdup_printf ("p%u@example.com", n);

  bcs_contact_set_value (&c->bc_id, id);
  bcs_contact_set_value (&c->bc_number, number);
  bcs_contact_set_value (&c->etag, "W/\"1\"");
  c->type = BCS_CONTACT_TYPE_PERSON;
  bcs_contact_set_field (c, BCS_FIELD_DISPLAY_NAME, name);
  bcs_contact_set_field (c, BCS_FIELD_EMAIL, mail);
  bcs_contact_set_field (c, BCS_FIELD_CITY, "Zürich");
  return c;
}

static BcsSyncPair *
pair (guint n)
{
  g_autoptr(BcsContact) c = contact (n);
  g_autofree char *outlook_id = g_strdup_printf ("ol-%u", n);

  return bcs_sync_pair_new_from_contact (c, outlook_id, "ck");
}

static void
test_file_mode (void)
{
  g_autoptr(Tmp) t = tmp_new ();
  g_autoptr(BcsSyncStore) store = NULL;
  g_autoptr(BcsSyncPair) p = pair (1);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_path_get_dirname (t->path);
  const char *suffixes[] = { "", "-wal", "-shm" };
  GStatBuf st;

  store = open_store (t);
  g_assert_true (bcs_sync_store_put_pair_sync (store, p, &error));
  g_assert_no_error (error);

  g_assert_cmpint (g_stat (dir, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (t->path, suffixes[i], NULL);
      g_assert_cmpint (g_stat (file, &st), ==, 0);
      g_test_message ("%s: %o", file, st.st_mode & 0777);
      g_assert_cmpint (st.st_mode & 0777, ==, 0600);
    }
}

static char *
query_text (const char *path,
            const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *text = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return text;
}

static void
test_wal (void)
{
  g_autoptr(Tmp) t = tmp_new ();
  g_autoptr(BcsSyncStore) store = open_store (t);
  g_autofree char *mode = query_text (t->path, "PRAGMA journal_mode");

  g_assert_cmpstr (mode, ==, "wal");
  g_assert_cmpint (bcs_sync_store_get_schema_version (store), ==, BCS_SYNC_STORE_SCHEMA_VERSION);
}

/* a file of schema 1 (no synced values, no lock table) is migrated */
static void
test_migration (void)
{
  g_autoptr(Tmp) t = tmp_new ();
  g_autoptr(BcsSyncStore) store = NULL;
  g_autoptr(BcsSyncPair) old = NULL;
  g_autoptr(BcsSyncPair) p = pair (2);
  g_autoptr(BcsSyncPair) back = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_path_get_dirname (t->path);
  sqlite3 *db = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_cmpint (sqlite3_open (t->path, &db), ==, SQLITE_OK);
  g_assert_true (bcs_sync_store_migrate (db, t->path, 1, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_exec (db,
                                 "INSERT INTO pairs (bc_id, outlook_id, bc_number, bc_hash) "
                                 "VALUES ('bc-old', 'ol-old', 'CT1', 'abc');"
                                 "INSERT INTO meta VALUES ('delta_link', 'https://x/delta');",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  store = open_store (t);
  g_assert_cmpint (bcs_sync_store_get_schema_version (store), ==, BCS_SYNC_STORE_SCHEMA_VERSION);
  old = bcs_sync_store_get_pair_by_bc_id_sync (store, "bc-old", &error);
  g_assert_no_error (error);
  g_assert_nonnull (old);
  g_assert_cmpstr (old->outlook_id, ==, "ol-old");
  g_assert_cmpstr (old->bc_hash, ==, "abc");
  g_assert_null (old->synced);
  {
    g_autofree char *link = bcs_sync_store_get_meta_sync (store, BCS_SYNC_META_DELTA_LINK, &error);
    g_assert_cmpstr (link, ==, "https://x/delta");
  }
  /* the new column and table work */
  g_assert_true (bcs_sync_store_put_pair_sync (store, p, &error));
  back = bcs_sync_store_get_pair_by_bc_id_sync (store, "bc-2", &error);
  g_assert_nonnull (back->synced);
  g_assert_cmpstr (back->synced->city, ==, "Zürich");
  g_assert_true (bcs_sync_store_lock_sync (store, &error));
  g_assert_no_error (error);
}

static void
test_newer_schema (void)
{
  g_autoptr(Tmp) t = tmp_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_path_get_dirname (t->path);
  BcsSyncStore *store;
  sqlite3 *db = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_cmpint (sqlite3_open (t->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA user_version = 99", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  store = bcs_sync_store_open_sync (t->path, "test", &error);
  g_assert_null (store);
  g_assert_error (error, BCS_ERROR, BCS_ERROR_STORE);
  g_assert_nonnull (strstr (error->message, "newer version"));
}

static void
test_pairs (void)
{
  g_autoptr(Tmp) t = tmp_new ();
  g_autoptr(BcsSyncStore) store = open_store (t);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(BcsSyncPair) by_bc = NULL;
  g_autoptr(BcsSyncPair) by_outlook = NULL;
  g_autoptr(BcsSyncPair) missing = NULL;
  g_autoptr(BcsSyncPair) moved = pair (3);

  for (guint i = 1; i <= 3; i++)
    {
      g_autoptr(BcsSyncPair) p = pair (i);
      g_assert_true (bcs_sync_store_put_pair_sync (store, p, &error));
      g_assert_no_error (error);
      g_assert_cmpint (p->updated_at, >, 0);
    }
  g_assert_cmpint (bcs_sync_store_count_pairs_sync (store, &error), ==, 3);

  by_bc = bcs_sync_store_get_pair_by_bc_id_sync (store, "bc-2", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (by_bc->outlook_id, ==, "ol-2");
  g_assert_cmpstr (by_bc->bc_number, ==, "CT000002");
  g_assert_cmpstr (by_bc->bc_etag, ==, "W/\"1\"");
  g_assert_cmpstr (by_bc->outlook_change_key, ==, "ck");
  g_assert_cmpuint (strlen (by_bc->bc_hash), ==, 64);
  g_assert_cmpstr (by_bc->bc_hash, ==, by_bc->outlook_hash);
  g_assert_cmpstr (by_bc->synced->email, ==, "p2@example.com");

  by_outlook = bcs_sync_store_get_pair_by_outlook_id_sync (store, "ol-1", &error);
  g_assert_cmpstr (by_outlook->bc_id, ==, "bc-1");
  missing = bcs_sync_store_get_pair_by_bc_id_sync (store, "nope", &error);
  g_assert_no_error (error);
  g_assert_null (missing);

  /* a pair taking an Outlook id replaces the pair that held it */
  g_free (moved->bc_id);
  moved->bc_id = g_strdup ("bc-new");
  g_assert_true (bcs_sync_store_put_pair_sync (store, moved, &error));
  g_clear_pointer (&missing, bcs_sync_pair_free);
  missing = bcs_sync_store_get_pair_by_bc_id_sync (store, "bc-3", &error);
  g_assert_null (missing);

  g_assert_true (bcs_sync_store_delete_pair_sync (store, "bc-1", &error));
  g_assert_true (bcs_sync_store_delete_pair_sync (store, "bc-1", &error));
  all = bcs_sync_store_list_pairs_sync (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, 2);
  g_assert_cmpstr (((BcsSyncPair *) all->pdata[0])->bc_id, ==, "bc-2");
  g_assert_cmpstr (((BcsSyncPair *) all->pdata[1])->bc_id, ==, "bc-new");
}

/* Listed pairs parse their last-synced values on demand, and a listed
 * pair saved again without them being read keeps them */
static void
test_pairs_listed_lazily (void)
{
  g_autoptr(Tmp) t = tmp_new ();
  g_autoptr(BcsSyncStore) store = open_store (t);
  g_autoptr(GError) error = NULL;
  g_autoptr(BcsSyncPair) p = pair (2);
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(BcsSyncPair) copy = NULL;
  g_autoptr(BcsSyncPair) back = NULL;
  BcsSyncPair *listed;

  g_assert_true (bcs_sync_store_put_pair_sync (store, p, &error));
  g_assert_no_error (error);
  all = bcs_sync_store_list_pairs_sync (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, 1);
  listed = all->pdata[0];

  /* saved again and copied before the values were read */
  copy = bcs_sync_pair_copy (listed);
  g_free (listed->bc_etag);
  listed->bc_etag = g_strdup ("W/\"2\"");
  g_assert_true (bcs_sync_store_put_pair_sync (store, listed, &error));
  back = bcs_sync_store_get_pair_by_bc_id_sync (store, "bc-2", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (back->bc_etag, ==, "W/\"2\"");
  g_assert_nonnull (back->synced);
  g_assert_cmpstr (back->synced->email, ==, "p2@example.com");

  g_assert_nonnull (bcs_sync_pair_get_synced (listed));
  g_assert_cmpstr (bcs_sync_pair_get_synced (listed)->email, ==, "p2@example.com");
  g_assert_cmpstr (bcs_sync_pair_get_synced (copy)->email, ==, "p2@example.com");
  /* a pair built in memory has them at once */
  g_assert_true (bcs_sync_pair_get_synced (p) == p->synced);
}

/* The ids-only listing of an incremental run agrees with the full one */
static void
test_pair_keys_agree (void)
{
  g_autoptr(Tmp) t = tmp_new ();
  g_autoptr(BcsSyncStore) store = open_store (t);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) keys = NULL;
  const guint numbers[] = { 7, 3, 12, 5, 1 };

  keys = bcs_sync_store_list_pair_keys_sync (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (keys->len, ==, 0);
  g_clear_pointer (&keys, g_ptr_array_unref);

  for (guint i = 0; i < G_N_ELEMENTS (numbers); i++)
    {
      g_autoptr(BcsSyncPair) p = pair (numbers[i]);

      if (numbers[i] == 12)
        g_clear_pointer (&p->outlook_id, g_free);       /* NULLs stay NULL */
      if (numbers[i] == 5)
        {
          g_free (p->outlook_id);
          p->outlook_id = g_strdup ("ol-5 with ünïcode 😀");
        }
      g_assert_true (bcs_sync_store_put_pair_sync (store, p, &error));
      g_assert_no_error (error);
    }

  all = bcs_sync_store_list_pairs_sync (store, &error);
  g_assert_no_error (error);
  keys = bcs_sync_store_list_pair_keys_sync (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (keys->len, ==, G_N_ELEMENTS (numbers));
  g_assert_cmpuint (keys->len, ==, all->len);
  for (guint i = 0; i < keys->len; i++)
    {
      BcsSyncPair *full = all->pdata[i];
      BcsSyncPair *key = keys->pdata[i];

      g_assert_cmpstr (key->bc_id, ==, full->bc_id);        /* same order */
      g_assert_cmpstr (key->outlook_id, ==, full->outlook_id);
      g_assert_nonnull (full->bc_number);
      g_assert_nonnull (full->bc_hash);
      g_assert_null (key->bc_number);
      g_assert_null (key->bc_hash);
      g_assert_null (key->outlook_hash);
      g_assert_null (key->bc_etag);
      g_assert_null (key->outlook_change_key);
      g_assert_null (bcs_sync_pair_get_synced (key));
    }
  g_assert_cmpstr (((BcsSyncPair *) keys->pdata[0])->bc_id, ==, "bc-1");
  g_assert_null (((BcsSyncPair *) keys->pdata[1])->outlook_id);   /* bc-12 (text order) */
  g_assert_cmpstr (((BcsSyncPair *) keys->pdata[3])->outlook_id, ==, "ol-5 with ünïcode 😀");
}

static void
test_meta_scope (void)
{
  g_autoptr(Tmp) t = tmp_new ();
  g_autoptr(BcsSyncStore) store = open_store (t);
  g_autoptr(GError) error = NULL;
  g_autoptr(BcsSyncPair) p = pair (1);
  g_autofree char *none = NULL;
  g_autofree char *link = NULL;

  none = bcs_sync_store_get_meta_sync (store, BCS_SYNC_META_BC_WATERMARK, &error);
  g_assert_no_error (error);
  g_assert_null (none);

  /* a fresh store matches any scope */
  g_assert_true (bcs_sync_store_scope_matches (store, "company-a", "folder-a"));
  g_assert_true (bcs_sync_store_reset_scope_sync (store, "company-a", "folder-a", "Business Central", &error));
  g_assert_true (bcs_sync_store_put_pair_sync (store, p, &error));
  g_assert_true (bcs_sync_store_set_meta_sync (store, BCS_SYNC_META_DELTA_LINK, "https://d", &error));
  g_assert_true (bcs_sync_store_scope_matches (store, "company-a", "folder-a"));
  g_assert_true (bcs_sync_store_scope_matches (store, "company-a", NULL));
  g_assert_false (bcs_sync_store_scope_matches (store, "company-b", "folder-a"));
  g_assert_false (bcs_sync_store_scope_matches (store, "company-a", "folder-b"));

  /* a new scope starts fresh */
  g_assert_true (bcs_sync_store_reset_scope_sync (store, "company-b", "folder-b", "Contacts BC", &error));
  g_assert_no_error (error);
  g_assert_cmpint (bcs_sync_store_count_pairs_sync (store, NULL), ==, 0);
  link = bcs_sync_store_get_meta_sync (store, BCS_SYNC_META_DELTA_LINK, &error);
  g_assert_null (link);
  g_free (none);
  none = bcs_sync_store_get_meta_sync (store, BCS_SYNC_META_FOLDER_NAME, &error);
  g_assert_cmpstr (none, ==, "Contacts BC");
  g_assert_true (bcs_sync_store_scope_matches (store, "company-b", "folder-b"));

  g_assert_true (bcs_sync_store_set_meta_sync (store, BCS_SYNC_META_FOLDER_NAME, NULL, &error));
  g_clear_pointer (&none, g_free);
  none = bcs_sync_store_get_meta_sync (store, BCS_SYNC_META_FOLDER_NAME, &error);
  g_assert_null (none);
}

static void
test_intents (void)
{
  g_autoptr(Tmp) t = tmp_new ();
  g_autoptr(BcsSyncStore) store = open_store (t);
  g_autoptr(GError) error = NULL;
  g_autoptr(BcsSyncIntent) creating = bcs_sync_intent_new (BCS_SYNC_INTENT_CREATING);
  g_autoptr(BcsSyncIntent) importing = bcs_sync_intent_new (BCS_SYNC_INTENT_IMPORTING);
  g_autoptr(GPtrArray) list = NULL;
  BcsSyncIntent *first;

  creating->bc_id = g_strdup ("bc-1");
  creating->payload = g_strdup ("{\"displayName\":\"A\"}");
  importing->outlook_id = g_strdup ("ol-9");
  importing->email = g_strdup ("x@example.com");
  g_assert_true (bcs_sync_store_add_intent_sync (store, creating, &error));
  g_assert_true (bcs_sync_store_add_intent_sync (store, importing, &error));
  g_assert_no_error (error);
  g_assert_cmpint (creating->id, >, 0);
  g_assert_cmpint (importing->id, >, creating->id);

  list = bcs_sync_store_list_intents_sync (store, &error);
  g_assert_cmpuint (list->len, ==, 2);
  first = list->pdata[0];
  g_assert_cmpint (first->kind, ==, BCS_SYNC_INTENT_CREATING);
  g_assert_cmpstr (first->bc_id, ==, "bc-1");
  g_assert_cmpstr (first->payload, ==, "{\"displayName\":\"A\"}");
  g_assert_cmpint (first->created_at, >, 0);
  g_assert_cmpstr (((BcsSyncIntent *) list->pdata[1])->email, ==, "x@example.com");

  g_assert_true (bcs_sync_store_remove_intent_sync (store, creating->id, &error));
  g_clear_pointer (&list, g_ptr_array_unref);
  list = bcs_sync_store_list_intents_sync (store, &error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpint (((BcsSyncIntent *) list->pdata[0])->kind, ==, BCS_SYNC_INTENT_IMPORTING);
}

static void
test_batch (void)
{
  g_autoptr(Tmp) t = tmp_new ();
  g_autoptr(BcsSyncStore) store = open_store (t);
  g_autoptr(GError) error = NULL;
  g_autoptr(BcsSyncPair) p = pair (1);
  g_autoptr(BcsSyncPair) q = pair (2);

  g_assert_true (bcs_sync_store_begin (store, &error));
  g_assert_true (bcs_sync_store_in_batch (store));
  g_assert_false (bcs_sync_store_begin (store, &error));
  g_assert_error (error, BCS_ERROR, BCS_ERROR_STORE);
  g_clear_error (&error);
  g_assert_true (bcs_sync_store_put_pair_sync (store, p, &error));
  bcs_sync_store_rollback (store);
  g_assert_false (bcs_sync_store_in_batch (store));
  g_assert_cmpint (bcs_sync_store_count_pairs_sync (store, NULL), ==, 0);

  g_assert_true (bcs_sync_store_begin (store, &error));
  g_assert_true (bcs_sync_store_put_pair_sync (store, p, &error));
  g_assert_true (bcs_sync_store_put_pair_sync (store, q, &error));
  g_assert_true (bcs_sync_store_commit (store, &error));
  g_assert_no_error (error);
  g_assert_cmpint (bcs_sync_store_count_pairs_sync (store, NULL), ==, 2);
}

static BcsSyncResult *
result (guint n)
{
  BcsSyncResult *r = bcs_sync_result_new ();

  r->name = g_strdup_printf ("Person %u", n);
  r->email = g_strdup_printf ("p%u@example.com", n);
  r->bc_id = g_strdup_printf ("bc-%u", n);
  r->bc_number = g_strdup_printf ("CT%06u", n);
  r->outlook_id = g_strdup_printf ("ol-%u", n);
  r->direction = BCS_SYNC_DIRECTION_TO_OUTLOOK;
  r->action = BCS_SYNC_RESULT_UPDATE;
  r->outcome = BCS_SYNC_OUTCOME_OK;
  r->reason = g_strdup ("Changed in Business Central: e-mail, city");
  r->fields = BCS_FIELD_MASK (BCS_FIELD_EMAIL) | BCS_FIELD_MASK (BCS_FIELD_CITY);
  return r;
}

static gint64
record_run (BcsSyncStore *store,
            guint         n_results,
            guint         keep)
{
  g_autoptr(BcsSyncReport) report = bcs_sync_report_new (BCS_SYNC_MODE_FULL, FALSE);
  g_autoptr(GError) error = NULL;
  gint64 id;

  id = bcs_sync_store_start_run_sync (store, report, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  for (guint i = 0; i < n_results; i++)
    bcs_sync_report_add_result (report, result (i));
  report->counts.unchanged = 7;
  report->requests.graph = 3;
  report->outcome = bcs_sync_report_compute_outcome (report);
  g_assert_true (bcs_sync_store_add_results_sync (store, id, report->results, &error));
  g_assert_true (bcs_sync_store_finish_run_sync (store, report, keep, &error));
  g_assert_no_error (error);
  return id;
}

static void
test_runs_history (void)
{
  g_autoptr(Tmp) t = tmp_new ();
  g_autoptr(BcsSyncStore) store = open_store (t);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) runs = NULL;
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(BcsSyncReport) last = NULL;
  g_autoptr(BcsSyncReport) running = bcs_sync_report_new (BCS_SYNC_MODE_INCREMENTAL, TRUE);
  g_autoptr(BcsSyncReport) gone = NULL;
  gint64 ids[5];
  BcsSyncResult *r;

  for (guint i = 0; i < 5; i++)
    ids[i] = record_run (store, 4 + i, 3);

  runs = bcs_sync_store_list_runs_sync (store, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (runs->len, ==, 3);
  g_assert_cmpint (((BcsSyncReport *) runs->pdata[0])->id, ==, ids[4]);
  g_assert_cmpint (((BcsSyncReport *) runs->pdata[2])->id, ==, ids[2]);
  /* the results of the dropped runs went with them */
  g_assert_cmpint (bcs_sync_store_count_results_sync (store, ids[0], &error), ==, 0);
  g_assert_cmpint (bcs_sync_store_count_results_sync (store, ids[1], &error), ==, 0);
  g_assert_cmpint (bcs_sync_store_count_results_sync (store, ids[4], &error), ==, 8);
  gone = bcs_sync_store_get_run_sync (store, ids[0], &error);
  g_assert_no_error (error);
  g_assert_null (gone);

  last = bcs_sync_store_get_last_run_sync (store, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (last->id, ==, ids[4]);
  g_assert_cmpint (last->mode, ==, BCS_SYNC_MODE_FULL);
  g_assert_cmpint (last->outcome, ==, BCS_SYNC_RUN_OK);
  g_assert_cmpint (last->started_at, >, 0);
  g_assert_cmpint (last->finished_at, >=, last->started_at);
  g_assert_cmpuint (last->counts.outlook_updated, ==, 8);
  g_assert_cmpuint (last->counts.unchanged, ==, 7);
  g_assert_cmpuint (last->requests.graph, ==, 3);
  g_assert_cmpuint (last->results->len, ==, 8);
  r = last->results->pdata[5];
  g_assert_cmpstr (r->name, ==, "Person 5");
  g_assert_cmpint (r->action, ==, BCS_SYNC_RESULT_UPDATE);
  g_assert_cmpint (r->direction, ==, BCS_SYNC_DIRECTION_TO_OUTLOOK);
  g_assert_cmpuint (r->fields, ==, BCS_FIELD_MASK (BCS_FIELD_EMAIL) | BCS_FIELD_MASK (BCS_FIELD_CITY));

  /* paged */
  page = bcs_sync_store_get_results_sync (store, ids[4], 6, 5, &error);
  g_assert_cmpuint (page->len, ==, 2);
  g_assert_cmpstr (((BcsSyncResult *) page->pdata[0])->bc_id, ==, "bc-6");

  /* a started run is "running" until finished */
  bcs_sync_store_start_run_sync (store, running, &error);
  g_clear_pointer (&last, bcs_sync_report_free);
  last = bcs_sync_store_get_last_run_sync (store, FALSE, &error);
  g_assert_cmpint (last->outcome, ==, BCS_SYNC_RUN_RUNNING);
  g_assert_true (last->dry_run);
}

static void
test_results_bulk (void)
{
  g_autoptr(Tmp) t = tmp_new ();
  g_autoptr(BcsSyncStore) store = open_store (t);
  g_autoptr(BcsSyncReport) report = bcs_sync_report_new (BCS_SYNC_MODE_FULL, FALSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) page = NULL;
  gint64 start, id;

  id = bcs_sync_store_start_run_sync (store, report, &error);
  for (guint i = 0; i < 100000; i++)
    g_ptr_array_add (report->results, result (i));
  start = g_get_monotonic_time ();
  g_assert_true (bcs_sync_store_add_results_sync (store, id, report->results, &error));
  g_assert_no_error (error);
  g_test_message ("100,000 results stored in %.3f s", (g_get_monotonic_time () - start) / 1e6);
  g_assert_cmpint (bcs_sync_store_count_results_sync (store, id, &error), ==, 100000);
  page = bcs_sync_store_get_results_sync (store, id, 99999, 10, &error);
  g_assert_cmpuint (page->len, ==, 1);
  g_assert_cmpstr (((BcsSyncResult *) page->pdata[0])->email, ==, "p99999@example.com");
}

static void
test_lock_busy (void)
{
  g_autoptr(Tmp) t = tmp_new ();
  g_autoptr(BcsSyncStore) a = open_store (t);
  g_autoptr(BcsSyncStore) b = open_store (t);
  g_autoptr(GError) error = NULL;
  g_autofree char *pid = g_strdup_printf ("(process %d)", (int) getpid ());

  g_assert_true (bcs_sync_store_lock_sync (a, &error));
  g_assert_no_error (error);
  g_assert_true (bcs_sync_store_lock_sync (a, &error));   /* again: fine */
  g_assert_true (bcs_sync_store_is_locked (a));

  g_assert_false (bcs_sync_store_lock_sync (b, &error));
  g_assert_error (error, BCS_ERROR, BCS_ERROR_BUSY);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "Another sync of profile “test” is running"));
  g_assert_nonnull (strstr (error->message, pid));
  g_clear_error (&error);
  g_assert_false (bcs_sync_store_is_locked (b));

  bcs_sync_store_unlock (a);
  g_assert_true (bcs_sync_store_lock_sync (b, &error));
  g_assert_no_error (error);

  /* closing the store releases its lock */
  g_clear_object (&b);
  g_assert_true (bcs_sync_store_lock_sync (a, &error));
  g_assert_no_error (error);
}

static void
test_lock_stale (void)
{
  g_autoptr(Tmp) t = tmp_new ();
  g_autoptr(BcsSyncStore) store = open_store (t);
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;
  char hostname[256] = "";
  int status;
  pid_t child;
  sqlite3 *db = NULL;

  /* a process that is gone */
  child = fork ();
  g_assert_cmpint (child, >=, 0);
  if (child == 0)
    _exit (0);
  g_assert_cmpint (waitpid (child, &status, 0), ==, child);

  gethostname (hostname, sizeof hostname - 1);
  sql = sqlite3_mprintf ("INSERT INTO lock (id, pid, hostname, token, started_at) "
                         "VALUES (1, %d, %Q, 'other', 1)", (int) child, hostname);
  g_assert_cmpint (sqlite3_open (t->path, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_free (g_steal_pointer (&sql));

  g_assert_true (bcs_sync_store_lock_sync (store, &error));
  g_assert_no_error (error);

  /* a live process elsewhere in this host (ourselves, another token) is not */
  bcs_sync_store_unlock (store);
  sql = sqlite3_mprintf ("INSERT OR REPLACE INTO lock (id, pid, hostname, token, started_at) "
                         "VALUES (1, %d, %Q, 'other', 1)", (int) getpid (), hostname);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_free (g_steal_pointer (&sql));
  g_assert_false (bcs_sync_store_lock_sync (store, &error));
  g_assert_error (error, BCS_ERROR, BCS_ERROR_BUSY);
  sqlite3_close (db);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sync-store/file-mode", test_file_mode);
  g_test_add_func ("/sync-store/wal", test_wal);
  g_test_add_func ("/sync-store/migration-from-1", test_migration);
  g_test_add_func ("/sync-store/newer-schema", test_newer_schema);
  g_test_add_func ("/sync-store/pairs", test_pairs);
  g_test_add_func ("/sync-store/pairs-listed-lazily", test_pairs_listed_lazily);
  g_test_add_func ("/sync-store/pair-keys-agree", test_pair_keys_agree);
  g_test_add_func ("/sync-store/meta-scope", test_meta_scope);
  g_test_add_func ("/sync-store/intents", test_intents);
  g_test_add_func ("/sync-store/batch", test_batch);
  g_test_add_func ("/sync-store/runs-history", test_runs_history);
  g_test_add_func ("/sync-store/results-100000", test_results_bulk);
  g_test_add_func ("/sync-store/lock/busy", test_lock_busy);
  g_test_add_func ("/sync-store/lock/stale", test_lock_stale);

  return g_test_run ();
}
