/* bcs-sync-store.c — the persistent sync state of one profile (SQLite) */
#define G_LOG_DOMAIN "bcs-sync"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>
#include <string.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "bcs-error.h"
#include "bcs-sync-store-private.h"

#define BUSY_TIMEOUT_MS 10000

G_DEFINE_FINAL_TYPE (BcsSyncStore, bcs_sync_store, G_TYPE_OBJECT)

/* Pairs and intents (plain data) */

BcsSyncPair *
bcs_sync_pair_new (void)
{
  return g_new0 (BcsSyncPair, 1);
}

BcsSyncPair *
bcs_sync_pair_new_from_contact (const BcsContact *contact,
                                const char       *outlook_id,
                                const char       *change_key)
{
  BcsSyncPair *pair = bcs_sync_pair_new ();

  pair->bc_id = g_strdup (contact->bc_id);
  pair->outlook_id = g_strdup (outlook_id != NULL ? outlook_id : contact->outlook_id);
  pair->bc_number = g_strdup (contact->bc_number);
  pair->bc_etag = g_strdup (contact->etag);
  pair->outlook_change_key = g_strdup (change_key != NULL ? change_key : contact->change_key);
  pair->bc_hash = bcs_contact_hash (contact);
  pair->outlook_hash = g_strdup (pair->bc_hash);
  pair->synced = bcs_contact_copy (contact);
  bcs_contact_set_value (&pair->synced->outlook_id, pair->outlook_id);
  bcs_contact_set_value (&pair->synced->change_key, pair->outlook_change_key);
  return pair;
}

BcsSyncPair *
bcs_sync_pair_copy (const BcsSyncPair *pair)
{
  BcsSyncPair *copy = bcs_sync_pair_new ();

  copy->bc_id = g_strdup (pair->bc_id);
  copy->outlook_id = g_strdup (pair->outlook_id);
  copy->bc_number = g_strdup (pair->bc_number);
  copy->bc_etag = g_strdup (pair->bc_etag);
  copy->outlook_change_key = g_strdup (pair->outlook_change_key);
  copy->bc_hash = g_strdup (pair->bc_hash);
  copy->outlook_hash = g_strdup (pair->outlook_hash);
  copy->synced = pair->synced != NULL ? bcs_contact_copy (pair->synced) : NULL;
  copy->synced_text = pair->synced == NULL ? g_strdup (pair->synced_text) : NULL;
  copy->updated_at = pair->updated_at;
  return copy;
}

void
bcs_sync_pair_free (BcsSyncPair *pair)
{
  if (pair == NULL)
    return;
  g_free (pair->bc_id);
  g_free (pair->outlook_id);
  g_free (pair->bc_number);
  g_free (pair->bc_etag);
  g_free (pair->outlook_change_key);
  g_free (pair->bc_hash);
  g_free (pair->outlook_hash);
  g_clear_pointer (&pair->synced, bcs_contact_free);
  g_free (pair->synced_text);
  g_free (pair);
}

const BcsContact *
bcs_sync_pair_get_synced (const BcsSyncPair *pair)
{
  /* Parsed once, on demand: a cache, so the pair stays logically const */
  BcsSyncPair *self = (BcsSyncPair *) pair;

  g_return_val_if_fail (pair != NULL, NULL);

  if (self->synced == NULL && self->synced_text != NULL)
    {
      g_autoptr(GError) error = NULL;

      self->synced = bcs_contact_deserialize (self->synced_text, &error);
      if (self->synced == NULL)
        g_warning ("Pair %s: unreadable last-synced values: %s", self->bc_id, error->message);
      g_clear_pointer (&self->synced_text, g_free);
    }
  return self->synced;
}

G_DEFINE_BOXED_TYPE (BcsSyncPair, bcs_sync_pair, bcs_sync_pair_copy, bcs_sync_pair_free)

GPtrArray *
bcs_sync_pairs_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) bcs_sync_pair_free);
}

static const char *const intent_names[] = { "creating", "importing", "deleting" };

