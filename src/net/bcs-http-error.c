/* bcs-http-error.c — the one table from a service's error answer to BCS_ERROR
 *
 * Graph and Business Central answer {"error": {"code", "message"}}, the
 * identity platform {"error", "error_description"}. Messages are for
 * people: what failed and what to do; the server's own text is added as
 * detail, never anything that looks like a credential. */
#define G_LOG_DOMAIN "bcs-net"

#include "config.h"

#include <glib/gi18n.h>

#include "bcs-error.h"
#include "bcs-http-private.h"
#include "bcs-json.h"

#define ANY_SERVICE (-1)
#define MAX_DETAIL_LENGTH 300

typedef struct {
  int service;            /* a BcsService or ANY_SERVICE */
  const char *code;       /* the server's error code; NULL: match STATUS */
  guint status;           /* 0: any */
  BcsErrorCode error;
  const char *message;    /* N_(); "%s" is the service's name */
  gboolean with_detail;   /* append the server's message */
} ErrorRule;

static const ErrorRule rules[] = {
  /* Identity platform */
  { ANY_SERVICE, "invalid_grant", 0, BCS_ERROR_AUTH_REQUIRED,
    N_("Your sign-in has expired or was revoked. Sign in again."), FALSE },
  { ANY_SERVICE, "interaction_required", 0, BCS_ERROR_AUTH_REQUIRED,
    N_("The Microsoft sign-in needs you to confirm your account again. Sign in again."), FALSE },
  { ANY_SERVICE, "consent_required", 0, BCS_ERROR_AUTH_REQUIRED,
    N_("The Microsoft sign-in needs your consent again. Sign in again."), FALSE },
  { ANY_SERVICE, "login_required", 0, BCS_ERROR_AUTH_REQUIRED,
    N_("Sign in again."), FALSE },
  { ANY_SERVICE, "expired_token", 0, BCS_ERROR_AUTH_REQUIRED,
    N_("The sign-in code expired before it was used. Start the sign-in again."), FALSE },
  { ANY_SERVICE, "bad_verification_code", 0, BCS_ERROR_AUTH_REQUIRED,
    N_("The sign-in code was not recognised. Start the sign-in again."), FALSE },
  { ANY_SERVICE, "authorization_declined", 0, BCS_ERROR_AUTH_DENIED,
    N_("The sign-in was declined."), FALSE },
  { ANY_SERVICE, "access_denied", 0, BCS_ERROR_AUTH_DENIED,
    N_("The sign-in was declined."), FALSE },
  { ANY_SERVICE, "authorization_pending", 0, BCS_ERROR_AUTH_REQUIRED,
    N_("The sign-in has not been completed in the browser yet."), FALSE },
  { ANY_SERVICE, "slow_down", 0, BCS_ERROR_THROTTLED,
    N_("The Microsoft sign-in service asked us to slow down."), FALSE },
  { ANY_SERVICE, "unauthorized_client", 0, BCS_ERROR_NOT_CONFIGURED,
    N_("This application is not allowed to sign in to your organisation. Ask your administrator to allow it."), TRUE },
  { ANY_SERVICE, "invalid_client", 0, BCS_ERROR_NOT_CONFIGURED,
    N_("This application is not allowed to sign in to your organisation. Ask your administrator to allow it."), TRUE },
  { ANY_SERVICE, "invalid_scope", 0, BCS_ERROR_NOT_CONFIGURED,
    N_("The Microsoft sign-in service refused the permissions this application asks for."), TRUE },

  /* Graph and Business Central */
  { ANY_SERVICE, "InvalidAuthenticationToken", 0, BCS_ERROR_AUTH_REQUIRED,
    N_("%s did not accept the sign-in. Sign in again."), FALSE },
  { ANY_SERVICE, "ErrorAccessDenied", 0, BCS_ERROR_FORBIDDEN,
    N_("%s refused access. Ask your administrator for the needed permissions."), TRUE },
  { ANY_SERVICE, "Authorization_RequestDenied", 0, BCS_ERROR_FORBIDDEN,
    N_("%s refused access. Ask your administrator for the needed permissions."), TRUE },
  { ANY_SERVICE, "ErrorItemNotFound", 0, BCS_ERROR_NOT_FOUND,
    N_("%s could not find the item; it may have been deleted."), FALSE },
  { ANY_SERVICE, "Request_ResourceNotFound", 0, BCS_ERROR_NOT_FOUND,
    N_("%s could not find the item; it may have been deleted."), FALSE },
  { ANY_SERVICE, "BadRequest_NotFound", 0, BCS_ERROR_NOT_FOUND,
    N_("%s could not find the item; it may have been deleted."), FALSE },
  { ANY_SERVICE, "Internal_RecordNotFound", 0, BCS_ERROR_NOT_FOUND,
    N_("%s could not find the item; it may have been deleted."), FALSE },
  { ANY_SERVICE, "Request_EntityChanged", 0, BCS_ERROR_CONFLICT,
    N_("The item was changed in %s at the same time; it will be read again."), FALSE },
  { ANY_SERVICE, "ErrorIrresolvableConflict", 0, BCS_ERROR_CONFLICT,
    N_("The item was changed in %s at the same time; it will be read again."), FALSE },
  { ANY_SERVICE, "SyncStateNotFound", 0, BCS_ERROR_DELTA_EXPIRED,
    N_("%s no longer knows where the last sync stopped; the whole folder will be read again."), FALSE },
  { ANY_SERVICE, "TooManyRequests", 0, BCS_ERROR_THROTTLED,
    N_("%s kept asking us to wait. Try again in a few minutes."), FALSE },
  { ANY_SERVICE, "Application_TooManyRequests", 0, BCS_ERROR_THROTTLED,
    N_("%s kept asking us to wait. Try again in a few minutes."), FALSE },
  { ANY_SERVICE, "BadRequest_InvalidToken", 0, BCS_ERROR_INVALID_INPUT,
    N_("%s needs the item's version (etag) for this change."), TRUE },

  /* By status, when the code is unknown or missing */
  { ANY_SERVICE, NULL, 401, BCS_ERROR_AUTH_REQUIRED,
    N_("%s did not accept the sign-in. Sign in again."), FALSE },
  { ANY_SERVICE, NULL, 403, BCS_ERROR_FORBIDDEN,
    N_("%s refused access. Ask your administrator for the needed permissions."), TRUE },
  { ANY_SERVICE, NULL, 404, BCS_ERROR_NOT_FOUND,
    N_("%s could not find the item; it may have been deleted."), FALSE },
  { ANY_SERVICE, NULL, 409, BCS_ERROR_CONFLICT,
    N_("The item was changed in %s at the same time; it will be read again."), FALSE },
  { ANY_SERVICE, NULL, 412, BCS_ERROR_CONFLICT,
    N_("The item was changed in %s at the same time; it will be read again."), FALSE },
  { BCS_SERVICE_GRAPH, NULL, 410, BCS_ERROR_DELTA_EXPIRED,
    N_("%s no longer knows where the last sync stopped; the whole folder will be read again."), FALSE },
  { ANY_SERVICE, NULL, 410, BCS_ERROR_NOT_FOUND,
    N_("%s could not find the item; it may have been deleted."), FALSE },
  { ANY_SERVICE, NULL, 429, BCS_ERROR_THROTTLED,
    N_("%s kept asking us to wait. Try again in a few minutes."), FALSE },
  { ANY_SERVICE, NULL, 502, BCS_ERROR_UNAVAILABLE,
    N_("%s is not available right now. Try again later."), FALSE },
  { ANY_SERVICE, NULL, 503, BCS_ERROR_UNAVAILABLE,
    N_("%s is not available right now. Try again later."), FALSE },
  { ANY_SERVICE, NULL, 504, BCS_ERROR_UNAVAILABLE,
    N_("%s is not available right now. Try again later."), FALSE },
  { ANY_SERVICE, NULL, 400, BCS_ERROR_INVALID_INPUT,
    N_("%s refused the request."), TRUE },
  { ANY_SERVICE, NULL, 422, BCS_ERROR_INVALID_INPUT,
    N_("%s refused the request."), TRUE },
};

