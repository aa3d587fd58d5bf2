/* bcs-application-profiles.c — creating, switching, renaming and removing profiles */
#define G_LOG_DOMAIN "bcs-gui"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "bcs-application-profiles.h"
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

/* ---- removing and renaming, in a thread: the store and the keyring ---- */

typedef struct {
  BcsProfile *profile;       /* FROM */
  char *from;
  char *to;                  /* NULL: remove FROM */
  char *from_store;
  char *to_store;
} Op;

static void
op_free (Op *op)
{
  g_clear_object (&op->profile);
  g_free (op->from);
  g_free (op->to);
  g_free (op->from_store);
  g_free (op->to_store);
  g_free (op);
}

typedef struct {
  gboolean done;
  gboolean ok;
  char *secret;
  GError *error;
} Wait;

static void
on_lookup (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Wait *wait = user_data;

  wait->secret = bcs_token_store_lookup_finish (BCS_TOKEN_STORE (object), result, &wait->error);
  wait->ok = wait->error == NULL;
  wait->done = TRUE;
}

static void
on_stored (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Wait *wait = user_data;

  wait->ok = bcs_token_store_store_finish (BCS_TOKEN_STORE (object), result, &wait->error);
  wait->done = TRUE;
}

static void
on_cleared (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Wait *wait = user_data;

  wait->ok = bcs_token_store_clear_finish (BCS_TOKEN_STORE (object), result, &wait->error);
  wait->done = TRUE;
}

static gboolean
wait_for (Wait    *wait,
          GError **error)
{
  while (!wait->done)
    g_main_context_iteration (g_main_context_get_thread_default (), TRUE);
  if (!wait->ok)
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&wait->error),
                                  _("The keyring could not be changed: "));
      return FALSE;
    }
  return TRUE;
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

/* Refuses while a sync of the profile runs (its lock, any process) */
static gboolean
check_not_syncing (const char  *path,
                   const char  *name,
                   GError     **error)
{
  g_autoptr (BcsSyncStore) store = NULL;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return TRUE;
  store = bcs_sync_store_open_sync (path, name, error);
  if (store == NULL || !bcs_sync_store_lock_sync (store, error))
    return FALSE;
  bcs_sync_store_unlock (store);
  return TRUE;
}

/* Moves the tokens kept under FROM to TO (keyring "profile" attributes) */
static gboolean
move_tokens (const char  *from,
             const char  *to,
             GError     **error)
{
  g_autoptr (BcsTokenStore) source = bcs_token_store_new (from);
  g_autoptr (BcsTokenStore) target = bcs_token_store_new (to);

  for (guint i = 0; i < G_N_ELEMENTS (token_kinds); i++)
    {
      Wait lookup = { 0 };
      Wait store = { 0 };
      char *secret;

      bcs_token_store_lookup_async (source, token_kinds[i], NULL, on_lookup, &lookup);
      if (!wait_for (&lookup, error))
        return FALSE;
      secret = g_steal_pointer (&lookup.secret);
      if (secret == NULL)
        continue;
      bcs_token_store_store_async (target, token_kinds[i], secret, NULL, on_stored, &store);
      wipe (secret);
      if (!wait_for (&store, error))
        return FALSE;
    }
  return TRUE;
}