const char *
bcs_sync_intent_kind_to_string (BcsSyncIntentKind kind)
{
  if ((guint) kind < G_N_ELEMENTS (intent_names))
    return intent_names[kind];
  return NULL;
}

int
bcs_sync_intent_kind_from_string (const char *text)
{
  for (guint i = 0; i < G_N_ELEMENTS (intent_names); i++)
    if (g_strcmp0 (intent_names[i], text) == 0)
      return (int) i;
  return -1;
}

BcsSyncIntent *
bcs_sync_intent_new (BcsSyncIntentKind kind)
{
  BcsSyncIntent *intent = g_new0 (BcsSyncIntent, 1);

  intent->kind = kind;
  return intent;
}

BcsSyncIntent *
bcs_sync_intent_copy (const BcsSyncIntent *intent)
{
  BcsSyncIntent *copy = g_new0 (BcsSyncIntent, 1);

  *copy = *intent;
  copy->bc_id = g_strdup (intent->bc_id);
  copy->outlook_id = g_strdup (intent->outlook_id);
  copy->email = g_strdup (intent->email);
  copy->payload = g_strdup (intent->payload);
  return copy;
}

void
bcs_sync_intent_free (BcsSyncIntent *intent)
{
  if (intent == NULL)
    return;
  g_free (intent->bc_id);
  g_free (intent->outlook_id);
  g_free (intent->email);
  g_free (intent->payload);
  g_free (intent);
}

G_DEFINE_BOXED_TYPE (BcsSyncIntent, bcs_sync_intent, bcs_sync_intent_copy, bcs_sync_intent_free)

GPtrArray *
bcs_sync_intents_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) bcs_sync_intent_free);
}

/* Helpers */

void
bcs_sync_store_set_error (sqlite3     *db,
                          const char  *path,
                          const char  *what,
                          GError     **error)
{
  g_set_error (error, BCS_ERROR, BCS_ERROR_STORE,
               /* TRANSLATORS: what failed, the file, SQLite's message */
               _("%s in the sync status file “%s”: %s"),
               what, path, db != NULL ? sqlite3_errmsg (db) : "");
}

gboolean
bcs_sync_store_exec (BcsSyncStore *self,
                     const char   *sql,
                     GError      **error)
{
  if (sqlite3_exec (self->db, sql, NULL, NULL, NULL) != SQLITE_OK)
    {
      bcs_sync_store_set_error (self->db, self->path, _("A query failed"), error);
      return FALSE;
    }
  return TRUE;
}

sqlite3_stmt *
bcs_sync_store_prepare (BcsSyncStore *self,
                        const char   *sql,
                        GError      **error)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      bcs_sync_store_set_error (self->db, self->path, _("A query failed"), error);
      sqlite3_finalize (stmt);
      return NULL;
    }
  return stmt;
}

char *
bcs_sync_store_column_dup (sqlite3_stmt *stmt,
                           int           column)
{
  const unsigned char *text = sqlite3_column_text (stmt, column);

  return text != NULL ? g_strdup ((const char *) text) : NULL;
}

void
bcs_sync_store_bind_text (sqlite3_stmt *stmt,
                          int           index,
                          const char   *text)
{
  if (text == NULL)
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
}

/* Runs a prepared write to its end */
static gboolean
step_done (BcsSyncStore *self,
           sqlite3_stmt *stmt,
           const char   *what,
           GError      **error)
{
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      bcs_sync_store_set_error (self->db, self->path, what, error);
      return FALSE;
    }
  return TRUE;
}

gboolean
bcs_sync_store_begin_own (BcsSyncStore *self,
                          gboolean     *own,
                          GError      **error)
{
  *own = !self->in_batch;
  if (!*own)
    return TRUE;
  return bcs_sync_store_exec (self, "BEGIN IMMEDIATE", error);
}

gboolean
bcs_sync_store_end_own (BcsSyncStore *self,
                        gboolean      own,
                        gboolean      ok,
                        GError      **error)
{
  if (!own)
    return ok;
  if (!ok)
    {
      sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
      return FALSE;
    }
  if (!bcs_sync_store_exec (self, "COMMIT", error))
    {
      sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
      return FALSE;
    }
  return TRUE;
}

