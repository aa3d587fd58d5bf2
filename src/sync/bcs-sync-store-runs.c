/* bcs-sync-store-runs.c — the run history and per-contact results */
#define G_LOG_DOMAIN "bcs-sync"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "bcs-error.h"
#include "bcs-sync-store-private.h"

static char *
counts_to_json (const BcsSyncCounts *c)
{
  return g_strdup_printf ("{\"outlook_created\":%u,\"outlook_updated\":%u,"
                          "\"outlook_deleted\":%u,\"bc_created\":%u,\"bc_updated\":%u,"
                          "\"linked\":%u,\"unchanged\":%u,\"skipped\":%u,\"failed\":%u}",
                          c->outlook_created, c->outlook_updated, c->outlook_deleted,
                          c->bc_created, c->bc_updated, c->linked, c->unchanged,
                          c->skipped, c->failed);
}

static char *
requests_to_json (const BcsSyncRequests *r)
{
  return g_strdup_printf ("{\"login\":%u,\"graph\":%u,\"bc\":%u}", r->login, r->graph, r->bc);
}

static guint
member_uint (JsonObject *object,
             const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return 0;
  return (guint) CLAMP (json_node_get_int (node), 0, G_MAXUINT);
}

static JsonObject *
parse_object (const char *text,
              JsonParser *parser)
{
  JsonNode *root;

  if (text == NULL || !json_parser_load_from_data (parser, text, -1, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  return root != NULL && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
}

static void
counts_from_json (const char    *text,
                  BcsSyncCounts *c)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *o = parse_object (text, parser);

  if (o == NULL)
    return;
  c->outlook_created = member_uint (o, "outlook_created");
  c->outlook_updated = member_uint (o, "outlook_updated");
  c->outlook_deleted = member_uint (o, "outlook_deleted");
  c->bc_created = member_uint (o, "bc_created");
  c->bc_updated = member_uint (o, "bc_updated");
  c->linked = member_uint (o, "linked");
  c->unchanged = member_uint (o, "unchanged");
  c->skipped = member_uint (o, "skipped");
  c->failed = member_uint (o, "failed");
}

static void
requests_from_json (const char      *text,
                    BcsSyncRequests *r)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *o = parse_object (text, parser);

  if (o == NULL)
    return;
  r->login = member_uint (o, "login");
  r->graph = member_uint (o, "graph");
  r->bc = member_uint (o, "bc");
}

gint64
bcs_sync_store_start_run_sync (BcsSyncStore   *self,
                               BcsSyncReport  *report,
                               GError        **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (BCS_IS_SYNC_STORE (self), 0);
  stmt = bcs_sync_store_prepare (self,
                                 "INSERT INTO runs (mode, dry_run, outcome, started_at) "
                                 "VALUES (?, ?, 'running', ?)", error);
  if (stmt == NULL)
    return 0;
  if (report->started_at == 0)
    report->started_at = g_get_real_time () / G_USEC_PER_SEC;
  report->outcome = BCS_SYNC_RUN_RUNNING;
  bcs_sync_store_bind_text (stmt, 1, bcs_sync_mode_to_string (report->mode));
  sqlite3_bind_int (stmt, 2, report->dry_run ? 1 : 0);
  sqlite3_bind_int64 (stmt, 3, report->started_at);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      bcs_sync_store_set_error (self->db, self->path, _("Could not record the run"), error);
      return 0;
    }
  report->id = sqlite3_last_insert_rowid (self->db);
  return report->id;
}

static gboolean
trim_history (BcsSyncStore *self,
              guint         keep_runs,
              GError      **error)
{
  g_autoptr(sqlite3_stmt) results = NULL;
  g_autoptr(sqlite3_stmt) runs = NULL;

  if (keep_runs == 0)
    return TRUE;
  results = bcs_sync_store_prepare (self,
                                    "DELETE FROM results WHERE run_id IN "
                                    "(SELECT id FROM runs ORDER BY id DESC LIMIT -1 OFFSET ?)",
                                    error);
  runs = bcs_sync_store_prepare (self,
                                 "DELETE FROM runs WHERE id IN "
                                 "(SELECT id FROM runs ORDER BY id DESC LIMIT -1 OFFSET ?)",
                                 error);
  if (results == NULL || runs == NULL)
    return FALSE;
  sqlite3_bind_int64 (results, 1, keep_runs);
  sqlite3_bind_int64 (runs, 1, keep_runs);
  if (sqlite3_step (results) != SQLITE_DONE || sqlite3_step (runs) != SQLITE_DONE)
    {
      bcs_sync_store_set_error (self->db, self->path, _("Could not trim the run history"), error);
      return FALSE;
    }
  return TRUE;
}

