/* bcs-connection-check-judge.c — from what the services answered to a result,
 * a message and a hint per check (pure: no requests) */
#define G_LOG_DOMAIN "bcs-sync"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "bcs-connection-check-private.h"
#include "bcs-error.h"
#include "bcs-json.h"

#define SIGN_IN_HINT N_("Sign in with the Microsoft 365 account of your Business Central user card " \
                        "(bc-contact-sync --sign-in).")

void
bcs_connection_check_result_free (BcsConnectionCheckResult *result)
{
  if (result == NULL)
    return;
  g_free (result->title);
  g_free (result->message);
  g_free (result->hint);
  g_free (result);
}

const char *
bcs_connection_check_id_to_string (BcsConnectionCheckId id)
{
  static const char * const names[] = {
    "signed-in", "bc-user", "environment", "company", "mailbox", "folder", "user-mapping",
  };

  g_return_val_if_fail ((guint) id < G_N_ELEMENTS (names), "unknown");
  return names[id];
}

gboolean
bcs_connection_check_results_passed (GPtrArray *results)
{
  g_return_val_if_fail (results != NULL, FALSE);

  for (guint i = 0; i < results->len; i++)
    if (((BcsConnectionCheckResult *) results->pdata[i])->status == BCS_CHECK_STATUS_FAIL)
      return FALSE;

  return TRUE;
}

void
bcs_check_facts_clear (BcsCheckFacts *facts)
{
  g_clear_pointer (&facts->environment, g_free);
  g_clear_pointer (&facts->company_id, g_free);
  g_clear_pointer (&facts->company_name, g_free);
  g_clear_pointer (&facts->folder_name, g_free);
  g_clear_pointer (&facts->onprem_base, g_free);
  g_clear_pointer (&facts->onprem_user, g_free);
  g_clear_pointer (&facts->me, json_object_unref);
  g_clear_error (&facts->me_error);
  g_clear_pointer (&facts->environments, g_ptr_array_unref);
  g_clear_error (&facts->environments_error);
  g_clear_pointer (&facts->companies, g_ptr_array_unref);
  g_clear_error (&facts->companies_error);
  g_clear_error (&facts->mailbox_error);
  g_clear_pointer (&facts->folder_id, g_free);
  g_clear_error (&facts->folder_error);
  g_clear_pointer (&facts->users, g_ptr_array_unref);
  g_clear_error (&facts->users_error);
}

/* ---- what the facts say ---- */

static const char *
nonempty (const char *text)
{
  return text != NULL && *text != '\0' ? text : NULL;
}

const char *
bcs_check_facts_account (const BcsCheckFacts *facts)
{
  const char *mail = nonempty (bcs_json_get_string (facts->me, "mail"));

  return mail != NULL ? mail : nonempty (bcs_json_get_string (facts->me, "userPrincipalName"));
}

gboolean
bcs_check_facts_signed_in (const BcsCheckFacts *facts)
{
  return bcs_check_facts_account (facts) != NULL;
}

gboolean
bcs_check_facts_bc_usable (const BcsCheckFacts *facts)
{
  if (facts->companies != NULL)
    return TRUE;
  /* Online, a missing environment answers 404: that is the environment check's failure */
  return facts->online && facts->environments != NULL &&
         g_error_matches (facts->companies_error, BCS_ERROR, BCS_ERROR_NOT_FOUND);
}

static JsonObject *
find_company (GPtrArray  *companies,
              const char *id)
{
  for (guint i = 0; companies != NULL && i < companies->len; i++)
    if (g_ascii_strcasecmp (id, bcs_json_get_string (companies->pdata[i], "id") ?: "") == 0)
      return companies->pdata[i];

  return NULL;
}

JsonObject *
bcs_check_facts_company (const BcsCheckFacts *facts)
{
  if (facts->companies == NULL)
    return NULL;
  if (*facts->company_id != '\0')
    return find_company (facts->companies, facts->company_id);
  if (facts->first_company && facts->companies->len > 0)
    return facts->companies->pdata[0];
  return NULL;
}

const char *
bcs_check_facts_users_company_id (const BcsCheckFacts *facts)
{
  JsonObject *company = bcs_check_facts_company (facts);

  /* Users belong to the tenant: any company lists them all */
  if (company == NULL && facts->companies != NULL && facts->companies->len > 0)
    company = facts->companies->pdata[0];
  return nonempty (bcs_json_get_string (company, "id"));
}

