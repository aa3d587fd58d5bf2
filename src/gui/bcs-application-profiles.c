/* bcs-application-profiles.c — creating, switching, renaming and removing profiles */
#define G_LOG_DOMAIN "bcs-gui"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n.h>

#include "bcs-application-profiles.h"
#include "bcs-application-profiles-private.h"
#include "bcs-error.h"
#include "bcs-profile.h"
#include "bcs-profile-dialogs.h"
#include "bcs-profile-list.h"
#include "bcs-sync-store.h"
#include "bcs-token-store.h"
#include "bcs-window.h"

#define BUSY_KEY "bcs-application-profiles-busy"

static const char * const token_kinds[] = {
  BCS_TOKEN_KIND_REFRESH,
  BCS_TOKEN_KIND_ACCESS_GRAPH,
  BCS_TOKEN_KIND_ACCESS_BC,
  BCS_TOKEN_KIND_WEB_SERVICE_KEY,
};

static void
toast (BcsApplication *app,
       const char     *message)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  bcs_window_tell (window != NULL ? GTK_WIDGET (window) : NULL, message);
}

gboolean
bcs_application_profiles_is_busy (BcsApplication *app)
{
  g_return_val_if_fail (BCS_IS_APPLICATION (app), FALSE);
  return GPOINTER_TO_INT (g_object_get_data (G_OBJECT (app), BUSY_KEY));
}

static void
set_busy (BcsApplication *app,
          gboolean        busy)
{
  g_object_set_data (G_OBJECT (app), BUSY_KEY, GINT_TO_POINTER (busy));
  bcs_application_profiles_update (app);
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL; l = l->next)
    if (BCS_IS_WINDOW (l->data))
      bcs_window_update_sync_actions (BCS_WINDOW (l->data));
}

void
bcs_application_profiles_update (BcsApplication *app)
{
  const char *current = bcs_application_get_profile (app);
  gboolean busy = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (app), BUSY_KEY));
  /* A demo against a sandbox (--sandbox) never creates, renames or removes
   * profiles: those would change the real setups' list, keyring and stores */
  gboolean demo = bcs_application_get_sandbox_url (app) != NULL;
  GAction *action;

  action = g_action_map_lookup_action (G_ACTION_MAP (app), "profile");
  if (action == NULL)
    return;   /* before startup */
  g_simple_action_set_state (G_SIMPLE_ACTION (action), g_variant_new_string (current));
  g_simple_action_set_enabled (G_SIMPLE_ACTION (action), !busy);

  action = g_action_map_lookup_action (G_ACTION_MAP (app), "new-profile");
  g_simple_action_set_enabled (G_SIMPLE_ACTION (action), !busy && !demo);
  action = g_action_map_lookup_action (G_ACTION_MAP (app), "rename-profile");
  g_simple_action_set_enabled (G_SIMPLE_ACTION (action),
                               !busy && !demo && bcs_profile_list_can_remove (current));
  action = g_action_map_lookup_action (G_ACTION_MAP (app), "remove-profile");
  g_simple_action_set_enabled (G_SIMPLE_ACTION (action),
                               !busy && !demo && bcs_profile_list_can_remove (current));
}

gboolean
bcs_application_create_profile (BcsApplication  *app,
                                const char      *name,
                                GError         **error)
{
  GSettings *settings = bcs_application_get_settings (app);
  g_auto (GStrv) profiles = bcs_application_dup_profiles (app);
  g_auto (GStrv) listed = NULL;
  g_auto (GStrv) clean = NULL;
  g_auto (GStrv) with = NULL;

  if (!bcs_profile_list_check_new_name ((const char * const *) profiles, name, NULL, error))
    return FALSE;
  if (bcs_application_get_sandbox_url (app) != NULL)
    {
      g_set_error_literal (error, BCS_ERROR, BCS_ERROR_NOT_CONFIGURED,
                           _("Profiles cannot be created while trying Contact Sync against the "
                             "sandbox. Start it without --sandbox to add a profile."));
      return FALSE;
    }

  listed = g_settings_get_strv (settings, "profiles");
  clean = bcs_profile_list_normalize ((const char * const *) listed);
  with = bcs_profile_list_add ((const char * const *) clean, name);
  g_settings_set_strv (settings, "profiles", (const char * const *) with);

  return bcs_application_set_profile (app, name, error);
}

