/* bcs-results-filter.c — what the results view shows: counts, labels, the filter */
#define G_LOG_DOMAIN "bcs-gui"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "bcs-contact.h"
#include "bcs-results-filter.h"

static BcsResultsShow
show_of_outcome (BcsSyncOutcome outcome)
{
  switch (outcome)
    {
    case BCS_SYNC_OUTCOME_OK:
      return BCS_RESULTS_SHOW_OK;
    case BCS_SYNC_OUTCOME_SKIPPED:
      return BCS_RESULTS_SHOW_SKIPPED;
    case BCS_SYNC_OUTCOME_FAILED:
      return BCS_RESULTS_SHOW_FAILED;
    case BCS_SYNC_OUTCOME_PLANNED:
      return BCS_RESULTS_SHOW_PLANNED;
    default:
      return BCS_RESULTS_SHOW_ALL;
    }
}

void
bcs_results_count (GPtrArray *results,
                   guint      counts[BCS_RESULTS_N_SHOW])
{
  memset (counts, 0, sizeof (guint) * BCS_RESULTS_N_SHOW);
  if (results == NULL)
    return;

  counts[BCS_RESULTS_SHOW_ALL] = results->len;
  for (guint i = 0; i < results->len; i++)
    {
      const BcsSyncResult *result = g_ptr_array_index (results, i);
      BcsResultsShow show = show_of_outcome (result->outcome);

      if (show != BCS_RESULTS_SHOW_ALL)
        counts[show]++;
    }
}

char *
bcs_results_show_label (BcsResultsShow show,
                        guint          count)
{
  /* TRANSLATORS: a choice of the results filter; %u is how many rows it shows */
  switch (show)
    {
    case BCS_RESULTS_SHOW_OK:
      return g_strdup_printf (_("Done (%u)"), count);
    case BCS_RESULTS_SHOW_SKIPPED:
      return g_strdup_printf (_("Skipped (%u)"), count);
    case BCS_RESULTS_SHOW_FAILED:
      return g_strdup_printf (_("Failed (%u)"), count);
    case BCS_RESULTS_SHOW_PLANNED:
      return g_strdup_printf (_("Planned (%u)"), count);
    case BCS_RESULTS_SHOW_ALL:
    case BCS_RESULTS_N_SHOW:
    default:
      return g_strdup_printf (_("All (%u)"), count);
    }
}

char *
bcs_results_search_key_new (const char *text)
{
  g_autofree char *stripped = NULL;
  g_autofree char *normalized = NULL;

  if (text == NULL)
    return NULL;
  stripped = g_strstrip (g_strdup (text));
  if (*stripped == '\0')
    return NULL;
  normalized = g_utf8_normalize (stripped, -1, G_NORMALIZE_ALL);
  if (normalized == NULL)
    return NULL;
  return g_utf8_casefold (normalized, -1);
}

static gboolean
contains_key (const char *text,
              const char *key)
{
  g_autofree char *normalized = NULL;
  g_autofree char *folded = NULL;

  if (text == NULL || *text == '\0')
    return FALSE;
  normalized = g_utf8_normalize (text, -1, G_NORMALIZE_ALL);
  if (normalized == NULL)
    return FALSE;
  folded = g_utf8_casefold (normalized, -1);
  return strstr (folded, key) != NULL;
}

gboolean
bcs_results_filter_matches (const BcsSyncResult *result,
                            BcsResultsShow       show,
                            const char          *search_key)
{
  g_return_val_if_fail (result != NULL, FALSE);

  if (show != BCS_RESULTS_SHOW_ALL && show_of_outcome (result->outcome) != show)
    return FALSE;
  if (search_key == NULL || *search_key == '\0')
    return TRUE;
  return contains_key (result->name, search_key) || contains_key (result->email, search_key);
}

const char *
bcs_results_direction_label (BcsSyncDirection direction)
{
  switch (direction)
    {
    case BCS_SYNC_DIRECTION_TO_OUTLOOK:
      return _("To Outlook");
    case BCS_SYNC_DIRECTION_TO_BC:
      return _("To Business Central");
    case BCS_SYNC_DIRECTION_NONE:
    default:
      return _("Neither side");
    }
}