const char *
bcs_http_service_display_name (BcsService service)
{
  switch (service)
    {
    case BCS_SERVICE_GRAPH:
      return _("Microsoft 365");
    case BCS_SERVICE_BC:
      return _("Business Central");
    case BCS_SERVICE_LOGIN:
    case BCS_N_SERVICES:
    default:
      return _("The Microsoft sign-in service");
    }
}

/* A server message is shown only when it cannot hold a credential */
static char *
safe_detail (const char *message)
{
  g_autofree char *detail = NULL;

  if (message == NULL || *message == '\0')
    return NULL;
  if (strstr (message, "Bearer") != NULL || strstr (message, "Basic ") != NULL ||
      strstr (message, "eyJ") != NULL || strstr (message, "token=") != NULL)
    return NULL;
  if (!g_utf8_validate (message, -1, NULL))
    return NULL;

  detail = g_utf8_substring (message, 0, MIN (g_utf8_strlen (message, -1), MAX_DETAIL_LENGTH));
  return g_strstrip (g_steal_pointer (&detail));
}

static void
read_error_json (JsonNode    *json,
                 const char **code,
                 const char **message)
{
  JsonObject *root = bcs_json_node_get_object (json);
  JsonObject *error = bcs_json_get_object (root, "error");

  *code = NULL;
  *message = NULL;
  if (error != NULL)
    {
      *code = bcs_json_get_string (error, "code");
      *message = bcs_json_get_string (error, "message");
    }
  else if (bcs_json_get_string (root, "error") != NULL)
    {
      *code = bcs_json_get_string (root, "error");
      *message = bcs_json_get_string (root, "error_description");
    }
}