/* Object */

static void
bcs_sync_store_finalize (GObject *object)
{
  BcsSyncStore *self = BCS_SYNC_STORE (object);

  if (self->db != NULL)
    {
      if (self->in_batch)
        bcs_sync_store_rollback (self);
      bcs_sync_store_unlock (self);
      sqlite3_close (self->db);
    }
  g_free (self->path);
  g_free (self->profile_name);
  g_free (self->lock_token);

  G_OBJECT_CLASS (bcs_sync_store_parent_class)->finalize (object);
}

static void
bcs_sync_store_class_init (BcsSyncStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = bcs_sync_store_finalize;
}

static void
bcs_sync_store_init (BcsSyncStore *self)
{
  self->lock_token = g_uuid_string_random ();
}

/* The file and its -wal/-shm companions: owner only */
static void
restrict_files (const char *path)
{
  const char *suffixes[] = { "", "-wal", "-shm", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);
      if (g_file_test (file, G_FILE_TEST_EXISTS))
        g_chmod (file, 0600);
    }
}

BcsSyncStore *
bcs_sync_store_open_sync (const char  *path,
                          const char  *profile_name,
                          GError     **error)
{
  g_autoptr(BcsSyncStore) self = NULL;
  g_autofree char *dir = NULL;
  int fd;

  g_return_val_if_fail (path != NULL, NULL);

  dir = g_path_get_dirname (path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;
      g_set_error (error, BCS_ERROR, BCS_ERROR_STORE,
                   _("Could not create the folder “%s” for the sync status: %s"),
                   dir, g_strerror (saved));
      return NULL;
    }

  /* create the file 0600 before SQLite does: its -wal and -shm files take
   * the database file's permissions */
  fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved = errno;
      g_set_error (error, BCS_ERROR, BCS_ERROR_STORE,
                   _("Could not open the sync status file “%s”: %s"),
                   path, g_strerror (saved));
      return NULL;
    }
  close (fd);
  restrict_files (path);

  self = g_object_new (BCS_TYPE_SYNC_STORE, NULL);
  self->path = g_strdup (path);
  self->profile_name = g_strdup (profile_name != NULL ? profile_name : "default");

  if (sqlite3_open_v2 (path, &self->db,
                       SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                       NULL) != SQLITE_OK)
    {
      bcs_sync_store_set_error (self->db, path, _("Could not open the database"), error);
      return NULL;
    }
  sqlite3_busy_timeout (self->db, BUSY_TIMEOUT_MS);

  if (!bcs_sync_store_exec (self, "PRAGMA journal_mode = WAL", error)
      || !bcs_sync_store_exec (self, "PRAGMA synchronous = NORMAL", error)
      || !bcs_sync_store_migrate (self->db, path, BCS_SYNC_STORE_SCHEMA_VERSION, error))
    return NULL;

  restrict_files (path);
  return g_steal_pointer (&self);
}

const char *
bcs_sync_store_get_path (BcsSyncStore *self)
{
  g_return_val_if_fail (BCS_IS_SYNC_STORE (self), NULL);
  return self->path;
}

int
bcs_sync_store_get_schema_version (BcsSyncStore *self)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (BCS_IS_SYNC_STORE (self), -1);
  stmt = bcs_sync_store_prepare (self, "PRAGMA user_version", NULL);
  if (stmt == NULL || sqlite3_step (stmt) != SQLITE_ROW)
    return -1;
  return sqlite3_column_int (stmt, 0);
}

/* The run lock */

static gboolean
process_is_dead (gint64 pid)
{
  if (pid <= 0 || pid > G_MAXINT)
    return TRUE;
  return kill ((pid_t) pid, 0) != 0 && errno == ESRCH;
}