/* ---- removing and renaming, in a thread, under the profile's run lock ----
 *
 * The lock is the store's, as a sync takes it (bcs_sync_store_lock_sync):
 * taken before the first change and released after the last, failures
 * included, so a sync started meanwhile from a terminal (bc-contact-sync
 * --sync --profile NAME) is told another process is syncing the profile.
 * A rename gives the store the new name as a second name (hard links)
 * before anything moves: a sync under either name finds the same lock. The
 * old name goes once the settings and the list have changed. */

static BcsProfileOpHook op_hook;
static gpointer op_hook_data;

void
bcs_application_profiles_set_op_hook (BcsProfileOpHook hook,
                                      gpointer         user_data)
{
  op_hook = hook;
  op_hook_data = user_data;
}

/* The tests' hook at STEP (bcs-application-profiles-private.h) */
static gboolean
op_step (const char  *step,
         const char  *detail,
         GError     **error)
{
  return op_hook == NULL || op_hook (step, detail, op_hook_data, error);
}

typedef struct {
  BcsApplication *app;       /* the task's source object */
  GMainContext *context;     /* the caller's: the settings and the list change there */
  BcsProfile *profile;       /* FROM */
  BcsProfile *target;        /* TO; NULL: remove FROM */
  char *from;
  char *to;
  char *next;                /* the profile to show afterwards */
  GMutex mutex;
  GCond cond;
  gboolean applied;          /* the settings and the list changed */
} Op;

static void
op_free (Op *op)
{
  g_main_context_unref (op->context);
  g_clear_object (&op->profile);
  g_clear_object (&op->target);
  g_free (op->from);
  g_free (op->to);
  g_free (op->next);
  g_mutex_clear (&op->mutex);
  g_cond_clear (&op->cond);
  g_free (op);
}

/* The keyring's calls, waited for on the worker's own context: the one
 * callback keeps the result for the caller's _finish() */
static void
on_done (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (g_main_context_get_thread_default (), TRUE);
  return *result;
}

static gboolean
keyring_failed (GError  *local_error,
                GError **error)
{
  g_propagate_prefixed_error (error, local_error, _("The keyring could not be changed: "));
  return FALSE;
}

static void
wipe (char *secret)
{
  if (secret != NULL)
    {
      memset (secret, 0, strlen (secret));
      g_free (secret);
    }
}

/* Copies the items kept under FROM to TO (keyring "profile" attributes) */
static gboolean
move_tokens (const char  *from,
             const char  *to,
             GError     **error)
{
  g_autoptr (BcsTokenStore) source = bcs_token_store_new (from);
  g_autoptr (BcsTokenStore) target = bcs_token_store_new (to);

  for (guint i = 0; i < G_N_ELEMENTS (token_kinds); i++)
    {
      g_autoptr (GAsyncResult) looked_up = NULL;
      g_autoptr (GAsyncResult) stored = NULL;
      GError *local_error = NULL;
      char *secret;

      bcs_token_store_lookup_async (source, token_kinds[i], NULL, on_done, &looked_up);
      secret = bcs_token_store_lookup_finish (source, wait_for (&looked_up), &local_error);
      if (local_error != NULL)
        return keyring_failed (local_error, error);
      if (secret == NULL)
        continue;
      if (!op_step ("store-token", to, &local_error))
        {
          wipe (secret);
          return keyring_failed (local_error, error);
        }
      bcs_token_store_store_async (target, token_kinds[i], secret, NULL, on_done, &stored);
      wipe (secret);
      if (!bcs_token_store_store_finish (target, wait_for (&stored), &local_error))
        return keyring_failed (local_error, error);
    }
  return TRUE;
}

/* Removes every item kept under KEY */
static gboolean
clear_tokens (const char  *key,
              GError     **error)
{
  g_autoptr (BcsTokenStore) tokens = bcs_token_store_new (key);
  g_autoptr (GAsyncResult) cleared = NULL;
  GError *local_error = NULL;

  if (!op_step ("clear-tokens", key, &local_error))
    return keyring_failed (local_error, error);
  bcs_token_store_clear_async (tokens, NULL, NULL, on_done, &cleared);
  if (!bcs_token_store_clear_finish (tokens, wait_for (&cleared), &local_error))
    return keyring_failed (local_error, error);
  return TRUE;
}

/* The sign-in of FROM, the real one and the one it had against a sandbox:
 * moved to TO (renaming) or removed */
static gboolean
hand_over_tokens (Op      *op,
                  GError **error)
{
  for (guint sandbox = 0; sandbox < 2; sandbox++)
    {
      g_autofree char *from = bcs_token_store_dup_key (op->from, sandbox);
      g_autofree char *to = op->to != NULL ? bcs_token_store_dup_key (op->to, sandbox) : NULL;

      if ((to != NULL && !move_tokens (from, to, error)) || !clear_tokens (from, error))
        return FALSE;
    }
  return TRUE;
}