/* ---- results ---- */

static void
add (GPtrArray            *results,
     BcsConnectionCheckId  id,
     const char           *title,
     BcsCheckStatus        status,
     char                 *message,
     char                 *hint)
{
  BcsConnectionCheckResult *result = g_new0 (BcsConnectionCheckResult, 1);

  result->id = id;
  result->title = g_strdup (title);
  result->status = status;
  result->message = message;
  result->hint = hint;
  g_ptr_array_add (results, result);
}

static const char *
company_display_name (JsonObject *company)
{
  const char *name = nonempty (bcs_json_get_string (company, "displayName"));

  if (name == NULL)
    name = nonempty (bcs_json_get_string (company, "name"));
  return name != NULL ? name : bcs_json_get_string (company, "id");
}

/* "“A”, “B”" from MEMBER of each item, or "none" */
static char *
list_names (GPtrArray  *items,
            const char *member)
{
  g_autoptr(GString) names = g_string_new (NULL);

  for (guint i = 0; items != NULL && i < items->len; i++)
    {
      const char *name = bcs_json_get_string (items->pdata[i], member);

      if (name == NULL)
        continue;
      if (names->len > 0)
        g_string_append (names, ", ");
      /* TRANSLATORS: a name in quotes, in a list */
      g_string_append_printf (names, _("“%s”"), name);
    }
  if (names->len == 0)
    /* TRANSLATORS: the list of companies or environments is empty */
    return g_strdup (_("none"));
  return g_string_free (g_steal_pointer (&names), FALSE);
}

typedef struct {
  const BcsCheckFacts *facts;
  GPtrArray *results;
  const char *skip;             /* why the rest is skipped, or NULL */
} Judge;

static void
skip (Judge                *judge,
      BcsConnectionCheckId  id,
      const char           *title)
{
  add (judge->results, id, title, BCS_CHECK_STATUS_SKIPPED, g_strdup (judge->skip), NULL);
}

static void
judge_signed_in (Judge *judge)
{
  const BcsCheckFacts *facts = judge->facts;
  const char *title = _("Signed in to Microsoft 365");
  const char *account = bcs_check_facts_account (facts);
  const char *name = nonempty (bcs_json_get_string (facts->me, "displayName"));

  if (account != NULL)
    {
      add (judge->results, BCS_CONNECTION_CHECK_SIGNED_IN, title, BCS_CHECK_STATUS_PASS,
           name != NULL ? g_strdup_printf (_("Signed in as %s (%s)."), name, account)
                        : g_strdup_printf (_("Signed in as %s."), account),
           NULL);
      return;
    }

  if (g_error_matches (facts->me_error, BCS_ERROR, BCS_ERROR_AUTH_REQUIRED))
    {
      add (judge->results, BCS_CONNECTION_CHECK_SIGNED_IN, title, BCS_CHECK_STATUS_FAIL,
           g_strdup (_("You are not signed in to Microsoft 365, or the sign-in has expired.")),
           g_strdup (_(SIGN_IN_HINT)));
      judge->skip = _("Skipped: sign in first.");
      return;
    }

  if (facts->me_error != NULL)
    add (judge->results, BCS_CONNECTION_CHECK_SIGNED_IN, title, BCS_CHECK_STATUS_FAIL,
         g_strdup_printf (_("Microsoft 365 could not say who is signed in: %s"), facts->me_error->message),
         g_strdup (_("Check the network connection and try again. If it keeps failing, sign in again.")));
  else
    add (judge->results, BCS_CONNECTION_CHECK_SIGNED_IN, title, BCS_CHECK_STATUS_FAIL,
         g_strdup (_("Microsoft 365 answered without the signed-in account’s name or address.")),
         g_strdup (_("Try again later. If it keeps failing, sign in again.")));
  judge->skip = _("Skipped: Microsoft 365 must say who is signed in first.");
}

