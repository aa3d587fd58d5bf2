/* bcs-sync-engine.c — one run from the lock to the report */
#define G_LOG_DOMAIN "bcs-sync"

#include "config.h"

#include <glib/gi18n.h>

#include "bcs-error.h"
#include "bcs-json.h"
#include "bcs-sync-engine-private.h"

struct _BcsSyncEngine
{
  GObject parent_instance;

  BcsProfile *profile;
  char *profile_name;
  char *store_path;
  char *authority;
  char *graph_url;
  char *bc_root_url;
  char *bc_api_url;
  char *company_id;
  char *folder_name;
  GVariant *filter;
  BcsSyncSettings settings;
  guint history_runs;
  gboolean first_company;
  double backoff_base;
  double backoff_cap;

  BcsSyncProviderFunc provider_func;
  gpointer provider_data;
  GDestroyNotify provider_destroy;

  BcsSyncProgressFunc progress_func;
  gpointer progress_data;
  GDestroyNotify progress_destroy;
  GMainContext *progress_context;
};

G_DEFINE_FINAL_TYPE (BcsSyncEngine, bcs_sync_engine, G_TYPE_OBJECT)

static void
bcs_sync_engine_finalize (GObject *object)
{
  BcsSyncEngine *self = BCS_SYNC_ENGINE (object);

  if (self->provider_destroy != NULL)
    self->provider_destroy (self->provider_data);
  if (self->progress_destroy != NULL)
    self->progress_destroy (self->progress_data);
  g_clear_pointer (&self->progress_context, g_main_context_unref);
  g_clear_object (&self->profile);
  g_free (self->profile_name);
  g_free (self->store_path);
  g_free (self->authority);
  g_free (self->graph_url);
  g_free (self->bc_root_url);
  g_free (self->bc_api_url);
  g_free (self->company_id);
  g_free (self->folder_name);
  g_clear_pointer (&self->filter, g_variant_unref);

  G_OBJECT_CLASS (bcs_sync_engine_parent_class)->finalize (object);
}

static void
bcs_sync_engine_class_init (BcsSyncEngineClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = bcs_sync_engine_finalize;
}

static void
bcs_sync_engine_init (BcsSyncEngine *self)
{
  self->backoff_base = 1.0;
  self->backoff_cap = 60.0;
}

BcsSyncEngine *
bcs_sync_engine_new (BcsProfile *profile)
{
  BcsSyncEngine *self = g_object_new (BCS_TYPE_SYNC_ENGINE, NULL);
  GSettings *settings = bcs_profile_get_settings (profile);
  int history;

  self->profile = g_object_ref (profile);
  self->profile_name = g_strdup (bcs_profile_get_name (profile));
  self->store_path = bcs_profile_dup_store_path (profile);
  self->authority = bcs_profile_dup_authority (profile);
  self->graph_url = bcs_profile_dup_graph_url (profile);
  self->bc_root_url = bcs_profile_dup_bc_root_url (profile);
  self->bc_api_url = bcs_profile_dup_bc_api_url (profile);
  self->company_id = bcs_profile_dup_company_id (profile);
  self->folder_name = bcs_profile_dup_folder_name (profile);
  self->filter = g_settings_get_value (settings, "filter");
  bcs_sync_settings_init (&self->settings);
  bcs_sync_settings_load (&self->settings, settings);
  history = g_settings_get_int (settings, "history-runs");
  self->history_runs = history > 0 ? (guint) history : 0;

  return self;
}

void
bcs_sync_engine_set_provider_func (BcsSyncEngine       *self,
                                   BcsSyncProviderFunc  func,
                                   gpointer             user_data,
                                   GDestroyNotify       destroy)
{
  if (self->provider_destroy != NULL)
    self->provider_destroy (self->provider_data);
  self->provider_func = func;
  self->provider_data = user_data;
  self->provider_destroy = destroy;
}

void
bcs_sync_engine_set_progress_func (BcsSyncEngine       *self,
                                   BcsSyncProgressFunc  func,
                                   gpointer             user_data,
                                   GDestroyNotify       destroy)
{
  if (self->progress_destroy != NULL)
    self->progress_destroy (self->progress_data);
  self->progress_func = func;
  self->progress_data = user_data;
  self->progress_destroy = destroy;
  g_clear_pointer (&self->progress_context, g_main_context_unref);
  self->progress_context = g_main_context_ref_thread_default ();
}

void
bcs_sync_engine_set_store_path (BcsSyncEngine *self,
                                const char    *path)
{
  g_free (self->store_path);
  self->store_path = g_strdup (path);
}

