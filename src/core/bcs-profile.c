/* bcs-profile.c — one setup: its settings, endpoints and where its state lives */
#define G_LOG_DOMAIN "bcs-core"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "bcs-error.h"
#include "bcs-profile.h"

#define SANDBOX_TENANT "sandbox"
#define SANDBOX_ENVIRONMENT "production"
#define SANDBOX_CLIENT_ID "sandbox"

struct _BcsProfile
{
  GObject parent_instance;

  char *name;
  char *sandbox_url;     /* without a trailing slash, or NULL */
  GSettings *settings;
};

G_DEFINE_FINAL_TYPE (BcsProfile, bcs_profile, G_TYPE_OBJECT)

gboolean
bcs_profile_name_is_valid (const char *name)
{
  if (name == NULL || *name == '\0' || strlen (name) > 64)
    return FALSE;

  for (const char *p = name; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_')
      return FALSE;

  return TRUE;
}

BcsProfile *
bcs_profile_new (const char  *name,
                 const char  *sandbox_url,
                 GError     **error)
{
  g_autoptr (BcsProfile) self = NULL;
  g_autofree char *path = NULL;

  if (!bcs_profile_name_is_valid (name))
    {
      g_set_error (error, BCS_ERROR, BCS_ERROR_INVALID_INPUT,
                   _("“%s” is not a valid profile name. Use letters, digits, “-” and “_” (at most 64)."),
                   name ? name : "");
      return NULL;
    }

  self = g_object_new (BCS_TYPE_PROFILE, NULL);
  self->name = g_strdup (name);
  if (sandbox_url != NULL)
    {
      self->sandbox_url = g_strdup (sandbox_url);
      while (g_str_has_suffix (self->sandbox_url, "/"))
        self->sandbox_url[strlen (self->sandbox_url) - 1] = '\0';
    }

  path = g_strconcat (BCS_PROFILE_PATH_PREFIX, name, "/", NULL);
  self->settings = g_settings_new_with_path (BCS_PROFILE_SCHEMA_ID, path);

  return g_steal_pointer (&self);
}

const char *
bcs_profile_get_name (BcsProfile *self)
{
  g_return_val_if_fail (BCS_IS_PROFILE (self), NULL);
  return self->name;
}

GSettings *
bcs_profile_get_settings (BcsProfile *self)
{
  g_return_val_if_fail (BCS_IS_PROFILE (self), NULL);
  return self->settings;
}

gboolean
bcs_profile_is_sandbox (BcsProfile *self)
{
  g_return_val_if_fail (BCS_IS_PROFILE (self), FALSE);
  return self->sandbox_url != NULL;
}

BcsDeployment
bcs_profile_get_deployment (BcsProfile *self)
{
  g_return_val_if_fail (BCS_IS_PROFILE (self), BCS_DEPLOYMENT_ONLINE);

  if (self->sandbox_url == NULL &&
      g_settings_get_enum (self->settings, "deployment") == BCS_DEPLOYMENT_ON_PREMISES)
    return BCS_DEPLOYMENT_ON_PREMISES;

  return BCS_DEPLOYMENT_ONLINE;
}

static char *
strip_slashes (char *url)
{
  while (url != NULL && g_str_has_suffix (url, "/"))
    url[strlen (url) - 1] = '\0';
  return url;
}

char *
bcs_profile_dup_tenant (BcsProfile *self)
{
  g_autofree char *tenant = NULL;

  if (self->sandbox_url != NULL)
    return g_strdup (SANDBOX_TENANT);

  tenant = g_settings_get_string (self->settings, "tenant");
  return *tenant ? g_steal_pointer (&tenant) : g_strdup ("organizations");
}

char *
bcs_profile_dup_environment (BcsProfile *self)
{
  g_autofree char *environment = NULL;

  if (self->sandbox_url != NULL)
    {
      environment = g_settings_get_string (self->settings, "environment");
      return *environment ? g_steal_pointer (&environment) : g_strdup (SANDBOX_ENVIRONMENT);
    }

  environment = g_settings_get_string (self->settings, "environment");
  return *environment ? g_steal_pointer (&environment) : g_strdup ("production");
}

char *
bcs_profile_dup_client_id (BcsProfile *self)
{
  if (self->sandbox_url != NULL)
    return g_strdup (SANDBOX_CLIENT_ID);

  return g_settings_get_string (self->settings, "client-id");
}

char *
bcs_profile_dup_authority (BcsProfile *self)
{
  g_autofree char *base = NULL;
  g_autofree char *tenant = bcs_profile_dup_tenant (self);

  if (self->sandbox_url != NULL)
    base = g_strconcat (self->sandbox_url, "/login", NULL);
  else
    base = strip_slashes (g_settings_get_string (self->settings, "login-base-url"));

  return g_strconcat (base, "/", tenant, NULL);
}

char *
bcs_profile_dup_graph_url (BcsProfile *self)
{
  if (self->sandbox_url != NULL)
    return g_strconcat (self->sandbox_url, "/graph/v1.0", NULL);

  return strip_slashes (g_settings_get_string (self->settings, "graph-base-url"));
}

char *
bcs_profile_dup_bc_root_url (BcsProfile *self)
{
  if (self->sandbox_url != NULL)
    return g_strconcat (self->sandbox_url, "/bc", NULL);

  return strip_slashes (g_settings_get_string (self->settings, "bc-base-url"));
}

static char *
dup_bc_base (BcsProfile *self)
{
  g_autofree char *root = NULL;
  g_autofree char *tenant = NULL;
  g_autofree char *environment = NULL;

  if (bcs_profile_get_deployment (self) == BCS_DEPLOYMENT_ON_PREMISES)
    return strip_slashes (g_settings_get_string (self->settings, "bc-onprem-base-url"));

  root = bcs_profile_dup_bc_root_url (self);
  tenant = bcs_profile_dup_tenant (self);
  environment = bcs_profile_dup_environment (self);

  return g_strdup_printf ("%s/v2.0/%s/%s", root, tenant, environment);
}

char *
bcs_profile_dup_bc_api_url (BcsProfile *self)
{
  g_autofree char *base = dup_bc_base (self);

  return g_strconcat (base, "/api/v2.0", NULL);
}

char *
bcs_profile_dup_bc_automation_url (BcsProfile *self)
{
  g_autofree char *base = dup_bc_base (self);

  return g_strconcat (base, "/api/microsoft/automation/v2.0", NULL);
}

char *
bcs_profile_dup_company_id (BcsProfile *self)
{
  return g_settings_get_string (self->settings, "company-id");
}

char *
bcs_profile_dup_folder_name (BcsProfile *self)
{
  g_autofree char *folder = g_settings_get_string (self->settings, "folder-name");

  g_strstrip (folder);
  return *folder ? g_steal_pointer (&folder) : g_strdup ("Business Central");
}

char *
bcs_profile_dup_store_path (BcsProfile *self)
{
  g_autofree char *file = g_strconcat (self->name, ".db", NULL);

  return g_build_filename (g_get_user_state_dir (), "bc-contact-sync", file, NULL);
}

void
bcs_profile_reset_settings (BcsProfile *self)
{
  g_autoptr (GSettingsSchema) schema = NULL;
  g_auto (GStrv) keys = NULL;

  g_return_if_fail (BCS_IS_PROFILE (self));

  g_object_get (self->settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    g_settings_reset (self->settings, keys[i]);
}

void
bcs_profile_copy_settings (BcsProfile *from,
                           BcsProfile *to)
{
  g_autoptr (GSettingsSchema) schema = NULL;
  g_auto (GStrv) keys = NULL;

  g_return_if_fail (BCS_IS_PROFILE (from));
  g_return_if_fail (BCS_IS_PROFILE (to));

  g_object_get (from->settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  g_settings_delay (to->settings);
  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_autoptr (GVariant) value = g_settings_get_user_value (from->settings, keys[i]);

      if (value != NULL)
        g_settings_set_value (to->settings, keys[i], value);
      else
        g_settings_reset (to->settings, keys[i]);
    }
  g_settings_apply (to->settings);
}

static const char * const store_suffixes[] = { "", "-wal", "-shm", "-journal" };

gboolean
bcs_profile_delete_store (BcsProfile  *self,
                          GError     **error)
{
  g_autofree char *path = NULL;

  g_return_val_if_fail (BCS_IS_PROFILE (self), FALSE);

  path = bcs_profile_dup_store_path (self);
  for (guint i = 0; i < G_N_ELEMENTS (store_suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, store_suffixes[i], NULL);
      int saved_errno;

      if (g_remove (file) == 0)
        continue;
      saved_errno = errno;
      if (saved_errno == ENOENT)
        continue;
      /* TRANSLATORS: the first %s is a file, the second why it could not be removed */
      g_set_error (error, BCS_ERROR, BCS_ERROR_STORE, _("Could not remove %s: %s"),
                   file, g_strerror (saved_errno));
      return FALSE;
    }
  return TRUE;
}

gboolean
bcs_profile_move_store (BcsProfile  *from,
                        BcsProfile  *to,
                        GError     **error)
{
  g_autofree char *source = NULL;
  g_autofree char *target = NULL;

  g_return_val_if_fail (BCS_IS_PROFILE (from), FALSE);
  g_return_val_if_fail (BCS_IS_PROFILE (to), FALSE);

  source = bcs_profile_dup_store_path (from);
  target = bcs_profile_dup_store_path (to);
  if (g_file_test (target, G_FILE_TEST_EXISTS))
    {
      /* TRANSLATORS: %s is a file */
      g_set_error (error, BCS_ERROR, BCS_ERROR_STORE,
                   _("%s already exists: move it away, then try again."), target);
      return FALSE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (store_suffixes); i++)
    {
      g_autofree char *old_file = g_strconcat (source, store_suffixes[i], NULL);
      g_autofree char *new_file = g_strconcat (target, store_suffixes[i], NULL);
      int saved_errno;

      if (g_rename (old_file, new_file) == 0)
        continue;
      saved_errno = errno;
      if (saved_errno == ENOENT)
        continue;
      /* TRANSLATORS: the first %s is a file, the second why it could not be renamed */
      g_set_error (error, BCS_ERROR, BCS_ERROR_STORE, _("Could not rename %s: %s"),
                   old_file, g_strerror (saved_errno));
      return FALSE;
    }
  return TRUE;
}

static void
bcs_profile_finalize (GObject *object)
{
  BcsProfile *self = BCS_PROFILE (object);

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->sandbox_url, g_free);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (bcs_profile_parent_class)->finalize (object);
}

static void
bcs_profile_class_init (BcsProfileClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = bcs_profile_finalize;
}

static void
bcs_profile_init (BcsProfile *self)
{
}