static void
judge_bc_online (Judge *judge)
{
  const BcsCheckFacts *facts = judge->facts;
  const char *title = _("Business Central user");
  const char *account = bcs_check_facts_account (facts);
  const GError *error = facts->environments_error != NULL ? facts->environments_error : facts->companies_error;

  if (judge->skip != NULL)
    {
      skip (judge, BCS_CONNECTION_CHECK_BC_USER, title);
      return;
    }

  if (g_error_matches (error, BCS_ERROR, BCS_ERROR_NOT_A_BC_USER))
    {
      add (judge->results, BCS_CONNECTION_CHECK_BC_USER, title, BCS_CHECK_STATUS_FAIL,
           g_strdup_printf (_("Your Microsoft 365 account %s is not a Business Central user."), account),
           g_strdup (_("Ask your Business Central administrator to enter this account as the "
                       "Authentication Email in the Microsoft 365 section of your user card.")));
      judge->skip = _("Skipped: Business Central must accept your account first.");
      return;
    }

  if (!bcs_check_facts_bc_usable (facts))
    {
      add (judge->results, BCS_CONNECTION_CHECK_BC_USER, title, BCS_CHECK_STATUS_FAIL,
           g_strdup_printf (_("Business Central could not be reached: %s"),
                            error != NULL ? error->message : _("no answer")),
           g_error_matches (error, BCS_ERROR, BCS_ERROR_AUTH_REQUIRED) ? g_strdup (_(SIGN_IN_HINT))
           : g_strdup (_("Check the network connection and try again later.")));
      judge->skip = _("Skipped: Business Central must answer first.");
      return;
    }

  if (facts->companies != NULL)
    add (judge->results, BCS_CONNECTION_CHECK_BC_USER, title, BCS_CHECK_STATUS_PASS,
         g_strdup_printf (_("Business Central knows %s as a user."), account), NULL);
  else
    add (judge->results, BCS_CONNECTION_CHECK_BC_USER, title, BCS_CHECK_STATUS_PASS,
         g_strdup (_("Business Central answers; whether it knows your account depends on the environment below.")),
         NULL);
}

static void
judge_bc_onprem (Judge *judge)
{
  const BcsCheckFacts *facts = judge->facts;
  const char *title = _("Business Central user name and key");
  const GError *error = facts->companies_error;

  if (*facts->onprem_base == '\0')
    {
      add (judge->results, BCS_CONNECTION_CHECK_BC_USER, title, BCS_CHECK_STATUS_FAIL,
           g_strdup (_("No Business Central server is set for on-premises use.")),
           g_strdup (_("Enter the address of the server’s API (for example "
                       "https://bc.example.com:7048/BC) in the setup.")));
      judge->skip = _("Skipped: Business Central must answer first.");
      return;
    }

  if (facts->companies != NULL)
    {
      add (judge->results, BCS_CONNECTION_CHECK_BC_USER, title, BCS_CHECK_STATUS_PASS,
           g_strdup_printf (_("Business Central at %s accepted the user name %s and its web service access key."),
                            facts->onprem_base, facts->onprem_user),
           NULL);
      return;
    }

  if (g_error_matches (error, BCS_ERROR, BCS_ERROR_AUTH_REQUIRED) ||
      g_error_matches (error, BCS_ERROR, BCS_ERROR_NOT_CONFIGURED))
    add (judge->results, BCS_CONNECTION_CHECK_BC_USER, title, BCS_CHECK_STATUS_FAIL,
         g_strdup (error->message),
         g_strdup (_("Enter your Business Central user name and the web service access key from your "
                     "user card in the setup.")));
  else
    add (judge->results, BCS_CONNECTION_CHECK_BC_USER, title, BCS_CHECK_STATUS_FAIL,
         g_strdup_printf (_("Business Central at %s could not be reached: %s"), facts->onprem_base,
                          error != NULL ? error->message : _("no answer")),
         g_strdup (_("Check the server address in the setup and that the server is running.")));
  judge->skip = _("Skipped: Business Central must answer first.");
}