/* A rename that failed on the way: the items go back to the old name, so
 * none is left under a name another profile may take later */
static void
give_tokens_back (Op *op)
{
  for (guint sandbox = 0; sandbox < 2; sandbox++)
    {
      g_autofree char *from = bcs_token_store_dup_key (op->from, sandbox);
      g_autofree char *to = bcs_token_store_dup_key (op->to, sandbox);
      g_autoptr (GError) error = NULL;

      if (!move_tokens (to, from, &error) || !clear_tokens (to, &error))
        g_warning ("Could not move the sign-in of “%s” back: %s", op->from, error->message);
    }
}

/* The run lock of FROM's store, which is created when missing (a sync
 * started meanwhile must find the lock); NULL when a sync holds it */
static BcsSyncStore *
take_lock (Op      *op,
           GError **error)
{
  g_autofree char *path = bcs_profile_dup_store_path (op->profile);
  g_autoptr (BcsSyncStore) store = bcs_sync_store_open_sync (path, op->from, error);

  if (store != NULL && bcs_sync_store_lock_sync (store, error))
    return g_steal_pointer (&store);
  if (op->to != NULL)
    /* TRANSLATORS: %s is the name of a profile; why follows */
    g_prefix_error (error, _("Profile “%s” was not renamed: "), op->from);
  else
    /* TRANSLATORS: %s is the name of a profile; why follows */
    g_prefix_error (error, _("Profile “%s” was not removed: "), op->from);
  return NULL;
}

/* Gives FROM's store files TO's names too. The WAL and its index come
 * before the database, so the database never shows under TO without them.
 * Refused when TO has a store. */
static gboolean
link_store (BcsProfile  *from,
            BcsProfile  *to,
            GError     **error)
{
  static const char * const suffixes[] = { "-wal", "-shm", "" };
  g_autofree char *source = bcs_profile_dup_store_path (from);
  g_autofree char *target = bcs_profile_dup_store_path (to);

  if (g_file_test (target, G_FILE_TEST_EXISTS))
    {
      /* TRANSLATORS: %s is a file */
      g_set_error (error, BCS_ERROR, BCS_ERROR_STORE,
                   _("%s already exists: move it away, then try again."), target);
      return FALSE;
    }
  /* what a store removed half-way left behind would pass for TO's journal */
  if (!bcs_profile_delete_store (to, error))
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *old_file = g_strconcat (source, suffixes[i], NULL);
      g_autofree char *new_file = g_strconcat (target, suffixes[i], NULL);
      int saved_errno;

      if (link (old_file, new_file) == 0 || (errno == ENOENT && *suffixes[i] != '\0'))
        continue;
      saved_errno = errno;
      bcs_profile_delete_store (to, NULL);
      /* TRANSLATORS: the first %s is a file, the second its new name, the third why it failed */
      g_set_error (error, BCS_ERROR, BCS_ERROR_STORE, _("Could not give %s the name %s: %s"),
                   old_file, new_file, g_strerror (saved_errno));
      return FALSE;
    }
  return TRUE;
}

/* Back on the caller's context, the worker waiting with the lock held: the
 * settings and the list */
static void
apply_settings (Op *op)
{
  GSettings *settings = bcs_application_get_settings (op->app);
  g_auto (GStrv) listed = g_settings_get_strv (settings, "profiles");
  g_auto (GStrv) clean = bcs_profile_list_normalize ((const char * const *) listed);
  g_auto (GStrv) changed = NULL;
  g_autofree char *last = NULL;

  if (op->target != NULL)
    bcs_profile_copy_settings (op->profile, op->target);
  bcs_profile_reset_settings (op->profile);

  op->next = op->to != NULL ? g_strdup (op->to)
                            : bcs_profile_list_next_after_removal ((const char * const *) clean, op->from);
  changed = op->to != NULL ? bcs_profile_list_rename ((const char * const *) clean, op->from, op->to)
                           : bcs_profile_list_remove ((const char * const *) clean, op->from);
  g_settings_set_strv (settings, "profiles", (const char * const *) changed);
  last = g_settings_get_string (settings, "last-profile");
  if (g_strcmp0 (last, op->from) == 0)
    g_settings_set_string (settings, "last-profile", op->next);
}

static gboolean
apply_cb (gpointer user_data)
{
  Op *op = user_data;

  apply_settings (op);
  g_mutex_lock (&op->mutex);
  op->applied = TRUE;
  g_cond_signal (&op->cond);
  g_mutex_unlock (&op->mutex);
  return G_SOURCE_REMOVE;
}