gboolean
bcs_sync_store_lock_sync (BcsSyncStore  *self,
                          GError       **error)
{
  g_autoptr(sqlite3_stmt) select = NULL;
  g_autoptr(sqlite3_stmt) insert = NULL;
  char hostname[256] = "";

  g_return_val_if_fail (BCS_IS_SYNC_STORE (self), FALSE);
  g_return_val_if_fail (!self->in_batch, FALSE);

  if (gethostname (hostname, sizeof hostname - 1) != 0)
    g_strlcpy (hostname, "localhost", sizeof hostname);

  if (!bcs_sync_store_exec (self, "BEGIN IMMEDIATE", error))
    return FALSE;

  select = bcs_sync_store_prepare (self, "SELECT pid, hostname, token FROM lock WHERE id = 1", error);
  if (select == NULL)
    goto fail;
  if (sqlite3_step (select) == SQLITE_ROW)
    {
      gint64 pid = sqlite3_column_int64 (select, 0);
      const char *host = (const char *) sqlite3_column_text (select, 1);
      const char *token = (const char *) sqlite3_column_text (select, 2);
      gboolean ours = g_strcmp0 (token, self->lock_token) == 0;
      gboolean same_host = g_strcmp0 (host, hostname) == 0;

      if (!ours && (!same_host || !process_is_dead (pid)))
        {
          /* plain %lld: xgettext cannot read a GLib format macro inside _() */
          if (same_host)
            g_set_error (error, BCS_ERROR, BCS_ERROR_BUSY,
                         _("Another sync of profile “%s” is running (process %lld). "
                           "Wait for it to finish, then try again."),
                         self->profile_name, (long long) pid);
          else
            g_set_error (error, BCS_ERROR, BCS_ERROR_BUSY,
                         _("Another sync of profile “%s” is running (process %lld on %s). "
                           "Wait for it to finish, then try again."),
                         self->profile_name, (long long) pid, host != NULL ? host : "");
          goto fail;
        }
      if (!ours)
        g_message ("Taking over the sync lock of profile “%s” from process %" G_GINT64_FORMAT ", "
                   "which is gone", self->profile_name, pid);
    }
  g_clear_pointer (&select, sqlite3_finalize);

  insert = bcs_sync_store_prepare (self,
                                   "INSERT OR REPLACE INTO lock (id, pid, hostname, token, started_at) "
                                   "VALUES (1, ?, ?, ?, ?)", error);
  if (insert == NULL)
    goto fail;
  sqlite3_bind_int64 (insert, 1, getpid ());
  bcs_sync_store_bind_text (insert, 2, hostname);
  bcs_sync_store_bind_text (insert, 3, self->lock_token);
  sqlite3_bind_int64 (insert, 4, g_get_real_time () / G_USEC_PER_SEC);
  if (!step_done (self, insert, _("Could not take the run lock"), error))
    goto fail;
  g_clear_pointer (&insert, sqlite3_finalize);

  if (!bcs_sync_store_exec (self, "COMMIT", error))
    goto fail;
  self->locked = TRUE;
  return TRUE;

fail:
  g_clear_pointer (&select, sqlite3_finalize);
  g_clear_pointer (&insert, sqlite3_finalize);
  sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  return FALSE;
}

void
bcs_sync_store_unlock (BcsSyncStore *self)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (BCS_IS_SYNC_STORE (self));
  if (!self->locked)
    return;
  self->locked = FALSE;
  stmt = bcs_sync_store_prepare (self, "DELETE FROM lock WHERE token = ?", &error);
  if (stmt != NULL)
    {
      bcs_sync_store_bind_text (stmt, 1, self->lock_token);
      step_done (self, stmt, _("Could not release the run lock"), &error);
    }
  if (error != NULL)
    g_warning ("%s", error->message);
}

gboolean
bcs_sync_store_is_locked (BcsSyncStore *self)
{
  g_return_val_if_fail (BCS_IS_SYNC_STORE (self), FALSE);
  return self->locked;
}

/* Batches */

gboolean
bcs_sync_store_begin (BcsSyncStore  *self,
                      GError       **error)
{
  g_return_val_if_fail (BCS_IS_SYNC_STORE (self), FALSE);
  if (self->in_batch)
    {
      g_set_error (error, BCS_ERROR, BCS_ERROR_STORE,
                   "A batch is already open on the sync status file “%s”", self->path);
      return FALSE;
    }
  if (!bcs_sync_store_exec (self, "BEGIN IMMEDIATE", error))
    return FALSE;
  self->in_batch = TRUE;
  return TRUE;
}