const char *
bcs_results_action_label (BcsSyncResultAction action)
{
  switch (action)
    {
    case BCS_SYNC_RESULT_CREATE:
      return C_("sync action", "Create");
    case BCS_SYNC_RESULT_UPDATE:
      return C_("sync action", "Update");
    case BCS_SYNC_RESULT_DELETE:
      return C_("sync action", "Delete");
    case BCS_SYNC_RESULT_RECREATE:
      return C_("sync action", "Recreate");
    case BCS_SYNC_RESULT_LINK:
      return C_("sync action", "Link");
    case BCS_SYNC_RESULT_SKIP:
    default:
      return C_("sync action", "Skip");
    }
}

const char *
bcs_results_outcome_label (BcsSyncOutcome outcome)
{
  switch (outcome)
    {
    case BCS_SYNC_OUTCOME_OK:
      return C_("sync outcome", "Done");
    case BCS_SYNC_OUTCOME_SKIPPED:
      return C_("sync outcome", "Skipped");
    case BCS_SYNC_OUTCOME_FAILED:
      return C_("sync outcome", "Failed");
    case BCS_SYNC_OUTCOME_PLANNED:
    default:
      return C_("sync outcome", "Planned");
    }
}

static const char *
what_to_do (const BcsSyncResult *result)
{
  switch (result->outcome)
    {
    case BCS_SYNC_OUTCOME_FAILED:
      return _("Correct the contact where the reason points, then run Sync again. "
               "Contacts that failed are tried again on every sync.");
    case BCS_SYNC_OUTCOME_SKIPPED:
      return _("Nothing needs to be done. To sync this contact, change it so that "
               "the reason no longer applies, or change the filters in Contact Sync. Setup.");
    case BCS_SYNC_OUTCOME_PLANNED:
      return _("Nothing has been written yet: choose Apply to make this change.");
    case BCS_SYNC_OUTCOME_OK:
    default:
      return NULL;
    }
}

/* The direction inside a sentence (the column's label starts with a capital) */
static const char *
direction_phrase (BcsSyncDirection direction)
{
  switch (direction)
    {
    case BCS_SYNC_DIRECTION_TO_OUTLOOK:
      return C_("direction in a sentence", "to Outlook");
    case BCS_SYNC_DIRECTION_TO_BC:
      return C_("direction in a sentence", "to Business Central");
    case BCS_SYNC_DIRECTION_NONE:
    default:
      return C_("direction in a sentence", "on neither side");
    }
}

char *
bcs_results_describe_details (const BcsSyncResult *result)
{
  GString *text;
  const char *direction;
  const char *todo;

  g_return_val_if_fail (result != NULL, NULL);

  text = g_string_new (NULL);
  direction = direction_phrase (result->direction);

  if (result->email != NULL && *result->email != '\0')
    g_string_append_printf (text, _("E-mail: %s\n"), result->email);
  if (result->bc_number != NULL && *result->bc_number != '\0')
    g_string_append_printf (text, _("Business Central number: %s\n"), result->bc_number);
  /* TRANSLATORS: e.g. "Update, to Outlook: Done" */
  g_string_append_printf (text, _("%s, %s: %s\n"),
                          bcs_results_action_label (result->action),
                          direction,
                          bcs_results_outcome_label (result->outcome));

  if (result->fields != 0)
    {
      g_string_append (text, _("Fields written:"));
      for (guint field = 0; field < BCS_N_FIELDS; field++)
        if (result->fields & BCS_FIELD_MASK (field))
          g_string_append_printf (text, "\n  • %s", bcs_contact_field_get_label ((BcsContactField) field));
      g_string_append_c (text, '\n');
    }

  if (result->reason != NULL && *result->reason != '\0')
    g_string_append_printf (text, _("\nReason: %s\n"), result->reason);

  todo = what_to_do (result);
  if (todo != NULL)
    g_string_append_printf (text, _("\nWhat to do: %s\n"), todo);

  /* no trailing newline in a dialog */
  while (text->len > 0 && text->str[text->len - 1] == '\n')
    g_string_truncate (text, text->len - 1);
  return g_string_free (text, FALSE);
}