static void
apply_in_caller (Op *op)
{
  g_main_context_invoke (op->context, apply_cb, op);
  g_mutex_lock (&op->mutex);
  while (!op->applied)
    g_cond_wait (&op->cond, &op->mutex);
  g_mutex_unlock (&op->mutex);
}

static void
op_thread (GTask        *task,
           gpointer      source_object,
           gpointer      task_data,
           GCancellable *cancellable)
{
  Op *op = task_data;
  g_autoptr (GMainContext) context = g_main_context_new ();
  g_autoptr (BcsSyncStore) lock = NULL;
  GError *error = NULL;
  gboolean linked = FALSE;
  gboolean ok;

  g_main_context_push_thread_default (context);

  lock = take_lock (op, &error);
  ok = lock != NULL && op_step ("locked", op->from, &error);
  if (ok && op->target != NULL)
    ok = linked = link_store (op->profile, op->target, &error);
  if (ok && !hand_over_tokens (op, &error))
    {
      ok = FALSE;
      if (op->to != NULL)
        give_tokens_back (op);
    }
  if (ok)
    {
      apply_in_caller (op);
      /* the store under the old name: removed, or renamed (its new name stays) */
      ok = bcs_profile_delete_store (op->profile, &error);
      op_step ("unlocking", op->to != NULL ? op->to : op->from, NULL);
    }
  else if (linked && !bcs_profile_delete_store (op->target, NULL))
    g_warning ("Could not take the name “%s” from the store of “%s” again", op->to, op->from);
  if (lock != NULL)
    bcs_sync_store_unlock (lock);
  g_clear_object (&lock);

  g_main_context_pop_thread_default (context);
  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
start_op (BcsApplication      *app,
          const char          *from,
          const char          *to,
          gpointer             source_tag,
          GAsyncReadyCallback  callback,
          gpointer             user_data)
{
  g_autoptr (GTask) task = g_task_new (app, NULL, callback, user_data);
  g_autoptr (GError) error = NULL;
  g_autoptr (BcsProfile) profile = bcs_profile_new (from, NULL, &error);
  g_autoptr (BcsProfile) target = NULL;
  g_auto (GStrv) profiles = bcs_application_dup_profiles (app);
  Op *op;

  g_task_set_source_tag (task, source_tag);
  if (profile == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (!bcs_profile_list_can_remove (from))
    {
      g_task_return_new_error (task, BCS_ERROR, BCS_ERROR_INVALID_INPUT,
                               _("The profile “default” cannot be removed or renamed."));
      return;
    }
  if (bcs_application_profiles_is_busy (app))
    {
      g_task_return_new_error (task, BCS_ERROR, BCS_ERROR_BUSY,
                               _("Another profile is being renamed or removed. "
                                 "Wait for it to finish, then try again."));
      return;
    }
  if (to != NULL &&
      (!bcs_profile_list_check_new_name ((const char * const *) profiles, to, from, &error) ||
       (target = bcs_profile_new (to, NULL, &error)) == NULL))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  op = g_new0 (Op, 1);
  op->app = app;
  op->context = g_main_context_ref_thread_default ();
  op->profile = g_steal_pointer (&profile);
  op->target = g_steal_pointer (&target);
  op->from = g_strdup (from);
  op->to = g_strdup (to);
  g_mutex_init (&op->mutex);
  g_cond_init (&op->cond);
  g_task_set_task_data (task, op, (GDestroyNotify) op_free);
  set_busy (app, TRUE);
  g_task_run_in_thread (task, op_thread);
}

/* Back on the main thread: the window follows the settings and the list
 * (also when the old store could not be removed after they changed) */
static gboolean
finish_op (BcsApplication  *app,
           GAsyncResult    *result,
           GError         **error)
{
  Op *op = g_task_get_task_data (G_TASK (result));
  g_autoptr (GError) switch_error = NULL;
  gboolean ok;

  set_busy (app, FALSE);
  ok = g_task_propagate_boolean (G_TASK (result), error);
  if (op != NULL && op->applied &&
      g_strcmp0 (bcs_application_get_profile (app), op->from) == 0 &&
      !bcs_application_set_profile (app, op->next, &switch_error))
    g_warning ("Could not show profile “%s”: %s", op->next, switch_error->message);
  bcs_application_profiles_update (app);
  return ok;
}

void
bcs_application_remove_profile_async (BcsApplication      *app,
                                      const char          *name,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_return_if_fail (BCS_IS_APPLICATION (app));
  start_op (app, name, NULL, bcs_application_remove_profile_async, callback, user_data);
}

gboolean
bcs_application_remove_profile_finish (BcsApplication  *app,
                                       GAsyncResult    *result,
                                       GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, app), FALSE);
  return finish_op (app, result, error);
}