static void
judge_environment (Judge *judge)
{
  const BcsCheckFacts *facts = judge->facts;
  const char *title = _("Business Central environment");
  g_autofree char *names = NULL;

  if (judge->skip != NULL)
    {
      skip (judge, BCS_CONNECTION_CHECK_ENVIRONMENT, title);
      return;
    }

  for (guint i = 0; facts->environments != NULL && i < facts->environments->len; i++)
    {
      JsonObject *environment = facts->environments->pdata[i];
      const char *type = nonempty (bcs_json_get_string (environment, "type"));

      if (g_ascii_strcasecmp (bcs_json_get_string (environment, "name") ?: "", facts->environment) != 0)
        continue;
      add (judge->results, BCS_CONNECTION_CHECK_ENVIRONMENT, title, BCS_CHECK_STATUS_PASS,
           type != NULL
           /* TRANSLATORS: the first %s is an environment's name, the second its type (Production, Sandbox) */
           ? g_strdup_printf (_("Environment “%s” (%s) found."), facts->environment, type)
           : g_strdup_printf (_("Environment “%s” found."), facts->environment),
           NULL);
      return;
    }

  /* Not listed, yet its companies answered: the list is not all there is */
  if (facts->companies != NULL)
    {
      add (judge->results, BCS_CONNECTION_CHECK_ENVIRONMENT, title, BCS_CHECK_STATUS_PASS,
           g_strdup_printf (_("Environment “%s” answers."), facts->environment), NULL);
      return;
    }

  names = list_names (facts->environments, "name");
  add (judge->results, BCS_CONNECTION_CHECK_ENVIRONMENT, title, BCS_CHECK_STATUS_FAIL,
       g_strdup_printf (_("There is no environment “%s” in your Business Central. Environments: %s."),
                        facts->environment, names),
       g_strdup (_("Choose one of these environments in the setup.")));
  judge->skip = _("Skipped: choose an existing environment first.");
}

static void
judge_company (Judge *judge)
{
  const BcsCheckFacts *facts = judge->facts;
  const char *title = _("Business Central company");
  JsonObject *company;
  g_autofree char *names = NULL;

  if (judge->skip != NULL)
    {
      skip (judge, BCS_CONNECTION_CHECK_COMPANY, title);
      return;
    }

  company = bcs_check_facts_company (facts);
  names = list_names (facts->companies, "name");
  if (company != NULL && *facts->company_id != '\0')
    add (judge->results, BCS_CONNECTION_CHECK_COMPANY, title, BCS_CHECK_STATUS_PASS,
         g_strdup_printf (_("Company “%s” found."), company_display_name (company)), NULL);
  else if (company != NULL)
    add (judge->results, BCS_CONNECTION_CHECK_COMPANY, title, BCS_CHECK_STATUS_WARNING,
         g_strdup_printf (_("No company is chosen: the first one, “%s”, will be used. Companies: %s."),
                          company_display_name (company), names),
         g_strdup (_("Choose the company in the setup to be sure which one is synced.")));
  else if (facts->companies->len == 0)
    add (judge->results, BCS_CONNECTION_CHECK_COMPANY, title, BCS_CHECK_STATUS_FAIL,
         g_strdup (_("Business Central has no company.")),
         g_strdup (_("Ask your Business Central administrator which environment holds your company.")));
  else if (*facts->company_id != '\0')
    add (judge->results, BCS_CONNECTION_CHECK_COMPANY, title, BCS_CHECK_STATUS_FAIL,
         *facts->company_name != '\0'
         /* TRANSLATORS: the first %s is a company's name, the second its id, the third a list of names */
         ? g_strdup_printf (_("The company “%s” (id %s) chosen in the setup does not exist in Business Central. "
                              "Companies: %s."), facts->company_name, facts->company_id, names)
         : g_strdup_printf (_("The company with id %s chosen in the setup does not exist in Business Central. "
                              "Companies: %s."), facts->company_id, names),
         g_strdup (_("Choose one of these companies in the setup.")));
  else
    add (judge->results, BCS_CONNECTION_CHECK_COMPANY, title, BCS_CHECK_STATUS_FAIL,
         g_strdup_printf (_("No company is chosen. Companies: %s."), names),
         g_strdup (_("Choose one of these companies in the setup.")));
}

static void
judge_mailbox (Judge *judge)
{
  const BcsCheckFacts *facts = judge->facts;
  const char *title = _("Outlook mailbox");
  const char *account = bcs_check_facts_account (facts);

  if (judge->skip != NULL)
    {
      skip (judge, BCS_CONNECTION_CHECK_MAILBOX, title);
      return;
    }

  if (facts->mailbox_ok)
    {
      add (judge->results, BCS_CONNECTION_CHECK_MAILBOX, title, BCS_CHECK_STATUS_PASS,
           g_strdup_printf (_("The contacts of the mailbox %s can be read."), account), NULL);
      return;
    }

  add (judge->results, BCS_CONNECTION_CHECK_MAILBOX, title, BCS_CHECK_STATUS_FAIL,
       g_strdup_printf (_("The contacts of the mailbox %s could not be read: %s"), account,
                        facts->mailbox_error != NULL ? facts->mailbox_error->message : _("no answer")),
       g_error_matches (facts->mailbox_error, BCS_ERROR, BCS_ERROR_FORBIDDEN)
       ? g_strdup (_("Sign in again and allow access to your contacts."))
       : g_strdup (_("The account needs an Exchange Online mailbox. Check the network connection and try again.")));
}