void
bcs_sync_engine_set_backoff (BcsSyncEngine *self,
                             double         base_seconds,
                             double         cap_seconds)
{
  self->backoff_base = base_seconds;
  self->backoff_cap = cap_seconds;
}

void
bcs_sync_engine_set_default_company (BcsSyncEngine *self,
                                     gboolean       first_company)
{
  self->first_company = first_company;
}

/* ---- progress ---- */

typedef struct {
  BcsSyncEngine *engine;
  BcsSyncProgress progress;
} ProgressCall;

static gboolean
deliver_progress (gpointer user_data)
{
  ProgressCall *call = user_data;

  if (call->engine->progress_func != NULL)
    call->engine->progress_func (&call->progress, call->engine->progress_data);
  return G_SOURCE_REMOVE;
}

static void
progress_call_free (gpointer user_data)
{
  ProgressCall *call = user_data;

  g_object_unref (call->engine);
  g_free (call);
}

static void
emit_progress (BcsSyncEngine         *self,
               const BcsSyncProgress *progress)
{
  ProgressCall *call;

  if (self->progress_func == NULL)
    return;
  call = g_new0 (ProgressCall, 1);
  call->engine = g_object_ref (self);
  call->progress = *progress;
  g_main_context_invoke_full (self->progress_context, G_PRIORITY_DEFAULT,
                              deliver_progress, call, progress_call_free);
}

void
bcs_sync_run_progress (BcsSyncRun   *run,
                       BcsSyncPhase  phase,
                       guint         done,
                       guint         total)
{
  BcsSyncProgress progress = { phase, done, total, 0, BCS_SERVICE_GRAPH };

  emit_progress (run->engine, &progress);
}

static void
on_http_waiting (BcsHttp    *http,
                 guint       service,
                 guint       status,
                 double      seconds,
                 const char *message,
                 gpointer    user_data)
{
  BcsSyncRun *run = user_data;
  BcsSyncProgress progress = { BCS_SYNC_PHASE_WAITING, run->n_done, run->n_total,
                               seconds, (BcsService) service };

  g_debug ("waiting %.1f s for %s (status %u)", seconds,
           bcs_service_to_string ((BcsService) service), status);
  emit_progress (run->engine, &progress);
}

char *
bcs_sync_progress_describe (const BcsSyncProgress *progress)
{
  switch (progress->phase)
    {
    case BCS_SYNC_PHASE_STARTING:
      return g_strdup (_("Starting…"));
    case BCS_SYNC_PHASE_READING_BC:
      return g_strdup (_("Reading Business Central contacts…"));
    case BCS_SYNC_PHASE_READING_OUTLOOK:
      return g_strdup (_("Reading Outlook contacts…"));
    case BCS_SYNC_PHASE_PLANNING:
      return g_strdup (_("Planning…"));
    case BCS_SYNC_PHASE_WRITING:
      /* TRANSLATORS: progress; the first %u is done, the second the total */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Writing: %u of %u contact",
                                           "Writing: %u of %u contacts", progress->total),
                              progress->done, progress->total);
    case BCS_SYNC_PHASE_WAITING:
      /* TRANSLATORS: %s is "Microsoft 365" or "Business Central", %.0f seconds */
      return g_strdup_printf (_("%s asked us to wait — resuming in %.0f s"),
                              progress->service == BCS_SERVICE_BC ? "Business Central" : "Microsoft 365",
                              progress->wait_seconds);
    case BCS_SYNC_PHASE_FINISHING:
    default:
      return g_strdup (_("Saving…"));
    }
}

/* ---- waiting on the worker's context ---- */

GAsyncResult *
bcs_sync_run_wait (BcsSyncRun *run,
                   BcsWaiter  *waiter)
{
  return bcs_waiter_wait (waiter, run->context);
}

gboolean
bcs_sync_run_check_cancelled (BcsSyncRun  *run,
                              GError     **error)
{
  if (!g_cancellable_is_cancelled (run->cancellable))
    return TRUE;
  g_set_error_literal (error, BCS_ERROR, BCS_ERROR_CANCELLED, _("The sync was cancelled."));
  return FALSE;
}

JsonObject *
bcs_sync_run_graph_send (BcsSyncRun      *run,
                         BcsHttpRequest  *request,
                         GError         **error)
{
  g_auto(BcsWaiter) waiter = BCS_WAITER_INIT;

  bcs_graph_client_send_async (run->graph, request, run->cancellable, bcs_waiter_done, &waiter);
  return bcs_graph_client_send_finish (run->graph, bcs_sync_run_wait (run, &waiter), error);
}