gboolean
bcs_sync_store_commit (BcsSyncStore  *self,
                       GError       **error)
{
  g_return_val_if_fail (BCS_IS_SYNC_STORE (self), FALSE);
  g_return_val_if_fail (self->in_batch, FALSE);
  self->in_batch = FALSE;
  if (!bcs_sync_store_exec (self, "COMMIT", error))
    {
      sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
      return FALSE;
    }
  return TRUE;
}

void
bcs_sync_store_rollback (BcsSyncStore *self)
{
  g_return_if_fail (BCS_IS_SYNC_STORE (self));
  if (!self->in_batch)
    return;
  self->in_batch = FALSE;
  sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
}

gboolean
bcs_sync_store_in_batch (BcsSyncStore *self)
{
  g_return_val_if_fail (BCS_IS_SYNC_STORE (self), FALSE);
  return self->in_batch;
}

/* Pairs */

#define PAIR_COLUMNS "bc_id, outlook_id, bc_number, bc_etag, outlook_change_key, " \
                     "bc_hash, outlook_hash, synced_values, updated_at"

static BcsSyncPair *
pair_from_row (sqlite3_stmt *stmt,
               gboolean      lazy)
{
  BcsSyncPair *pair = bcs_sync_pair_new ();
  const char *synced;

  pair->bc_id = bcs_sync_store_column_dup (stmt, 0);
  pair->outlook_id = bcs_sync_store_column_dup (stmt, 1);
  pair->bc_number = bcs_sync_store_column_dup (stmt, 2);
  pair->bc_etag = bcs_sync_store_column_dup (stmt, 3);
  pair->outlook_change_key = bcs_sync_store_column_dup (stmt, 4);
  pair->bc_hash = bcs_sync_store_column_dup (stmt, 5);
  pair->outlook_hash = bcs_sync_store_column_dup (stmt, 6);
  synced = (const char *) sqlite3_column_text (stmt, 7);
  if (synced != NULL && lazy)
    pair->synced_text = g_strdup (synced);  /* most pairs of a run never need it */
  else if (synced != NULL)
    {
      g_autoptr(GError) error = NULL;
      pair->synced = bcs_contact_deserialize (synced, &error);
      if (pair->synced == NULL)
        g_warning ("Pair %s: unreadable last-synced values: %s", pair->bc_id, error->message);
    }
  pair->updated_at = sqlite3_column_int64 (stmt, 8);
  return pair;
}