void
bcs_application_rename_profile_async (BcsApplication      *app,
                                      const char          *from,
                                      const char          *to,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_return_if_fail (BCS_IS_APPLICATION (app));
  start_op (app, from, to, bcs_application_rename_profile_async, callback, user_data);
}

gboolean
bcs_application_rename_profile_finish (BcsApplication  *app,
                                       GAsyncResult    *result,
                                       GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, app), FALSE);
  return finish_op (app, result, error);
}

/* ---- actions ---- */

static void
profile_change_state (GSimpleAction *action,
                      GVariant      *value,
                      gpointer       user_data)
{
  BcsApplication *app = BCS_APPLICATION (user_data);
  g_autoptr (GError) error = NULL;

  if (!bcs_application_set_profile (app, g_variant_get_string (value, NULL), &error))
    toast (app, error->message);
}

static void
created_cb (AdwMessageDialog *dialog,
            const char       *response,
            BcsApplication   *app)
{
  g_autoptr (GError) error = NULL;

  if (g_strcmp0 (response, "save") == 0 &&
      !bcs_application_create_profile (app, bcs_profile_name_dialog_get_name (dialog), &error))
    toast (app, error->message);
}

static void
new_profile_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  BcsApplication *app = BCS_APPLICATION (user_data);
  g_auto (GStrv) profiles = bcs_application_dup_profiles (app);
  AdwMessageDialog *dialog;

  dialog = bcs_profile_name_dialog_new (gtk_application_get_active_window (GTK_APPLICATION (app)),
                                        (const char * const *) profiles, NULL);
  g_signal_connect_object (dialog, "response", G_CALLBACK (created_cb), app, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
renamed_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  BcsApplication *app = BCS_APPLICATION (source);
  g_autoptr (GError) error = NULL;

  if (!bcs_application_rename_profile_finish (app, result, &error))
    toast (app, error->message);
}

static void
rename_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    BcsApplication   *app)
{
  if (g_strcmp0 (response, "save") == 0)
    bcs_application_rename_profile_async (app, bcs_application_get_profile (app),
                                          bcs_profile_name_dialog_get_name (dialog),
                                          renamed_cb, NULL);
}

static void
rename_profile_action (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  BcsApplication *app = BCS_APPLICATION (user_data);
  g_auto (GStrv) profiles = bcs_application_dup_profiles (app);
  AdwMessageDialog *dialog;

  dialog = bcs_profile_name_dialog_new (gtk_application_get_active_window (GTK_APPLICATION (app)),
                                        (const char * const *) profiles,
                                        bcs_application_get_profile (app));
  g_signal_connect_object (dialog, "response", G_CALLBACK (rename_response_cb), app, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
removed_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  BcsApplication *app = BCS_APPLICATION (source);
  g_autofree char *name = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree char *message = NULL;

  if (!bcs_application_remove_profile_finish (app, result, &error))
    {
      toast (app, error->message);
      return;
    }
  /* TRANSLATORS: %s is the name of a profile */
  message = g_strdup_printf (_("Profile “%s” removed"), name);
  toast (app, message);
}

static void
remove_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    BcsApplication   *app)
{
  const char *name = g_object_get_data (G_OBJECT (dialog), "profile");

  if (g_strcmp0 (response, "remove") == 0)
    bcs_application_remove_profile_async (app, name, removed_cb, g_strdup (name));
}

static void
remove_profile_action (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  BcsApplication *app = BCS_APPLICATION (user_data);
  const char *name = bcs_application_get_profile (app);
  AdwMessageDialog *dialog;

  if (!bcs_profile_list_can_remove (name))
    return;
  dialog = bcs_profile_remove_dialog_new (gtk_application_get_active_window (GTK_APPLICATION (app)),
                                          name);
  g_object_set_data_full (G_OBJECT (dialog), "profile", g_strdup (name), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (remove_response_cb), app, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

void
bcs_application_profiles_startup (BcsApplication *app)
{
  const GActionEntry entries[] = {
    { "profile", NULL, "s", "'default'", profile_change_state },
    { "new-profile", new_profile_action },
    { "rename-profile", rename_profile_action },
    { "remove-profile", remove_profile_action },
  };

  g_action_map_add_action_entries (G_ACTION_MAP (app), entries, G_N_ELEMENTS (entries), app);
  bcs_application_profiles_update (app);
}