gboolean
bcs_sync_store_finish_run_sync (BcsSyncStore   *self,
                                BcsSyncReport  *report,
                                guint           keep_runs,
                                GError        **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *counts = NULL;
  g_autofree char *requests = NULL;
  gboolean own, ok;

  g_return_val_if_fail (BCS_IS_SYNC_STORE (self), FALSE);
  g_return_val_if_fail (report->id > 0, FALSE);

  if (report->finished_at == 0)
    report->finished_at = g_get_real_time () / G_USEC_PER_SEC;
  counts = counts_to_json (&report->counts);
  requests = requests_to_json (&report->requests);

  if (!bcs_sync_store_begin_own (self, &own, error))
    return FALSE;
  stmt = bcs_sync_store_prepare (self,
                                 "UPDATE runs SET outcome = ?, finished_at = ?, counts = ?, "
                                 "requests = ?, message = ? WHERE id = ?", error);
  ok = stmt != NULL;
  if (ok)
    {
      bcs_sync_store_bind_text (stmt, 1, bcs_sync_run_outcome_to_string (report->outcome));
      sqlite3_bind_int64 (stmt, 2, report->finished_at);
      bcs_sync_store_bind_text (stmt, 3, counts);
      bcs_sync_store_bind_text (stmt, 4, requests);
      bcs_sync_store_bind_text (stmt, 5, report->message);
      sqlite3_bind_int64 (stmt, 6, report->id);
      ok = sqlite3_step (stmt) == SQLITE_DONE;
      if (!ok)
        bcs_sync_store_set_error (self->db, self->path, _("Could not record the run"), error);
    }
  g_clear_pointer (&stmt, sqlite3_finalize);
  ok = ok && trim_history (self, keep_runs, error);
  return bcs_sync_store_end_own (self, own, ok, error);
}

static void
bind_static (sqlite3_stmt *stmt,
             int           index,
             const char   *text)
{
  if (text == NULL)
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_STATIC);
}

gboolean
bcs_sync_store_add_results_sync (BcsSyncStore  *self,
                                 gint64         run_id,
                                 GPtrArray     *results,
                                 GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  /* field mask → "a,b" text: few distinct masks in a run */
  g_autoptr(GHashTable) fields_text = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  gboolean own, ok = TRUE;

  g_return_val_if_fail (BCS_IS_SYNC_STORE (self), FALSE);
  if (results == NULL || results->len == 0)
    return TRUE;

  if (!bcs_sync_store_begin_own (self, &own, error))
    return FALSE;
  stmt = bcs_sync_store_prepare (self,
                                 "INSERT INTO results (run_id, name, email, bc_id, bc_number, "
                                 "outlook_id, direction, action, outcome, reason, fields, "
                                 "changes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", error);
  ok = stmt != NULL;
  for (guint i = 0; ok && i < results->len; i++)
    {
      const BcsSyncResult *r = g_ptr_array_index (results, i);
      const char *fields = g_hash_table_lookup (fields_text, GUINT_TO_POINTER (r->fields));

      if (fields == NULL)
        {
          g_auto(GStrv) names = bcs_field_mask_to_strv (r->fields);
          char *joined = g_strjoinv (",", names);

          g_hash_table_insert (fields_text, GUINT_TO_POINTER (r->fields), joined);
          fields = joined;
        }
      /* the strings outlive the step: no copies */
      sqlite3_bind_int64 (stmt, 1, run_id);
      bind_static (stmt, 2, r->name);
      bind_static (stmt, 3, r->email);
      bind_static (stmt, 4, r->bc_id);
      bind_static (stmt, 5, r->bc_number);
      bind_static (stmt, 6, r->outlook_id);
      bind_static (stmt, 7, bcs_sync_direction_to_string (r->direction));
      bind_static (stmt, 8, bcs_sync_result_action_to_string (r->action));
      bind_static (stmt, 9, bcs_sync_outcome_to_string (r->outcome));
      bind_static (stmt, 10, r->reason);
      bind_static (stmt, 11, fields);
      bind_static (stmt, 12, r->changes);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        {
          bcs_sync_store_set_error (self->db, self->path, _("Could not save the results"), error);
          ok = FALSE;
        }
      sqlite3_reset (stmt);
    }
  g_clear_pointer (&stmt, sqlite3_finalize);
  return bcs_sync_store_end_own (self, own, ok, error);
}

#define RUN_COLUMNS "id, mode, dry_run, outcome, started_at, finished_at, counts, requests, message"

static BcsSyncReport *
run_from_row (sqlite3_stmt *stmt)
{
  int mode = bcs_sync_mode_from_string ((const char *) sqlite3_column_text (stmt, 1));
  int outcome = bcs_sync_run_outcome_from_string ((const char *) sqlite3_column_text (stmt, 3));
  BcsSyncReport *report = bcs_sync_report_new (mode >= 0 ? mode : BCS_SYNC_MODE_INCREMENTAL,
                                               sqlite3_column_int (stmt, 2) != 0);

  report->id = sqlite3_column_int64 (stmt, 0);
  report->outcome = outcome >= 0 ? outcome : BCS_SYNC_RUN_FAILED;
  report->started_at = sqlite3_column_int64 (stmt, 4);
  report->finished_at = sqlite3_column_int64 (stmt, 5);
  counts_from_json ((const char *) sqlite3_column_text (stmt, 6), &report->counts);
  requests_from_json ((const char *) sqlite3_column_text (stmt, 7), &report->requests);
  report->message = bcs_sync_store_column_dup (stmt, 8);
  return report;
}