gboolean
bcs_sync_store_put_pair_sync (BcsSyncStore  *self,
                              BcsSyncPair   *pair,
                              GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *synced = NULL;

  g_return_val_if_fail (BCS_IS_SYNC_STORE (self), FALSE);
  g_return_val_if_fail (pair != NULL && pair->bc_id != NULL, FALSE);

  stmt = bcs_sync_store_prepare (self, "INSERT OR REPLACE INTO pairs (" PAIR_COLUMNS ") "
                                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  pair->updated_at = g_get_real_time () / G_USEC_PER_SEC;
  if (pair->synced != NULL)
    synced = bcs_contact_serialize (pair->synced);
  else
    synced = g_strdup (pair->synced_text);
  bcs_sync_store_bind_text (stmt, 1, pair->bc_id);
  bcs_sync_store_bind_text (stmt, 2, pair->outlook_id);
  bcs_sync_store_bind_text (stmt, 3, pair->bc_number);
  bcs_sync_store_bind_text (stmt, 4, pair->bc_etag);
  bcs_sync_store_bind_text (stmt, 5, pair->outlook_change_key);
  bcs_sync_store_bind_text (stmt, 6, pair->bc_hash);
  bcs_sync_store_bind_text (stmt, 7, pair->outlook_hash);
  bcs_sync_store_bind_text (stmt, 8, synced);
  sqlite3_bind_int64 (stmt, 9, pair->updated_at);
  return step_done (self, stmt, _("Could not save a contact pair"), error);
}

static BcsSyncPair *
get_pair (BcsSyncStore *self,
          const char   *sql,
          const char   *key,
          GError      **error)
{
  g_autoptr(sqlite3_stmt) stmt = bcs_sync_store_prepare (self, sql, error);
  int rc;

  if (stmt == NULL)
    return NULL;
  bcs_sync_store_bind_text (stmt, 1, key);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return pair_from_row (stmt, FALSE);
  if (rc != SQLITE_DONE)
    bcs_sync_store_set_error (self->db, self->path, _("Could not read a contact pair"), error);
  return NULL;
}

BcsSyncPair *
bcs_sync_store_get_pair_by_bc_id_sync (BcsSyncStore  *self,
                                       const char    *bc_id,
                                       GError       **error)
{
  g_return_val_if_fail (BCS_IS_SYNC_STORE (self), NULL);
  return get_pair (self, "SELECT " PAIR_COLUMNS " FROM pairs WHERE bc_id = ?", bc_id, error);
}

BcsSyncPair *
bcs_sync_store_get_pair_by_outlook_id_sync (BcsSyncStore  *self,
                                            const char    *outlook_id,
                                            GError       **error)
{
  g_return_val_if_fail (BCS_IS_SYNC_STORE (self), NULL);
  return get_pair (self, "SELECT " PAIR_COLUMNS " FROM pairs WHERE outlook_id = ?",
                   outlook_id, error);
}

gboolean
bcs_sync_store_delete_pair_sync (BcsSyncStore  *self,
                                 const char    *bc_id,
                                 GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (BCS_IS_SYNC_STORE (self), FALSE);
  stmt = bcs_sync_store_prepare (self, "DELETE FROM pairs WHERE bc_id = ?", error);
  if (stmt == NULL)
    return FALSE;
  bcs_sync_store_bind_text (stmt, 1, bc_id);
  return step_done (self, stmt, _("Could not delete a contact pair"), error);
}

GPtrArray *
bcs_sync_store_list_pairs_sync (BcsSyncStore  *self,
                                GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) pairs = bcs_sync_pairs_new ();
  int rc;

  g_return_val_if_fail (BCS_IS_SYNC_STORE (self), NULL);
  stmt = bcs_sync_store_prepare (self, "SELECT " PAIR_COLUMNS " FROM pairs ORDER BY bc_id", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (pairs, pair_from_row (stmt, TRUE));
  if (rc != SQLITE_DONE)
    {
      bcs_sync_store_set_error (self->db, self->path, _("Could not read the contact pairs"), error);
      return NULL;
    }
  return g_steal_pointer (&pairs);
}

/* One allocation: the struct, then its two ids */
static BcsSyncPair *
pair_key_from_row (sqlite3_stmt *stmt)
{
  const char *bc_id = (const char *) sqlite3_column_text (stmt, 0);
  gsize bc_len = bc_id != NULL ? (gsize) sqlite3_column_bytes (stmt, 0) + 1 : 0;
  const char *outlook_id = (const char *) sqlite3_column_text (stmt, 1);
  gsize outlook_len = outlook_id != NULL ? (gsize) sqlite3_column_bytes (stmt, 1) + 1 : 0;
  BcsSyncPair *pair = g_malloc0 (sizeof (BcsSyncPair) + bc_len + outlook_len);
  char *tail = (char *) (pair + 1);

  if (bc_id != NULL)
    pair->bc_id = memcpy (tail, bc_id, bc_len);
  if (outlook_id != NULL)
    pair->outlook_id = memcpy (tail + bc_len, outlook_id, outlook_len);
  return pair;
}

static int
compare_bc_ids (gconstpointer a,
                gconstpointer b)
{
  const BcsSyncPair *pa = *(BcsSyncPair * const *) a;
  const BcsSyncPair *pb = *(BcsSyncPair * const *) b;

  return strcmp (pa->bc_id != NULL ? pa->bc_id : "", pb->bc_id != NULL ? pb->bc_id : "");
}

GPtrArray *
bcs_sync_store_list_pair_keys_sync (BcsSyncStore  *self,
                                    GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) pairs = g_ptr_array_new_with_free_func (g_free);
  int rc;

  g_return_val_if_fail (BCS_IS_SYNC_STORE (self), NULL);
  /* In table order, sorted here: ORDER BY bc_id would walk the primary key
   * index and look up each row, a second for 100,000 pairs */
  stmt = bcs_sync_store_prepare (self, "SELECT bc_id, outlook_id FROM pairs", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (pairs, pair_key_from_row (stmt));
  if (rc != SQLITE_DONE)
    {
      bcs_sync_store_set_error (self->db, self->path, _("Could not read the contact pairs"), error);
      return NULL;
    }
  /* strcmp() is SQLite's BINARY collation for UTF-8 text */
  g_ptr_array_sort (pairs, compare_bc_ids);
  return g_steal_pointer (&pairs);
}

static gint64
count (BcsSyncStore *self,
       const char   *sql,
       gint64        arg,
       GError      **error)
{
  g_autoptr(sqlite3_stmt) stmt = bcs_sync_store_prepare (self, sql, error);

  if (stmt == NULL)
    return -1;
  if (sqlite3_bind_parameter_count (stmt) > 0)
    sqlite3_bind_int64 (stmt, 1, arg);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      bcs_sync_store_set_error (self->db, self->path, _("Could not count rows"), error);
      return -1;
    }
  return sqlite3_column_int64 (stmt, 0);
}