GPtrArray *
bcs_sync_run_bc_list (BcsSyncRun  *run,
                      const char  *filter,
                      GError     **error)
{
  g_auto(BcsWaiter) waiter = BCS_WAITER_INIT;

  bcs_bc_client_list_contacts_async (run->bc, run->company_id, filter, NULL, 0,
                                     run->cancellable, bcs_waiter_done, &waiter);
  return bcs_bc_client_list_contacts_finish (run->bc, bcs_sync_run_wait (run, &waiter), error);
}

gboolean
bcs_sync_run_bc_each (BcsSyncRun    *run,
                      const char    *filter,
                      BcsBcRowFunc   row_func,
                      gpointer       row_data,
                      GError       **error)
{
  g_auto(BcsWaiter) waiter = BCS_WAITER_INIT;

  bcs_bc_client_list_contacts_each_async (run->bc, run->company_id, filter, NULL,
                                          BCS_SYNC_BC_PAGE_SIZE, row_func, row_data,
                                          run->cancellable, bcs_waiter_done, &waiter);
  return bcs_bc_client_list_contacts_each_finish (run->bc, bcs_sync_run_wait (run, &waiter), error);
}

/* ---- setting up ---- */

static gboolean
pick_company (BcsSyncRun  *run,
              GError     **error)
{
  g_auto(BcsWaiter) waiter = BCS_WAITER_INIT;
  g_autoptr(GPtrArray) companies = NULL;
  JsonObject *first;

  if (run->engine->company_id != NULL && *run->engine->company_id != '\0')
    {
      run->company_id = g_strdup (run->engine->company_id);
      return TRUE;
    }
  if (!run->engine->first_company)
    {
      g_set_error (error, BCS_ERROR, BCS_ERROR_NOT_CONFIGURED,
                   _("No Business Central company is chosen for profile “%s”. Choose one in the "
                     "setup first."), run->engine->profile_name);
      return FALSE;
    }

  bcs_bc_client_list_companies_async (run->bc, run->cancellable, bcs_waiter_done, &waiter);
  companies = bcs_bc_client_list_companies_finish (run->bc, bcs_sync_run_wait (run, &waiter), error);
  if (companies == NULL)
    return FALSE;
  if (companies->len == 0 || bcs_json_get_string (first = companies->pdata[0], "id") == NULL)
    {
      g_set_error_literal (error, BCS_ERROR, BCS_ERROR_NOT_CONFIGURED,
                           _("Business Central has no company to sync with."));
      return FALSE;
    }
  run->company_id = g_strdup (bcs_json_get_string (first, "id"));
  return TRUE;
}

static gboolean
find_folder (BcsSyncRun  *run,
             GError     **error)
{
  g_auto(BcsWaiter) waiter = BCS_WAITER_INIT;
  GError *local_error = NULL;

  if (run->settings.dry_run)
    {
      /* A dry run creates nothing: without the folder, Outlook is empty */
      bcs_graph_client_find_folder_async (run->graph, run->folder_name, run->cancellable,
                                          bcs_waiter_done, &waiter);
      run->folder_id = bcs_graph_client_find_folder_finish (run->graph, bcs_sync_run_wait (run, &waiter),
                                                            &local_error);
    }
  else
    {
      bcs_graph_client_ensure_folder_async (run->graph, run->folder_name, run->cancellable,
                                            bcs_waiter_done, &waiter);
      run->folder_id = bcs_graph_client_ensure_folder_finish (run->graph,
                                                              bcs_sync_run_wait (run, &waiter),
                                                              NULL, &local_error);
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  return TRUE;
}

static gboolean
prepare_filter (BcsSyncRun  *run,
                GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  int error_field = -1;

  run->filter = bcs_contact_filter_new_from_variant (run->engine->filter, &error_field, NULL,
                                                     &local_error);
  if (run->filter == NULL)
    {
      g_set_error (error, BCS_ERROR, BCS_ERROR_NOT_CONFIGURED,
                   _("The contact filter of profile “%s” is not valid: %s"),
                   run->engine->profile_name, local_error->message);
      return FALSE;
    }
  run->filter_text = g_variant_print (run->engine->filter, FALSE);
  run->odata_filter = bcs_contact_filter_to_odata (run->filter, &run->filter_exact);
  return TRUE;
}

static void
run_clear (BcsSyncRun *run)
{
  if (run->http != NULL)
    {
      bcs_sync_run_drop_prefetch (run);
      g_signal_handlers_disconnect_by_data (run->http, run);
    }
  g_clear_object (&run->store);
  g_clear_object (&run->graph);
  g_clear_object (&run->bc);
  g_clear_object (&run->provider);
  g_clear_object (&run->http);
  g_clear_pointer (&run->company_id, g_free);
  g_clear_pointer (&run->folder_id, g_free);
  g_clear_pointer (&run->folder_name, g_free);
  g_clear_pointer (&run->filter, bcs_contact_filter_free);
  g_clear_pointer (&run->filter_text, g_free);
  g_clear_pointer (&run->odata_filter, g_free);
  g_clear_pointer (&run->pairs, g_ptr_array_unref);
  g_clear_pointer (&run->pair_keys, g_ptr_array_unref);
  g_clear_pointer (&run->pair_rows, g_ptr_array_unref);
  g_clear_pointer (&run->pairs_by_outlook, g_hash_table_unref);
  g_clear_pointer (&run->bc_contacts, g_ptr_array_unref);
  g_clear_pointer (&run->bc_ids, g_hash_table_unref);
  g_clear_pointer (&run->bc_outside, g_hash_table_unref);
  g_clear_pointer (&run->outlook_contacts, g_ptr_array_unref);
  g_clear_pointer (&run->outlook_raw, g_hash_table_unref);
  g_clear_pointer (&run->outlook_removed, g_ptr_array_unref);
  g_clear_pointer (&run->intents, g_ptr_array_unref);
  g_clear_pointer (&run->next_delta_link, g_free);
  g_clear_pointer (&run->next_watermark, g_free);
  g_clear_object (&run->cancellable);
}

GHashTable *
bcs_sync_run_pairs_by_outlook (BcsSyncRun *run)
{
  if (run->pairs_by_outlook != NULL)
    return run->pairs_by_outlook;
  run->pairs_by_outlook = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < run->pairs->len; i++)
    {
      BcsSyncPair *pair = run->pairs->pdata[i];

      if (pair->outlook_id != NULL)
        g_hash_table_insert (run->pairs_by_outlook, pair->outlook_id, pair);
    }
  return run->pairs_by_outlook;
}