static GError *
new_error (BcsErrorCode  code,
           const char   *text,
           const char   *detail)
{
  if (detail != NULL)
    /* TRANSLATORS: an error message, then the server's own words */
    return g_error_new (BCS_ERROR, code, _("%s (%s)"), text, detail);

  return g_error_new_literal (BCS_ERROR, code, text);
}

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"

GError *
bcs_http_error_from_response (BcsService  service,
                              const char *method,
                              const char *path,
                              guint       status,
                              JsonNode   *json,
                              gboolean    basic_auth)
{
  const char *code;
  const char *message;
  g_autofree char *detail = NULL;
  const char *name = bcs_http_service_display_name (service);

  read_error_json (json, &code, &message);
  detail = safe_detail (message);
  g_debug ("%s %s answered %u (%s)", method, bcs_service_to_string (service), status,
           code != NULL ? code : "no error code");

  if (service == BCS_SERVICE_BC && status == 401)
    {
      if (basic_auth)
        return new_error (BCS_ERROR_AUTH_REQUIRED,
                          _("Business Central did not accept the user name or web service access key. "
                            "Check them in the setup."), NULL);
      return new_error (BCS_ERROR_NOT_A_BC_USER,
                        _("Business Central does not know your Microsoft 365 account as a user. "
                          "Ask your Business Central administrator to enter your Microsoft 365 account "
                          "as the Authentication Email in the Microsoft 365 section of your user card."),
                        NULL);
    }

  /* Graph answers a bad delta token with this code too */
  if (g_strcmp0 (code, "ErrorInvalidIdMalformed") == 0 && path != NULL && strstr (path, "/delta") != NULL)
    code = "SyncStateNotFound";

  for (gsize i = 0; i < G_N_ELEMENTS (rules); i++)
    {
      const ErrorRule *rule = &rules[i];
      g_autofree char *text = NULL;

      if (rule->service != ANY_SERVICE && rule->service != (int) service)
        continue;
      if (rule->code != NULL && g_strcmp0 (rule->code, code) != 0)
        continue;
      if (rule->code == NULL && rule->status != status)
        continue;

      text = g_strdup_printf (_(rule->message), name);
      return new_error (rule->error, text, rule->with_detail ? detail : NULL);
    }

  if (status >= 500)
    {
      g_autofree char *text = g_strdup_printf (_("%s had an internal error (HTTP %u). Try again later."),
                                               name, status);
      return new_error (BCS_ERROR_UNAVAILABLE, text, detail);
    }
  else
    {
      g_autofree char *text = g_strdup_printf (_("%s answered with an unexpected error (HTTP %u)."),
                                               name, status);
      return new_error (BCS_ERROR_FAILED, text, detail);
    }
}

#pragma GCC diagnostic pop
