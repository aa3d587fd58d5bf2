/* bcs-profile-list.c — the list of a user's profiles (pure) */
#define G_LOG_DOMAIN "bcs-core"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "bcs-error.h"
#include "bcs-profile.h"
#include "bcs-profile-list.h"

static gboolean
same_name (const char *a,
           const char *b)
{
  return g_ascii_strcasecmp (a, b) == 0;
}

static gboolean
contains_without_case (GPtrArray  *names,
                       const char *name)
{
  for (guint i = 0; i < names->len; i++)
    if (same_name (names->pdata[i], name))
      return TRUE;
  return FALSE;
}

static GStrv
to_strv (GPtrArray *names)
{
  g_ptr_array_add (names, NULL);
  return (GStrv) g_ptr_array_free (names, FALSE);
}

GStrv
bcs_profile_list_normalize (const char * const *list)
{
  GPtrArray *names = g_ptr_array_new ();
  gboolean has_default = FALSE;

  for (guint i = 0; list != NULL && list[i] != NULL; i++)
    {
      if (!bcs_profile_name_is_valid (list[i]) || contains_without_case (names, list[i]))
        continue;
      has_default |= g_str_equal (list[i], BCS_PROFILE_DEFAULT);
      g_ptr_array_add (names, g_strdup (list[i]));
    }
  if (!has_default)
    g_ptr_array_insert (names, 0, g_strdup (BCS_PROFILE_DEFAULT));

  return to_strv (names);
}

gboolean
bcs_profile_list_contains (const char * const *list,
                           const char         *name)
{
  return list != NULL && name != NULL && g_strv_contains (list, name);
}

gboolean
bcs_profile_list_check_new_name (const char * const *list,
                                 const char         *name,
                                 const char         *current,
                                 GError            **error)
{
  if (name == NULL || *name == '\0')
    {
      g_set_error_literal (error, BCS_ERROR, BCS_ERROR_INVALID_INPUT, _("Enter a name for the profile."));
      return FALSE;
    }
  if (strlen (name) > 64)
    {
      g_set_error_literal (error, BCS_ERROR, BCS_ERROR_INVALID_INPUT,
                           _("The name is too long: use at most 64 characters."));
      return FALSE;
    }
  if (!bcs_profile_name_is_valid (name))
    {
      g_set_error_literal (error, BCS_ERROR, BCS_ERROR_INVALID_INPUT,
                           _("Use only letters, digits, “-” and “_” (no spaces)."));
      return FALSE;
    }
  for (guint i = 0; list != NULL && list[i] != NULL; i++)
    {
      if (current != NULL && g_str_equal (list[i], current))
        continue;
      if (same_name (list[i], name))
        {
          /* TRANSLATORS: %s is the name of a profile */
          g_set_error (error, BCS_ERROR, BCS_ERROR_INVALID_INPUT,
                       _("A profile named “%s” already exists."), list[i]);
          return FALSE;
        }
    }
  if (current != NULL && g_str_equal (name, current))
    {
      g_set_error_literal (error, BCS_ERROR, BCS_ERROR_INVALID_INPUT, _("Enter a new name."));
      return FALSE;
    }
  return TRUE;
}

gboolean
bcs_profile_list_can_remove (const char *profile)
{
  return profile != NULL && !g_str_equal (profile, BCS_PROFILE_DEFAULT);
}

GStrv
bcs_profile_list_add (const char * const *list,
                      const char         *name)
{
  GPtrArray *names = g_ptr_array_new ();

  for (guint i = 0; list != NULL && list[i] != NULL; i++)
    g_ptr_array_add (names, g_strdup (list[i]));
  if (!bcs_profile_list_contains (list, name))
    g_ptr_array_add (names, g_strdup (name));

  return to_strv (names);
}

GStrv
bcs_profile_list_remove (const char * const *list,
                         const char         *name)
{
  GPtrArray *names = g_ptr_array_new ();

  for (guint i = 0; list != NULL && list[i] != NULL; i++)
    if (!g_str_equal (list[i], name) || !bcs_profile_list_can_remove (name))
      g_ptr_array_add (names, g_strdup (list[i]));

  return to_strv (names);
}

GStrv
bcs_profile_list_rename (const char * const *list,
                         const char         *from,
                         const char         *to)
{
  GPtrArray *names = g_ptr_array_new ();

  for (guint i = 0; list != NULL && list[i] != NULL; i++)
    g_ptr_array_add (names, g_strdup (g_str_equal (list[i], from) ? to : list[i]));

  return to_strv (names);
}

char *
bcs_profile_list_next_after_removal (const char * const *list,
                                     const char         *removed)
{
  for (guint i = 0; list != NULL && list[i] != NULL; i++)
    {
      if (!g_str_equal (list[i], removed))
        continue;
      if (i > 0)
        return g_strdup (list[i - 1]);
      if (list[i + 1] != NULL)
        return g_strdup (list[i + 1]);
      break;
    }
  return g_strdup (BCS_PROFILE_DEFAULT);
}

char *
bcs_profile_list_pick_startup (const char * const *list,
                               const char         *requested,
                               const char         *last)
{
  if (requested != NULL && bcs_profile_name_is_valid (requested))
    return g_strdup (requested);
  if (last != NULL && bcs_profile_name_is_valid (last) && bcs_profile_list_contains (list, last))
    return g_strdup (last);
  return g_strdup (BCS_PROFILE_DEFAULT);
}

char *
bcs_profile_list_suggest_name (const char * const *list)
{
  for (guint n = 2; ; n++)
    {
      g_autofree char *name = g_strdup_printf ("profile-%u", n);

      if (bcs_profile_list_check_new_name (list, name, NULL, NULL))
        return g_steal_pointer (&name);
    }
}