static void
judge_folder (Judge *judge)
{
  const BcsCheckFacts *facts = judge->facts;
  const char *title = _("Outlook folder");

  if (judge->skip != NULL || !facts->mailbox_ok)
    {
      add (judge->results, BCS_CONNECTION_CHECK_FOLDER, title, BCS_CHECK_STATUS_SKIPPED,
           g_strdup (judge->skip != NULL ? judge->skip : _("Skipped: the mailbox must be readable first.")), NULL);
      return;
    }

  if (facts->folder_id != NULL)
    add (judge->results, BCS_CONNECTION_CHECK_FOLDER, title, BCS_CHECK_STATUS_PASS,
         g_strdup_printf (_("Folder “%s” found under Contacts."), facts->folder_name), NULL);
  else if (facts->folder_error == NULL)
    add (judge->results, BCS_CONNECTION_CHECK_FOLDER, title, BCS_CHECK_STATUS_PASS,
         g_strdup_printf (_("Folder “%s” does not exist yet: it will be created under Contacts at the first sync."),
                          facts->folder_name),
         NULL);
  else
    add (judge->results, BCS_CONNECTION_CHECK_FOLDER, title, BCS_CHECK_STATUS_WARNING,
         g_strdup_printf (_("Folder “%s” could not be looked up: %s"), facts->folder_name, facts->folder_error->message),
         g_strdup (_("The first sync looks it up again and creates it when it is missing.")));
}

/* ---- the user record and the mailbox ---- */

static JsonObject *
find_user (GPtrArray  *users,
           const char *member,
           const char *value)
{
  for (guint i = 0; value != NULL && users != NULL && i < users->len; i++)
    if (g_ascii_strcasecmp (bcs_json_get_string (users->pdata[i], member) ?: "", value) == 0)
      return users->pdata[i];

  return NULL;
}

/* Online, Business Central does not say which record is the caller's: the
 * one with the mailbox as contactEmail, else the one named like the account
 * (user names are made from the account's first part), else the one with
 * the account's display name */
static JsonObject *
find_own_user (const BcsCheckFacts *facts)
{
  const char *mail = nonempty (bcs_json_get_string (facts->me, "mail"));
  const char *upn = nonempty (bcs_json_get_string (facts->me, "userPrincipalName"));
  const char *display_name = nonempty (bcs_json_get_string (facts->me, "displayName"));
  JsonObject *user;

  if (!facts->online)
    return find_user (facts->users, "userName", facts->onprem_user);

  if ((user = find_user (facts->users, "contactEmail", mail)) != NULL ||
      (user = find_user (facts->users, "contactEmail", upn)) != NULL)
    return user;
  if (upn != NULL)
    {
      g_autofree char *local = g_strndup (upn, strcspn (upn, "@"));

      if ((user = find_user (facts->users, "userName", local)) != NULL)
        return user;
    }
  return find_user (facts->users, "displayName", display_name);
}

static gboolean
is_own_address (const BcsCheckFacts *facts,
                const char          *address)
{
  const char *mail = nonempty (bcs_json_get_string (facts->me, "mail"));
  const char *upn = nonempty (bcs_json_get_string (facts->me, "userPrincipalName"));

  return address != NULL &&
         ((mail != NULL && g_ascii_strcasecmp (address, mail) == 0) ||
          (upn != NULL && g_ascii_strcasecmp (address, upn) == 0));
}

