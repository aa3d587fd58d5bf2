/* bcs-sync-store-private.h — internals shared by the store's files and tests */
#pragma once

#include <sqlite3.h>

#include "bcs-sync-store.h"

G_BEGIN_DECLS

struct _BcsSyncStore
{
  GObject   parent_instance;

  sqlite3  *db;
  char     *path;
  char     *profile_name;
  char     *lock_token;   /* identifies this store's lock row */
  gboolean  locked;
  gboolean  in_batch;
};

/* Sets ERROR (BCS_ERROR_STORE) from DB's last error; WHAT says what failed */
void          bcs_sync_store_set_error   (sqlite3     *db,
                                          const char  *path,
                                          const char  *what,
                                          GError     **error);
gboolean      bcs_sync_store_exec        (BcsSyncStore *self,
                                          const char   *sql,
                                          GError      **error);
sqlite3_stmt *bcs_sync_store_prepare     (BcsSyncStore *self,
                                          const char   *sql,
                                          GError      **error);
/* A column as a newly allocated string (NULL for NULL) */
char         *bcs_sync_store_column_dup  (sqlite3_stmt *stmt,
                                          int           column);
/* Binds TEXT (NULL → SQL NULL) */
void          bcs_sync_store_bind_text   (sqlite3_stmt *stmt,
                                          int           index,
                                          const char   *text);

/* Migrates DB from its user_version up to TARGET (each step in its own
 * transaction). Exposed for tests: migrate a fresh file to version 1, fill
 * it, then open it with bcs_sync_store_open_sync(). */
gboolean      bcs_sync_store_migrate     (sqlite3     *db,
                                          const char  *path,
                                          int          target,
                                          GError     **error);

/* Transactions that join an open batch: begin_own() returns FALSE in
 * *OWN when a batch is open (nothing to do), else begins one. */
gboolean      bcs_sync_store_begin_own   (BcsSyncStore *self,
                                          gboolean     *own,
                                          GError      **error);
gboolean      bcs_sync_store_end_own     (BcsSyncStore *self,
                                          gboolean      own,
                                          gboolean      ok,
                                          GError      **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

G_END_DECLS