typedef struct {
  char         *path;
  char         *profile_name;
  GMainContext *context;
  GPtrArray    *keys;
  GError       *error;
  int           done;
} KeysLoad;

/* A thread of its own, with a store of its own (one per thread): the
 * run's thread meanwhile takes the answers of the prefetched requests */
static gpointer
load_keys_thread (gpointer user_data)
{
  KeysLoad *load = user_data;
  g_autoptr(BcsSyncStore) store = bcs_sync_store_open_sync (load->path, load->profile_name,
                                                            &load->error);

  if (store != NULL)
    load->keys = bcs_sync_store_list_pair_keys_sync (store, &load->error);
  g_atomic_int_set (&load->done, 1);
  g_main_context_wakeup (load->context);
  return NULL;
}

static GPtrArray *
load_pair_keys (BcsSyncRun  *run,
                GError     **error)
{
  KeysLoad load = { 0 };
  GThread *thread;

  load.path = g_strdup (bcs_sync_store_get_path (run->store));
  load.profile_name = run->engine->profile_name;
  load.context = run->context;
  thread = g_thread_new ("bcs-pairs", load_keys_thread, &load);
  while (!g_atomic_int_get (&load.done))
    g_main_context_iteration (run->context, TRUE);
  g_thread_join (thread);
  g_free (load.path);
  if (load.keys == NULL)
    g_propagate_error (error, load.error);
  return load.keys;
}

/* Full mode: every pair in full. Incremental: their ids only
 * (complete_pairs() reads in full the few that the run touches) */
static gboolean
load_pairs (BcsSyncRun  *run,
            GError     **error)
{
  g_clear_pointer (&run->pairs, g_ptr_array_unref);
  g_clear_pointer (&run->pair_keys, g_ptr_array_unref);
  if (run->fresh_scope)
    run->pairs = bcs_sync_pairs_new ();  /* a dry run in a new scope: nothing is paired yet */
  else if (run->settings.mode == BCS_SYNC_MODE_INCREMENTAL)
    {
      run->pair_keys = load_pair_keys (run, error);
      if (run->pair_keys != NULL)
        run->pairs = g_ptr_array_ref (run->pair_keys);
    }
  else
    run->pairs = bcs_sync_store_list_pairs_sync (run->store, error);
  g_clear_pointer (&run->pairs_by_outlook, g_hash_table_unref);
  return run->pairs != NULL;
}

static GHashTable *
id_set (void)
{
  return g_hash_table_new (g_str_hash, g_str_equal);
}

static gboolean
read_all_pairs (BcsSyncRun  *run,
                GError     **error)
{
  g_debug ("reading every pair in full");
  g_clear_pointer (&run->pairs_by_outlook, g_hash_table_unref);
  g_clear_pointer (&run->pairs, g_ptr_array_unref);
  g_clear_pointer (&run->pair_keys, g_ptr_array_unref);
  run->pairs = bcs_sync_store_list_pairs_sync (run->store, error);
  return run->pairs != NULL;
}