static void
op_thread (GTask        *task,
           gpointer      source_object,
           gpointer      task_data,
           GCancellable *cancellable)
{
  Op *op = task_data;
  g_autoptr (GMainContext) context = g_main_context_new ();
  GError *error = NULL;
  gboolean ok;

  g_main_context_push_thread_default (context);

  ok = check_not_syncing (op->from_store, op->from, &error);
  /* the profile's real tokens, and those it had against a sandbox */
  for (guint sandbox = 0; ok && sandbox < 2; sandbox++)
    {
      g_autofree char *from = bcs_token_store_dup_key (op->from, sandbox);
      g_autoptr (BcsTokenStore) tokens = bcs_token_store_new (from);
      Wait clear = { 0 };

      if (op->to != NULL)
        {
          g_autofree char *to = bcs_token_store_dup_key (op->to, sandbox);

          ok = move_tokens (from, to, &error);
        }
      if (ok)
        {
          bcs_token_store_clear_async (tokens, NULL, NULL, on_cleared, &clear);
          ok = wait_for (&clear, &error);
        }
    }
  /* a rename that failed on the way: the tokens go back to the old name, so
   * none is left under a name another profile may take later */
  for (guint sandbox = 0; !ok && op->to != NULL && sandbox < 2; sandbox++)
    {
      g_autofree char *from = bcs_token_store_dup_key (op->from, sandbox);
      g_autofree char *to = bcs_token_store_dup_key (op->to, sandbox);
      g_autoptr (BcsTokenStore) moved = bcs_token_store_new (to);
      g_autoptr (GError) back_error = NULL;
      Wait clear = { 0 };

      if (move_tokens (to, from, &back_error))
        {
          bcs_token_store_clear_async (moved, NULL, NULL, on_cleared, &clear);
          wait_for (&clear, &back_error);
        }
      if (back_error != NULL)
        g_warning ("Could not move the sign-in of “%s” back: %s", op->from, back_error->message);
    }
  /* the store files only (a BcsProfile's settings belong to the main thread) */
  if (ok && op->to == NULL)
    ok = bcs_profile_delete_store (op->profile, &error);

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
  if (to != NULL && !bcs_profile_list_check_new_name ((const char * const *) profiles, to, from, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  op = g_new0 (Op, 1);
  op->profile = g_object_ref (profile);
  op->from = g_strdup (from);
  op->to = g_strdup (to);
  op->from_store = bcs_profile_dup_store_path (profile);
  if (to != NULL)
    {
      g_autoptr (BcsProfile) target = bcs_profile_new (to, NULL, NULL);

      op->to_store = bcs_profile_dup_store_path (target);
      /* the store moves first (on this thread: quick, and refused when the
       * target exists); the thread then checks the lock under its new name */
      if (!bcs_profile_move_store (profile, target, &error))
        {
          op_free (op);
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      g_free (op->from_store);
      op->from_store = g_strdup (op->to_store);
    }
  g_task_set_task_data (task, op, (GDestroyNotify) op_free);
  set_busy (app, TRUE);
  g_task_run_in_thread (task, op_thread);
}

/* Back on the main thread: the settings and the list */
static gboolean
finish_op (BcsApplication  *app,
           GAsyncResult    *result,
           GError         **error)
{
  Op *op = g_task_get_task_data (G_TASK (result));
  GSettings *settings = bcs_application_get_settings (app);
  g_autoptr (BcsProfile) from = NULL;
  g_auto (GStrv) listed = NULL;
  g_auto (GStrv) clean = NULL;
  g_auto (GStrv) changed = NULL;
  g_autofree char *next = NULL;
  g_autofree char *last = NULL;
  g_autoptr (GError) switch_error = NULL;
  gboolean shown;

  set_busy (app, FALSE);
  if (!g_task_propagate_boolean (G_TASK (result), error))
    {
      /* a rename that failed after the store moved: move it back */
      if (op != NULL && op->to != NULL)
        {
          g_autoptr (BcsProfile) source = bcs_profile_new (op->to, NULL, NULL);
          g_autoptr (BcsProfile) target = bcs_profile_new (op->from, NULL, NULL);

          if (!bcs_profile_move_store (source, target, NULL))
            g_warning ("Could not move the store of “%s” back", op->from);
        }
      return FALSE;
    }

  from = bcs_profile_new (op->from, NULL, NULL);
  if (op->to != NULL)
    {
      g_autoptr (BcsProfile) to = bcs_profile_new (op->to, NULL, NULL);

      bcs_profile_copy_settings (from, to);
    }
  bcs_profile_reset_settings (from);

  listed = g_settings_get_strv (settings, "profiles");
  clean = bcs_profile_list_normalize ((const char * const *) listed);
  next = op->to != NULL ? g_strdup (op->to)
                        : bcs_profile_list_next_after_removal ((const char * const *) clean, op->from);
  changed = op->to != NULL ? bcs_profile_list_rename ((const char * const *) clean, op->from, op->to)
                           : bcs_profile_list_remove ((const char * const *) clean, op->from);
  g_settings_set_strv (settings, "profiles", (const char * const *) changed);
  last = g_settings_get_string (settings, "last-profile");
  if (g_strcmp0 (last, op->from) == 0)
    g_settings_set_string (settings, "last-profile", next);

  shown = g_strcmp0 (bcs_application_get_profile (app), op->from) == 0;
  if (shown && !bcs_application_set_profile (app, next, &switch_error))
    g_warning ("Could not show profile “%s”: %s", next, switch_error->message);
  bcs_application_profiles_update (app);
  return TRUE;
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
