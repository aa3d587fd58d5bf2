/* bcs-contact-check.c — which contacts may sync, and which values fit */
#define G_LOG_DOMAIN "bcs-core"

#include "config.h"

#include <glib/gi18n.h>

#include "bcs-contact-check.h"
#include "bcs-normalize.h"

const char *
bcs_skip_reason_to_string (BcsSkipReason reason)
{
  switch (reason)
    {
    case BCS_SKIP_NOT_A_PERSON:
      return "not-a-person";
    case BCS_SKIP_NO_NAME:
      return "no-name";
    case BCS_SKIP_NO_EMAIL:
      return "no-email";
    case BCS_SKIP_PRIVACY_BLOCKED:
      return "privacy-blocked";
    case BCS_SKIP_NAME_TOO_LONG:
      return "name-too-long";
    case BCS_SKIP_EMAIL_TOO_LONG:
      return "email-too-long";
    case BCS_SKIP_OUTSIDE_FILTER:
      return "outside-filter";
    case BCS_SKIP_NONE:
    default:
      return NULL;
    }
}

static BcsSkipReason
skip (BcsSkipReason   reason,
      char          **message,
      char           *text)
{
  if (message != NULL)
    *message = text;
  else
    g_free (text);

  return reason;
}

BcsSkipReason
bcs_contact_check_to_outlook (const BcsContact  *contact,
                              char             **message)
{
  g_return_val_if_fail (contact != NULL, BCS_SKIP_NONE);

  if (message != NULL)
    *message = NULL;

  if (contact->type != BCS_CONTACT_TYPE_PERSON)
    {
      const char *type = contact->type == BCS_CONTACT_TYPE_COMPANY
                         ? C_("contact type", "Company")
                         : C_("contact type", "unknown");

      /* Translators: %s is the contact type, e.g. "Company" */
      return skip (BCS_SKIP_NOT_A_PERSON, message,
                   g_strdup_printf (_("Not a person (type %s)"), type));
    }

  if (contact->display_name == NULL)
    return skip (BCS_SKIP_NO_NAME, message, g_strdup (_("No name")));

  if (contact->email == NULL)
    return skip (BCS_SKIP_NO_EMAIL, message, g_strdup (_("No e-mail address")));

  if (contact->privacy_blocked)
    return skip (BCS_SKIP_PRIVACY_BLOCKED, message,
                 g_strdup (_("Privacy blocked in Business Central")));

  return BCS_SKIP_NONE;
}

static char *
too_long_message (BcsContactField field,
                  gsize           length)
{
  /* Translators: "The E-mail has 95 characters; Business Central allows at
   * most 80." The first %s is a field label. */
  return g_strdup_printf (_("The %s has %zu characters; Business Central allows at most %u."),
                          bcs_contact_field_get_label (field), length,
                          bcs_contact_field_max_length (field));
}

BcsSkipReason
bcs_contact_check_from_outlook (const BcsContact  *contact,
                                char             **message)
{
  gsize length;

  g_return_val_if_fail (contact != NULL, BCS_SKIP_NONE);

  if (message != NULL)
    *message = NULL;

  if (contact->display_name == NULL)
    return skip (BCS_SKIP_NO_NAME, message, g_strdup (_("No name")));

  if (contact->email == NULL)
    return skip (BCS_SKIP_NO_EMAIL, message, g_strdup (_("No e-mail address")));

  length = bcs_normalize_char_length (contact->display_name);
  if (length > bcs_contact_field_max_length (BCS_FIELD_DISPLAY_NAME))
    return skip (BCS_SKIP_NAME_TOO_LONG, message,
                 too_long_message (BCS_FIELD_DISPLAY_NAME, length));

  length = bcs_normalize_char_length (contact->email);
  if (length > bcs_contact_field_max_length (BCS_FIELD_EMAIL))
    return skip (BCS_SKIP_EMAIL_TOO_LONG, message,
                 too_long_message (BCS_FIELD_EMAIL, length));

  return BCS_SKIP_NONE;
}

const char *
bcs_field_issue_kind_to_string (BcsFieldIssueKind kind)
{
  switch (kind)
    {
    case BCS_FIELD_ISSUE_TOO_LONG:
      return "too-long";
    case BCS_FIELD_ISSUE_UNKNOWN_COUNTRY:
      return "unknown-country";
    default:
      g_return_val_if_reached (NULL);
    }
}

void
bcs_field_issue_free (BcsFieldIssue *issue)
{
  if (issue == NULL)
    return;

  g_free (issue->message);
  g_free (issue);
}

GPtrArray *
bcs_field_issues_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) bcs_field_issue_free);
}

void
bcs_field_issues_add (GPtrArray         *issues,
                      BcsContactField    field,
                      BcsFieldIssueKind  kind,
                      gboolean           skips_contact,
                      char              *message)
{
  BcsFieldIssue *issue;

  if (issues == NULL)
    {
      g_free (message);
      return;
    }

  issue = g_new0 (BcsFieldIssue, 1);
  issue->field = field;
  issue->kind = kind;
  issue->skips_contact = skips_contact;
  issue->message = message;
  g_ptr_array_add (issues, issue);
}

const BcsFieldIssue *
bcs_field_issues_find_skip (GPtrArray *issues)
{
  for (guint i = 0; issues != NULL && i < issues->len; i++)
    {
      const BcsFieldIssue *issue = g_ptr_array_index (issues, i);

      if (issue->skips_contact)
        return issue;
    }

  return NULL;
}

BcsFieldMask
bcs_contact_check_lengths (const BcsContact *contact,
                           BcsFieldMask      fields,
                           GPtrArray        *issues)
{
  BcsFieldMask too_long = 0;

  g_return_val_if_fail (contact != NULL, 0);

  for (guint i = 0; i < BCS_N_FIELDS; i++)
    {
      gsize length;
      gboolean required;
      char *message;

      if (!(fields & BCS_FIELD_MASK (i)))
        continue;

      length = bcs_normalize_char_length (contact->values[i]);
      if (length <= bcs_contact_field_max_length (i))
        continue;

      too_long |= BCS_FIELD_MASK (i);
      required = i == BCS_FIELD_DISPLAY_NAME || i == BCS_FIELD_EMAIL;
      message = too_long_message (i, length);
      if (!required)
        {
          char *full = g_strdup_printf ("%s %s", message,
                                        _("The field was left out."));
          g_free (message);
          message = full;
        }
      bcs_field_issues_add (issues, i, BCS_FIELD_ISSUE_TOO_LONG, required, message);
    }

  return too_long;
}
