/* bcs-sync-store-schema.c — the store's schema and its migrations */
#define G_LOG_DOMAIN "bcs-sync"

#include "config.h"

#include <glib/gi18n.h>

#include "bcs-error.h"
#include "bcs-sync-store-private.h"

/* migrations[i] takes the schema from version i to version i + 1.
 * Append only: a released step never changes. */
static const char *const migrations[] = {
  /* 0 → 1 */
  "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);"
  "CREATE TABLE pairs (bc_id TEXT PRIMARY KEY, outlook_id TEXT UNIQUE,"
  "  bc_number TEXT, bc_etag TEXT, outlook_change_key TEXT,"
  "  bc_hash TEXT, outlook_hash TEXT, updated_at INTEGER);"
  "CREATE TABLE intents (id INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  kind TEXT NOT NULL, bc_id TEXT, outlook_id TEXT, email TEXT,"
  "  payload TEXT, created_at INTEGER);"
  "CREATE TABLE runs (id INTEGER PRIMARY KEY AUTOINCREMENT, mode TEXT,"
  "  dry_run INTEGER, outcome TEXT, started_at INTEGER, finished_at INTEGER,"
  "  counts TEXT, requests TEXT, message TEXT);"
  "CREATE TABLE results (run_id INTEGER NOT NULL, name TEXT, email TEXT,"
  "  bc_id TEXT, bc_number TEXT, outlook_id TEXT, direction TEXT,"
  "  action TEXT, outcome TEXT, reason TEXT, fields TEXT);",

  /* 1 → 2: last-synced values for the merge, the run lock, results index */
  "ALTER TABLE pairs ADD COLUMN synced_values TEXT;"
  "CREATE TABLE lock (id INTEGER PRIMARY KEY CHECK (id = 1), pid INTEGER,"
  "  hostname TEXT, token TEXT, started_at INTEGER);"
  "CREATE INDEX results_run ON results (run_id);",

  /* 2 → 3: each written field's value before and after (bcs-sync-result-changes.h) */
  "ALTER TABLE results ADD COLUMN changes TEXT;",
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == BCS_SYNC_STORE_SCHEMA_VERSION);

static int
get_version (sqlite3 *db)
{
  sqlite3_stmt *stmt = NULL;
  int version = -1;

  if (sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL) == SQLITE_OK
      && sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  return version;
}

gboolean
bcs_sync_store_migrate (sqlite3     *db,
                        const char  *path,
                        int          target,
                        GError     **error)
{
  int version = get_version (db);

  if (version < 0)
    {
      bcs_sync_store_set_error (db, path, _("Could not read the schema version"), error);
      return FALSE;
    }
  if (version > BCS_SYNC_STORE_SCHEMA_VERSION)
    {
      g_set_error (error, BCS_ERROR, BCS_ERROR_STORE,
                   _("The sync status file “%s” was written by a newer version of "
                     "Contact Sync (schema %d, this version knows %d). Update the "
                     "application, or remove the file to start the sync afresh."),
                   path, version, BCS_SYNC_STORE_SCHEMA_VERSION);
      return FALSE;
    }

  while (version < target)
    {
      g_autofree char *sql = NULL;

      /* re-read inside the transaction: another process may have migrated */
      if (sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        {
          bcs_sync_store_set_error (db, path, _("Could not upgrade the schema"), error);
          return FALSE;
        }
      version = get_version (db);
      if (version < 0 || version >= target)
        {
          sqlite3_exec (db, "COMMIT", NULL, NULL, NULL);
          break;
        }
      sql = g_strdup_printf ("%s PRAGMA user_version = %d;", migrations[version], version + 1);
      if (sqlite3_exec (db, sql, NULL, NULL, NULL) != SQLITE_OK
          || sqlite3_exec (db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        {
          g_autofree char *what = g_strdup_printf (_("Could not upgrade the schema to version %d"),
                                                   version + 1);
          bcs_sync_store_set_error (db, path, what, error);
          sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
          return FALSE;
        }
      g_debug ("Store %s migrated to schema %d", path, version + 1);
      version++;
    }
  return TRUE;
}