gint64
bcs_sync_store_count_pairs_sync (BcsSyncStore  *self,
                                 GError       **error)
{
  g_return_val_if_fail (BCS_IS_SYNC_STORE (self), -1);
  return count (self, "SELECT COUNT(*) FROM pairs", 0, error);
}

gint64
bcs_sync_store_count_results_sync (BcsSyncStore  *self,
                                   gint64         run_id,
                                   GError       **error)
{
  g_return_val_if_fail (BCS_IS_SYNC_STORE (self), -1);
  return count (self, "SELECT COUNT(*) FROM results WHERE run_id = ?", run_id, error);
}

/* Meta and scope */

char *
bcs_sync_store_get_meta_sync (BcsSyncStore  *self,
                              const char    *key,
                              GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (BCS_IS_SYNC_STORE (self), NULL);
  stmt = bcs_sync_store_prepare (self, "SELECT value FROM meta WHERE key = ?", error);
  if (stmt == NULL)
    return NULL;
  bcs_sync_store_bind_text (stmt, 1, key);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return bcs_sync_store_column_dup (stmt, 0);
  if (rc != SQLITE_DONE)
    bcs_sync_store_set_error (self->db, self->path, _("Could not read the sync state"), error);
  return NULL;
}

gboolean
bcs_sync_store_set_meta_sync (BcsSyncStore  *self,
                              const char    *key,
                              const char    *value,
                              GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (BCS_IS_SYNC_STORE (self), FALSE);
  stmt = bcs_sync_store_prepare (self,
                                 value != NULL
                                 ? "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)"
                                 : "DELETE FROM meta WHERE key = ?", error);
  if (stmt == NULL)
    return FALSE;
  bcs_sync_store_bind_text (stmt, 1, key);
  if (value != NULL)
    bcs_sync_store_bind_text (stmt, 2, value);
  return step_done (self, stmt, _("Could not save the sync state"), error);
}

gboolean
bcs_sync_store_scope_matches (BcsSyncStore *self,
                              const char   *company_id,
                              const char   *folder_id)
{
  g_autofree char *stored_company = NULL;
  g_autofree char *stored_folder = NULL;

  g_return_val_if_fail (BCS_IS_SYNC_STORE (self), FALSE);
  stored_company = bcs_sync_store_get_meta_sync (self, BCS_SYNC_META_COMPANY_ID, NULL);
  stored_folder = bcs_sync_store_get_meta_sync (self, BCS_SYNC_META_FOLDER_ID, NULL);

  if (stored_company == NULL && stored_folder == NULL)
    return bcs_sync_store_count_pairs_sync (self, NULL) == 0;
  if (g_strcmp0 (stored_company, company_id) != 0)
    return FALSE;
  return folder_id == NULL || g_strcmp0 (stored_folder, folder_id) == 0;
}