/* Incremental: the planner only counts a pair that nothing read touches
 * (neither side changed, none removed, no open intent), and for that needs
 * its ids alone. Every other pair is read in full here; all of them when an
 * unpaired Outlook contact with an e-mail is new (the planner then compares
 * its e-mail with the last-synced e-mails of every pair) or when Outlook
 * was read in full. */
static gboolean
complete_pairs (BcsSyncRun  *run,
                GError     **error)
{
  g_autoptr(GHashTable) bc_read = id_set ();
  g_autoptr(GHashTable) outlook_read = id_set ();
  g_autoptr(GHashTable) touched = id_set ();
  g_autoptr(GPtrArray) planned = NULL;

  if (run->pair_keys == NULL)
    return TRUE;  /* full mode, or nothing paired yet */
  if (run->outlook_full)
    return read_all_pairs (run, error);

  for (guint i = 0; i < run->outlook_contacts->len; i++)
    {
      BcsContact *o = run->outlook_contacts->pdata[i];

      if (o->email != NULL && (o->outlook_id == NULL ||
                               !g_hash_table_contains (bcs_sync_run_pairs_by_outlook (run), o->outlook_id)))
        return read_all_pairs (run, error);
      if (o->outlook_id != NULL)
        g_hash_table_add (outlook_read, o->outlook_id);
    }
  for (guint i = 0; i < run->bc_contacts->len; i++)
    g_hash_table_add (bc_read, ((BcsContact *) run->bc_contacts->pdata[i])->bc_id);
  for (guint i = 0; i < run->outlook_removed->len; i++)
    g_hash_table_add (outlook_read, run->outlook_removed->pdata[i]);
  for (guint i = 0; i < run->intents->len; i++)
    {
      BcsSyncIntent *intent = run->intents->pdata[i];

      if (intent->bc_id != NULL)
        g_hash_table_add (bc_read, intent->bc_id);
      if (intent->outlook_id != NULL)
        g_hash_table_add (outlook_read, intent->outlook_id);
    }

  for (guint i = 0; i < run->pair_keys->len; i++)
    {
      BcsSyncPair *key = run->pair_keys->pdata[i];

      if (key->bc_id == NULL)
        return read_all_pairs (run, error);
      if (key->outlook_id == NULL ||
          g_hash_table_contains (bc_read, key->bc_id) ||
          g_hash_table_contains (outlook_read, key->outlook_id) ||
          (run->bc_ids != NULL && !g_hash_table_contains (run->bc_ids, key->bc_id)))
        g_hash_table_add (touched, key->bc_id);
    }
  /* Many: one listing beats a query each */
  if (g_hash_table_size (touched) > 2000 && g_hash_table_size (touched) > run->pair_keys->len / 16)
    return read_all_pairs (run, error);

  run->pair_rows = bcs_sync_pairs_new ();
  planned = g_ptr_array_new_full (run->pair_keys->len, NULL);
  for (guint i = 0; i < run->pair_keys->len; i++)
    {
      BcsSyncPair *key = run->pair_keys->pdata[i];
      g_autoptr(GError) local_error = NULL;
      BcsSyncPair *full;

      if (!g_hash_table_contains (touched, key->bc_id))
        {
          g_ptr_array_add (planned, key);
          continue;
        }
      full = bcs_sync_store_get_pair_by_bc_id_sync (run->store, key->bc_id, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      if (full == NULL)
        return read_all_pairs (run, error);  /* gone meanwhile: cannot happen under the lock */
      g_ptr_array_add (run->pair_rows, full);
      g_ptr_array_add (planned, full);
    }
  g_debug ("%u of %u pairs read in full", run->pair_rows->len, run->pair_keys->len);
  g_clear_pointer (&run->pairs_by_outlook, g_hash_table_unref);
  g_clear_pointer (&run->pairs, g_ptr_array_unref);
  run->pairs = g_steal_pointer (&planned);
  return TRUE;
}

/* What was read is in the plan now (the actions hold their own copies):
 * let it go before the writes (100,000 contacts). Outlook's raw objects
 * stay: updates send Outlook's other addresses and phones back. */
static void
release_read_state (BcsSyncRun *run)
{
  g_clear_pointer (&run->pairs_by_outlook, g_hash_table_unref);
  g_clear_pointer (&run->pairs, g_ptr_array_unref);
  g_clear_pointer (&run->pair_keys, g_ptr_array_unref);
  g_clear_pointer (&run->pair_rows, g_ptr_array_unref);
  g_clear_pointer (&run->bc_contacts, g_ptr_array_unref);
  g_clear_pointer (&run->bc_ids, g_hash_table_unref);
  g_clear_pointer (&run->bc_outside, g_hash_table_unref);
  g_clear_pointer (&run->outlook_contacts, g_ptr_array_unref);
  g_clear_pointer (&run->outlook_removed, g_ptr_array_unref);
}

/* Everything between the lock and the plan's execution. Returns the plan. */
static BcsSyncPlan *
read_and_plan (BcsSyncRun  *run,
               GError     **error)
{
  g_autofree char *delta_link = NULL;
  g_autofree char *watermark = NULL;
  g_autofree char *stored_filter = NULL;
  BcsSyncSnapshot snapshot = { 0 };
  BcsSyncPlan *plan;

  bcs_sync_run_progress (run, BCS_SYNC_PHASE_STARTING, 0, 0);
  if (!pick_company (run, error) || !find_folder (run, error))
    return NULL;

  if (!bcs_sync_store_scope_matches (run->store, run->company_id, run->folder_id))
    {
      g_message ("company or folder changed: starting fresh");
      if (!run->settings.dry_run &&
          !bcs_sync_store_reset_scope_sync (run->store, run->company_id, run->folder_id,
                                            run->folder_name, error))
        return NULL;
      run->settings.mode = BCS_SYNC_MODE_FULL;
      run->fresh_scope = run->settings.dry_run;
    }
  else if (!run->settings.dry_run)
    {
      if (!bcs_sync_store_set_meta_sync (run->store, BCS_SYNC_META_COMPANY_ID, run->company_id, error) ||
          !bcs_sync_store_set_meta_sync (run->store, BCS_SYNC_META_FOLDER_ID, run->folder_id, error) ||
          !bcs_sync_store_set_meta_sync (run->store, BCS_SYNC_META_FOLDER_NAME, run->folder_name, error))
        return NULL;
    }

  delta_link = bcs_sync_store_get_meta_sync (run->store, BCS_SYNC_META_DELTA_LINK, NULL);
  watermark = bcs_sync_store_get_meta_sync (run->store, BCS_SYNC_META_BC_WATERMARK, NULL);
  stored_filter = bcs_sync_store_get_meta_sync (run->store, BCS_SYNC_META_FILTER, NULL);
  if (run->settings.mode == BCS_SYNC_MODE_INCREMENTAL &&
      (delta_link == NULL || watermark == NULL || g_strcmp0 (stored_filter, run->filter_text) != 0))
    {
      /* Nothing to be incremental from, or another filter: read everything */
      g_message ("no previous sync state for this filter: syncing in full");
      run->settings.mode = BCS_SYNC_MODE_FULL;
    }
  run->report->mode = run->settings.mode;

  g_debug ("resolving open intents");
  if (!run->settings.dry_run && !bcs_sync_run_resolve_intents (run, error))
    return NULL;
  if (run->intents == NULL &&
      (run->intents = bcs_sync_store_list_intents_sync (run->store, error)) == NULL)
    return NULL;
  g_debug ("loading the pairs");
  /* The two slow answers of an incremental run come while the pairs load */
  bcs_sync_run_prefetch (run, delta_link);
  if (!load_pairs (run, error))
    return NULL;
  g_debug ("loaded %u pairs", run->pairs->len);
  if (!bcs_sync_run_check_cancelled (run, error))
    return NULL;

  bcs_sync_run_progress (run, BCS_SYNC_PHASE_READING_BC, 0, 0);
  if (!bcs_sync_run_read_bc (run, watermark, error))
    return NULL;
  bcs_sync_run_progress (run, BCS_SYNC_PHASE_READING_OUTLOOK, 0, 0);
  if (!bcs_sync_run_read_outlook (run, delta_link, error))
    return NULL;
  if (run->settings.mode == BCS_SYNC_MODE_INCREMENTAL && !bcs_sync_run_read_bc_by_email (run, error))
    return NULL;
  if (!bcs_sync_run_check_cancelled (run, error) || !complete_pairs (run, error))
    return NULL;

  bcs_sync_run_progress (run, BCS_SYNC_PHASE_PLANNING, 0, 0);
  snapshot.pairs = run->pairs;
  snapshot.bc_contacts = run->bc_contacts;
  snapshot.bc_ids = run->settings.mode == BCS_SYNC_MODE_INCREMENTAL ? run->bc_ids : NULL;
  snapshot.bc_outside_filter = run->bc_outside;
  snapshot.outlook_contacts = run->outlook_contacts;
  snapshot.outlook_removed = run->outlook_removed;
  snapshot.intents = run->intents;
  plan = bcs_sync_planner_plan (&snapshot, &run->settings);
  release_read_state (run);
  return plan;
}

static void
collect_requests (BcsSyncRun *run)
{
  if (run->http == NULL)
    return;
  run->report->requests.login = bcs_http_get_request_count (run->http, BCS_SERVICE_LOGIN);
  run->report->requests.graph = bcs_http_get_request_count (run->http, BCS_SERVICE_GRAPH);
  run->report->requests.bc = bcs_http_get_request_count (run->http, BCS_SERVICE_BC);
}

/* Records the end of the run in the store (history and results) */
static void
finish_report (BcsSyncRun *run)
{
  g_autoptr(GError) error = NULL;

  collect_requests (run);
  run->report->finished_at = g_get_real_time () / G_USEC_PER_SEC;
  if (run->store == NULL || run->report->id == 0)
    return;
  if (!bcs_sync_store_add_results_sync (run->store, run->report->id, run->report->results, &error) ||
      !bcs_sync_store_finish_run_sync (run->store, run->report, run->engine->history_runs, &error))
    g_warning ("Could not record the run in %s: %s",
               bcs_sync_store_get_path (run->store), error->message);
}

static void
advance_state (BcsSyncRun *run)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *caught_up = NULL;

  /* Only a run without failures moves on: a failed contact is read again */
  if (run->report->counts.failed > 0 || g_cancellable_is_cancelled (run->cancellable))
    return;

  bcs_sync_run_progress (run, BCS_SYNC_PHASE_FINISHING, 0, 0);
  /* Our own Outlook writes come back in the next delta round: read past
   * them now, so that a sync with nothing new stays a few requests */
  if (run->next_delta_link != NULL && run->n_outlook_writes > 0)
    caught_up = bcs_sync_run_catch_up_delta (run);
  if ((run->next_delta_link != NULL &&
       !bcs_sync_store_set_meta_sync (run->store, BCS_SYNC_META_DELTA_LINK,
                                      caught_up != NULL ? caught_up : run->next_delta_link, &error)) ||
      (run->next_watermark != NULL &&
       !bcs_sync_store_set_meta_sync (run->store, BCS_SYNC_META_BC_WATERMARK,
                                      run->next_watermark, &error)) ||
      !bcs_sync_store_set_meta_sync (run->store, BCS_SYNC_META_FILTER, run->filter_text, &error))
    g_warning ("Could not save the sync state in %s: %s",
               bcs_sync_store_get_path (run->store), error->message);
}