static void
judge_user_mapping (Judge *judge)
{
  const BcsCheckFacts *facts = judge->facts;
  const char *title = _("Business Central user and mailbox");
  const char *mailbox = bcs_check_facts_account (facts);
  JsonObject *user;
  const char *user_name, *contact_email;

  if (judge->skip != NULL)
    {
      skip (judge, BCS_CONNECTION_CHECK_USER_MAPPING, title);
      return;
    }

  if (facts->users == NULL)
    {
      const GError *error = facts->users_error;
      char *message;

      if (g_error_matches (error, BCS_ERROR, BCS_ERROR_FORBIDDEN))
        message = g_strdup (_("Skipped: Business Central does not let this account read user records, so the "
                              "contact e-mail of the user card cannot be compared with the mailbox."));
      else if (error != NULL)
        message = g_strdup_printf (_("Skipped: the user records of Business Central could not be read: %s"),
                                   error->message);
      else
        message = g_strdup (_("Skipped: Business Central has no company to read user records from."));
      add (judge->results, BCS_CONNECTION_CHECK_USER_MAPPING, title, BCS_CHECK_STATUS_SKIPPED, message, NULL);
      return;
    }

  user = find_own_user (facts);
  user_name = nonempty (bcs_json_get_string (user, "userName"));
  contact_email = nonempty (bcs_json_get_string (user, "contactEmail"));

  if (user == NULL && facts->online)
    add (judge->results, BCS_CONNECTION_CHECK_USER_MAPPING, title, BCS_CHECK_STATUS_WARNING,
         g_strdup_printf (_("No Business Central user record has %s as its contact e-mail."), mailbox),
         g_strdup_printf (_("Confirm that the mailbox %s belongs to your Business Central user, or enter it "
                            "as the contact e-mail on your user card."), mailbox));
  else if (user == NULL)
    add (judge->results, BCS_CONNECTION_CHECK_USER_MAPPING, title, BCS_CHECK_STATUS_WARNING,
         g_strdup_printf (_("Business Central has no user record named %s, so its mailbox is not known."),
                          facts->onprem_user),
         /* TRANSLATORS: the first %s is an e-mail address, the second a Business Central user name */
         g_strdup_printf (_("Confirm that the mailbox %s belongs to the Business Central user %s."),
                          mailbox, facts->onprem_user));
  else if (is_own_address (facts, contact_email))
    add (judge->results, BCS_CONNECTION_CHECK_USER_MAPPING, title, BCS_CHECK_STATUS_PASS,
         /* TRANSLATORS: the first %s is a Business Central user name, the second an e-mail address */
         g_strdup_printf (_("The Business Central user %s has the mailbox %s as contact e-mail."),
                          user_name != NULL ? user_name : "?", mailbox),
         NULL);
  else if (contact_email == NULL)
    add (judge->results, BCS_CONNECTION_CHECK_USER_MAPPING, title, BCS_CHECK_STATUS_WARNING,
         g_strdup_printf (_("The user card of the Business Central user %s has no contact e-mail."),
                          user_name != NULL ? user_name : "?"),
         g_strdup_printf (_("Confirm that the mailbox %s belongs to the Business Central user %s, or enter it "
                            "as the contact e-mail on the user card."), mailbox, user_name != NULL ? user_name : "?"));
  else
    add (judge->results, BCS_CONNECTION_CHECK_USER_MAPPING, title, BCS_CHECK_STATUS_WARNING,
         /* TRANSLATORS: a Business Central user name, its contact e-mail, and the mailbox's address */
         g_strdup_printf (_("The Business Central user %s has the contact e-mail %s, but the mailbox is %s."),
                          user_name != NULL ? user_name : "?", contact_email, mailbox),
         g_strdup_printf (_("Contacts will sync with the mailbox %s. If that is not this user’s mailbox, sign in "
                            "with the Microsoft 365 account of the user card; otherwise correct the contact "
                            "e-mail on the user card."), mailbox));
}

GPtrArray *
bcs_check_facts_judge (const BcsCheckFacts *facts)
{
  Judge judge = { facts, g_ptr_array_new_with_free_func ((GDestroyNotify) bcs_connection_check_result_free), NULL };

  judge_signed_in (&judge);
  if (facts->online)
    {
      judge_bc_online (&judge);
      judge_environment (&judge);
      judge_company (&judge);
    }
  else
    {
      /* On premises, Business Central takes its own user name and key */
      const char *m365_skip = judge.skip;

      judge.skip = NULL;
      judge_bc_onprem (&judge);
      judge_company (&judge);
      if (m365_skip != NULL)
        judge.skip = m365_skip;
    }
  judge_mailbox (&judge);
  judge_folder (&judge);
  judge_user_mapping (&judge);
  return judge.results;
}
