/* bcs-token-store.c — refresh and access tokens and the on-premises key in libsecret */
#define G_LOG_DOMAIN "bcs-auth"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "bcs-error.h"
#include "bcs-token-store.h"

struct _BcsTokenStore
{
  GObject parent_instance;

  char *profile;
};

G_DEFINE_FINAL_TYPE (BcsTokenStore, bcs_token_store, G_TYPE_OBJECT)

static const char * const kinds[] = {
  BCS_TOKEN_KIND_REFRESH,
  BCS_TOKEN_KIND_ACCESS_GRAPH,
  BCS_TOKEN_KIND_ACCESS_BC,
  BCS_TOKEN_KIND_WEB_SERVICE_KEY,
};

const SecretSchema *
bcs_token_store_get_schema (void)
{
  static const SecretSchema schema = {
    BCS_TOKEN_STORE_SCHEMA_NAME, SECRET_SCHEMA_NONE,
    {
      { "profile", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "kind", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
    0, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
  };

  return &schema;
}

gboolean
bcs_token_store_kind_is_valid (const char *kind)
{
  for (gsize i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (g_strcmp0 (kind, kinds[i]) == 0)
      return TRUE;

  return FALSE;
}

BcsTokenStore *
bcs_token_store_new (const char *profile)
{
  BcsTokenStore *self;

  g_return_val_if_fail (profile != NULL && *profile != '\0', NULL);

  self = g_object_new (BCS_TYPE_TOKEN_STORE, NULL);
  self->profile = g_strdup (profile);
  return self;
}

char *
bcs_token_store_dup_key (const char *name,
                         gboolean    sandbox)
{
  g_return_val_if_fail (name != NULL && *name != '\0', NULL);

  return sandbox ? g_strconcat ("sandbox:", name, NULL) : g_strdup (name);
}

BcsTokenStore *
bcs_token_store_new_for_profile (BcsProfile *profile)
{
  g_autofree char *key = NULL;

  g_return_val_if_fail (BCS_IS_PROFILE (profile), NULL);

  key = bcs_token_store_dup_key (bcs_profile_get_name (profile), bcs_profile_is_sandbox (profile));
  return bcs_token_store_new (key);
}

const char *
bcs_token_store_get_profile (BcsTokenStore *self)
{
  g_return_val_if_fail (BCS_IS_TOKEN_STORE (self), NULL);
  return self->profile;
}

/* libsecret's errors name D-Bus and the keyring daemon: say what it means */
static GError *
keyring_error (const GError *error,
               const char   *profile)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_error_new_literal (BCS_ERROR, BCS_ERROR_CANCELLED, _("Cancelled."));

  /* TRANSLATORS: %s is a profile name, the last %s the system's reason */
  return g_error_new (BCS_ERROR, BCS_ERROR_FAILED,
                      _("The keyring could not be used for the sign-in of profile “%s”. Make sure a keyring "
                        "service (such as GNOME Keyring) is running and unlocked. (%s)"),
                      profile, error->message);
}

static const char *
kind_label (const char *kind)
{
  if (g_str_equal (kind, BCS_TOKEN_KIND_REFRESH))
    return _("sign-in");
  if (g_str_equal (kind, BCS_TOKEN_KIND_ACCESS_GRAPH))
    return _("Microsoft 365 access");
  if (g_str_equal (kind, BCS_TOKEN_KIND_ACCESS_BC))
    return _("Business Central access");
  return _("Business Central web service access key");
}

static void
on_stored (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BcsTokenStore *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  if (!secret_password_store_finish (result, &error))
    g_task_return_error (task, keyring_error (error, self->profile));
  else
    g_task_return_boolean (task, TRUE);
}

void
bcs_token_store_store_async (BcsTokenStore       *self,
                             const char          *kind,
                             const char          *secret,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  GTask *task;
  g_autofree char *label = NULL;

  g_return_if_fail (BCS_IS_TOKEN_STORE (self));
  g_return_if_fail (bcs_token_store_kind_is_valid (kind));
  g_return_if_fail (secret != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bcs_token_store_store_async);

  /* TRANSLATORS: shown in the keyring manager (Seahorse); %s: what it is, %s: profile */
  label = g_strdup_printf (_("Business Central Contact Sync: %s (profile “%s”)"),
                           kind_label (kind), self->profile);
  secret_password_store (bcs_token_store_get_schema (), SECRET_COLLECTION_DEFAULT, label, secret,
                         cancellable, on_stored, task,
                         "profile", self->profile,
                         "kind", kind,
                         NULL);
}

gboolean
bcs_token_store_store_finish (BcsTokenStore  *self,
                              GAsyncResult   *result,
                              GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
on_looked_up (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BcsTokenStore *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  char *secret;

  secret = secret_password_lookup_finish (result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, keyring_error (error, self->profile));
      return;
    }

  if (secret == NULL)
    {
      g_task_return_pointer (task, NULL, NULL);
      return;
    }

  /* Hand out plain memory; wipe libsecret's copy */
  g_task_return_pointer (task, g_strdup (secret), g_free);
  secret_password_free (secret);
}

void
bcs_token_store_lookup_async (BcsTokenStore       *self,
                              const char          *kind,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (BCS_IS_TOKEN_STORE (self));
  g_return_if_fail (bcs_token_store_kind_is_valid (kind));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bcs_token_store_lookup_async);
  secret_password_lookup (bcs_token_store_get_schema (), cancellable, on_looked_up, task,
                          "profile", self->profile,
                          "kind", kind,
                          NULL);
}

char *
bcs_token_store_lookup_finish (BcsTokenStore  *self,
                               GAsyncResult   *result,
                               GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
on_cleared (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BcsTokenStore *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  /* FALSE without an error: there was nothing to remove */
  if (!secret_password_clear_finish (result, &error) && error != NULL)
    g_task_return_error (task, keyring_error (error, self->profile));
  else
    g_task_return_boolean (task, TRUE);
}

void
bcs_token_store_clear_async (BcsTokenStore       *self,
                             const char          *kind,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (BCS_IS_TOKEN_STORE (self));
  g_return_if_fail (kind == NULL || bcs_token_store_kind_is_valid (kind));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bcs_token_store_clear_async);
  if (kind != NULL)
    secret_password_clear (bcs_token_store_get_schema (), cancellable, on_cleared, task,
                           "profile", self->profile,
                           "kind", kind,
                           NULL);
  else
    secret_password_clear (bcs_token_store_get_schema (), cancellable, on_cleared, task,
                           "profile", self->profile,
                           NULL);
}

gboolean
bcs_token_store_clear_finish (BcsTokenStore  *self,
                              GAsyncResult   *result,
                              GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
bcs_token_store_finalize (GObject *object)
{
  BcsTokenStore *self = BCS_TOKEN_STORE (object);

  g_clear_pointer (&self->profile, g_free);

  G_OBJECT_CLASS (bcs_token_store_parent_class)->finalize (object);
}

static void
bcs_token_store_class_init (BcsTokenStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = bcs_token_store_finalize;
}

static void
bcs_token_store_init (BcsTokenStore *self)
{
}