gboolean
bcs_sync_store_reset_scope_sync (BcsSyncStore  *self,
                                 const char    *company_id,
                                 const char    *folder_id,
                                 const char    *folder_name,
                                 GError       **error)
{
  gboolean own, ok;

  g_return_val_if_fail (BCS_IS_SYNC_STORE (self), FALSE);
  if (!bcs_sync_store_begin_own (self, &own, error))
    return FALSE;
  ok = bcs_sync_store_exec (self, "DELETE FROM pairs; DELETE FROM intents;", error)
       && bcs_sync_store_set_meta_sync (self, BCS_SYNC_META_DELTA_LINK, NULL, error)
       && bcs_sync_store_set_meta_sync (self, BCS_SYNC_META_BC_WATERMARK, NULL, error)
       && bcs_sync_store_set_meta_sync (self, BCS_SYNC_META_COMPANY_ID, company_id, error)
       && bcs_sync_store_set_meta_sync (self, BCS_SYNC_META_FOLDER_ID, folder_id, error)
       && bcs_sync_store_set_meta_sync (self, BCS_SYNC_META_FOLDER_NAME, folder_name, error);
  return bcs_sync_store_end_own (self, own, ok, error);
}

/* Intents */

gboolean
bcs_sync_store_add_intent_sync (BcsSyncStore   *self,
                                BcsSyncIntent  *intent,
                                GError        **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (BCS_IS_SYNC_STORE (self), FALSE);
  stmt = bcs_sync_store_prepare (self,
                                 "INSERT INTO intents (kind, bc_id, outlook_id, email, payload, created_at) "
                                 "VALUES (?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  intent->created_at = g_get_real_time () / G_USEC_PER_SEC;
  bcs_sync_store_bind_text (stmt, 1, bcs_sync_intent_kind_to_string (intent->kind));
  bcs_sync_store_bind_text (stmt, 2, intent->bc_id);
  bcs_sync_store_bind_text (stmt, 3, intent->outlook_id);
  bcs_sync_store_bind_text (stmt, 4, intent->email);
  bcs_sync_store_bind_text (stmt, 5, intent->payload);
  sqlite3_bind_int64 (stmt, 6, intent->created_at);
  if (!step_done (self, stmt, _("Could not record a pending write"), error))
    return FALSE;
  intent->id = sqlite3_last_insert_rowid (self->db);
  return TRUE;
}

gboolean
bcs_sync_store_remove_intent_sync (BcsSyncStore  *self,
                                   gint64         id,
                                   GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (BCS_IS_SYNC_STORE (self), FALSE);
  stmt = bcs_sync_store_prepare (self, "DELETE FROM intents WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  return step_done (self, stmt, _("Could not clear a pending write"), error);
}

GPtrArray *
bcs_sync_store_list_intents_sync (BcsSyncStore  *self,
                                  GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) intents = bcs_sync_intents_new ();
  int rc;

  g_return_val_if_fail (BCS_IS_SYNC_STORE (self), NULL);
  stmt = bcs_sync_store_prepare (self,
                                 "SELECT id, kind, bc_id, outlook_id, email, payload, created_at "
                                 "FROM intents ORDER BY id", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      int kind = bcs_sync_intent_kind_from_string ((const char *) sqlite3_column_text (stmt, 1));
      BcsSyncIntent *intent;

      if (kind < 0)
        continue;
      intent = bcs_sync_intent_new (kind);
      intent->id = sqlite3_column_int64 (stmt, 0);
      intent->bc_id = bcs_sync_store_column_dup (stmt, 2);
      intent->outlook_id = bcs_sync_store_column_dup (stmt, 3);
      intent->email = bcs_sync_store_column_dup (stmt, 4);
      intent->payload = bcs_sync_store_column_dup (stmt, 5);
      intent->created_at = sqlite3_column_int64 (stmt, 6);
      g_ptr_array_add (intents, intent);
    }
  if (rc != SQLITE_DONE)
    {
      bcs_sync_store_set_error (self->db, self->path, _("Could not read the pending writes"), error);
      return NULL;
    }
  return g_steal_pointer (&intents);
}