GPtrArray *
bcs_sync_store_list_runs_sync (BcsSyncStore  *self,
                               guint          limit,
                               GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) runs = NULL;
  int rc;

  g_return_val_if_fail (BCS_IS_SYNC_STORE (self), NULL);
  stmt = bcs_sync_store_prepare (self, "SELECT " RUN_COLUMNS " FROM runs ORDER BY id DESC LIMIT ?",
                                 error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, limit > 0 ? (gint64) limit : -1);
  runs = g_ptr_array_new_with_free_func ((GDestroyNotify) bcs_sync_report_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (runs, run_from_row (stmt));
  if (rc != SQLITE_DONE)
    {
      bcs_sync_store_set_error (self->db, self->path, _("Could not read the run history"), error);
      return NULL;
    }
  return g_steal_pointer (&runs);
}

BcsSyncReport *
bcs_sync_store_get_run_sync (BcsSyncStore  *self,
                             gint64         run_id,
                             GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (BCS_IS_SYNC_STORE (self), NULL);
  stmt = bcs_sync_store_prepare (self, "SELECT " RUN_COLUMNS " FROM runs WHERE id = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, run_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return run_from_row (stmt);
  if (rc != SQLITE_DONE)
    bcs_sync_store_set_error (self->db, self->path, _("Could not read the run history"), error);
  return NULL;
}

BcsSyncReport *
bcs_sync_store_get_last_run_sync (BcsSyncStore  *self,
                                  gboolean       with_results,
                                  GError       **error)
{
  g_autoptr(GPtrArray) runs = NULL;
  g_autoptr(GPtrArray) results = NULL;
  BcsSyncReport *report;

  g_return_val_if_fail (BCS_IS_SYNC_STORE (self), NULL);
  runs = bcs_sync_store_list_runs_sync (self, 1, error);
  if (runs == NULL || runs->len == 0)
    return NULL;
  report = g_ptr_array_steal_index (runs, 0);
  if (!with_results)
    return report;
  results = bcs_sync_store_get_results_sync (self, report->id, 0, 0, error);
  if (results == NULL)
    {
      bcs_sync_report_free (report);
      return NULL;
    }
  g_ptr_array_unref (report->results);
  report->results = g_steal_pointer (&results);
  return report;
}

GPtrArray *
bcs_sync_store_get_results_sync (BcsSyncStore  *self,
                                 gint64         run_id,
                                 guint          offset,
                                 guint          limit,
                                 GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) results = bcs_sync_results_new ();
  int rc;

  g_return_val_if_fail (BCS_IS_SYNC_STORE (self), NULL);
  stmt = bcs_sync_store_prepare (self,
                                 "SELECT name, email, bc_id, bc_number, outlook_id, direction, "
                                 "action, outcome, reason, fields, changes FROM results "
                                 "WHERE run_id = ? "
                                 "ORDER BY rowid LIMIT ? OFFSET ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, run_id);
  sqlite3_bind_int64 (stmt, 2, limit > 0 ? (gint64) limit : -1);
  sqlite3_bind_int64 (stmt, 3, offset);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      BcsSyncResult *r = bcs_sync_result_new ();
      int direction = bcs_sync_direction_from_string ((const char *) sqlite3_column_text (stmt, 5));
      int action = bcs_sync_result_action_from_string ((const char *) sqlite3_column_text (stmt, 6));
      int outcome = bcs_sync_outcome_from_string ((const char *) sqlite3_column_text (stmt, 7));
      const char *fields = (const char *) sqlite3_column_text (stmt, 9);

      r->name = bcs_sync_store_column_dup (stmt, 0);
      r->email = bcs_sync_store_column_dup (stmt, 1);
      r->bc_id = bcs_sync_store_column_dup (stmt, 2);
      r->bc_number = bcs_sync_store_column_dup (stmt, 3);
      r->outlook_id = bcs_sync_store_column_dup (stmt, 4);
      r->direction = direction >= 0 ? direction : BCS_SYNC_DIRECTION_NONE;
      r->action = action >= 0 ? action : BCS_SYNC_RESULT_SKIP;
      r->outcome = outcome >= 0 ? outcome : BCS_SYNC_OUTCOME_FAILED;
      r->reason = bcs_sync_store_column_dup (stmt, 8);
      r->changes = bcs_sync_store_column_dup (stmt, 10);
      if (fields != NULL && *fields != '\0')
        {
          g_auto(GStrv) names = g_strsplit (fields, ",", -1);
          for (guint i = 0; names[i] != NULL; i++)
            {
              int field = bcs_contact_field_from_string (names[i]);
              if (field >= 0)
                r->fields |= BCS_FIELD_MASK (field);
            }
        }
      g_ptr_array_add (results, r);
    }
  if (rc != SQLITE_DONE)
    {
      bcs_sync_store_set_error (self->db, self->path, _("Could not read the results"), error);
      return NULL;
    }
  return g_steal_pointer (&results);
}