static void
note_delta_expired (BcsSyncRun *run)
{
  const char *note = _("Outlook no longer knew the last sync point: every Outlook contact was read again.");

  if (!run->delta_expired)
    return;
  if (run->report->message == NULL)
    run->report->message = g_strdup (note);
  else
    {
      char *joined = g_strconcat (run->report->message, " ", note, NULL);

      g_free (run->report->message);
      run->report->message = joined;
    }
}

/* GIO's "Operation was cancelled" from a cancelled request is the user's cancel */
static void
normalize_cancel (BcsSyncRun  *run,
                  GError     **error)
{
  if (*error != NULL && g_error_matches (*error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_clear_error (error);
      g_set_error_literal (error, BCS_ERROR, BCS_ERROR_CANCELLED, _("The sync was cancelled."));
    }
}

static gboolean
run_locked (BcsSyncRun  *run,
            GError     **error)
{
  g_autoptr(BcsSyncPlan) plan = NULL;
  g_autoptr(GError) local_error = NULL;

  plan = read_and_plan (run, &local_error);
  normalize_cancel (run, &local_error);
  if (plan == NULL)
    {
      run->report->outcome = g_error_matches (local_error, BCS_ERROR, BCS_ERROR_CANCELLED)
                             ? BCS_SYNC_RUN_CANCELLED : BCS_SYNC_RUN_FAILED;
      run->report->message = g_strdup (local_error->message);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  note_delta_expired (run);

  if (bcs_sync_plan_is_braked (plan))
    {
      bcs_sync_plan_fill_report (plan, run->report, BCS_SYNC_OUTCOME_PLANNED);
      run->report->outcome = BCS_SYNC_RUN_BRAKED;
      g_free (run->report->message);
      run->report->message = bcs_sync_plan_dup_brake_message (plan);
      g_set_error_literal (error, BCS_ERROR, BCS_ERROR_BRAKE,
                           run->report->message != NULL ? run->report->message
                                                        : _("The safety brake stopped the sync."));
      return FALSE;
    }

  if (run->settings.dry_run)
    {
      bcs_sync_plan_fill_report (plan, run->report, BCS_SYNC_OUTCOME_PLANNED);
      run->report->outcome = BCS_SYNC_RUN_OK;
      return TRUE;
    }

  if (!bcs_sync_run_execute (run, plan, &local_error))
    {
      normalize_cancel (run, &local_error);
      run->report->outcome = g_error_matches (local_error, BCS_ERROR, BCS_ERROR_CANCELLED)
                             ? BCS_SYNC_RUN_CANCELLED : BCS_SYNC_RUN_FAILED;
      g_free (run->report->message);
      run->report->message = g_strdup (local_error->message);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  advance_state (run);
  run->report->outcome = bcs_sync_report_compute_outcome (run->report);
  return TRUE;
}

BcsSyncReport *
bcs_sync_engine_run_sync (BcsSyncEngine  *self,
                          BcsSyncMode     mode,
                          gboolean        dry_run,
                          gboolean        allow_mass_delete,
                          GCancellable   *cancellable,
                          GError        **error)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(BcsSyncReport) report = bcs_sync_report_new (mode, dry_run);
  g_autoptr(GError) local_error = NULL;
  BcsSyncRun run = { 0 };

  g_return_val_if_fail (BCS_IS_SYNC_ENGINE (self), NULL);
  g_return_val_if_fail (self->provider_func != NULL, NULL);

  g_main_context_push_thread_default (context);

  run.engine = self;
  run.context = context;
  run.cancellable = cancellable != NULL ? g_object_ref (cancellable) : g_cancellable_new ();
  run.report = report;
  run.settings = self->settings;
  run.settings.mode = mode;
  run.settings.dry_run = dry_run;
  run.settings.allow_mass_delete = allow_mass_delete;
  run.folder_name = g_strdup (self->folder_name);
  report->started_at = g_get_real_time () / G_USEC_PER_SEC;

  run.http = bcs_http_new ();
  bcs_http_set_base_url (run.http, BCS_SERVICE_LOGIN, self->authority);
  bcs_http_set_base_url (run.http, BCS_SERVICE_GRAPH, self->graph_url);
  bcs_http_set_base_url (run.http, BCS_SERVICE_BC, self->bc_root_url);
  bcs_http_set_backoff (run.http, self->backoff_base, self->backoff_cap);
  g_signal_connect (run.http, "waiting", G_CALLBACK (on_http_waiting), &run);
  run.provider = self->provider_func (run.http, self->provider_data);
  bcs_http_set_token_provider (run.http, BCS_SERVICE_GRAPH, run.provider);
  bcs_http_set_token_provider (run.http, BCS_SERVICE_BC, run.provider);
  run.graph = bcs_graph_client_new (run.http);
  run.bc = bcs_bc_client_new (run.http, self->bc_api_url);

  if (!prepare_filter (&run, &local_error))
    goto out;

  run.store = bcs_sync_store_open_sync (self->store_path, self->profile_name, &local_error);
  if (run.store == NULL || !bcs_sync_store_lock_sync (run.store, &local_error))
    {
      g_clear_object (&run.store);
      goto out;
    }
  if (bcs_sync_store_start_run_sync (run.store, report, &local_error) == 0)
    goto out;

  run_locked (&run, &local_error);
  finish_report (&run);
  bcs_sync_store_unlock (run.store);

out:
  normalize_cancel (&run, &local_error);
  collect_requests (&run);
  if (report->finished_at == 0)
    report->finished_at = g_get_real_time () / G_USEC_PER_SEC;
  if (report->outcome == BCS_SYNC_RUN_RUNNING)
    report->outcome = g_error_matches (local_error, BCS_ERROR, BCS_ERROR_CANCELLED)
                      ? BCS_SYNC_RUN_CANCELLED : BCS_SYNC_RUN_FAILED;
  if (report->message == NULL && local_error != NULL)
    report->message = g_strdup (local_error->message);
  run_clear (&run);
  /* Let libsoup finish its closing work on this context */
  while (g_main_context_iteration (context, FALSE))
    ;
  g_main_context_pop_thread_default (context);

  if (local_error != NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  return g_steal_pointer (&report);
}

int
bcs_sync_exit_code (const BcsSyncReport *report,
                    const GError        *error)
{
  if (error != NULL)
    return bcs_error_exit_code (error);
  if (report == NULL)
    return 2;
  switch (report->outcome)
    {
    case BCS_SYNC_RUN_OK:
      return 0;
    case BCS_SYNC_RUN_BRAKED:
      return 3;
    case BCS_SYNC_RUN_CANCELLED:
      return 4;
    case BCS_SYNC_RUN_PARTIAL:
    case BCS_SYNC_RUN_FAILED:
    case BCS_SYNC_RUN_RUNNING:
    default:
      return report->counts.failed > 0 ? 1 : 2;
    }
}
