/* bcs-sb-bc.c — Business Central under /bc: authentication, routing, the
 * environments and companies endpoints (contacts and users are in
 * bcs-sb-bc-contacts.c), the control API and the change-etag fault
 *
 * Online:       /bc/environments/v1.2
 *               /bc/v2.0/{tenant}/{environment}/api/v2.0/…          (bearer, resource "bc")
 *               /bc/v2.0/{tenant}/{environment}/api/microsoft/automation/v2.0/…
 * On-premises:  /bc/onprem/api/v2.0/…, /bc/onprem/api/microsoft/automation/v2.0/…
 *               (Basic auth, user DEMO, the web service access key as password)
 *
 * An account with a valid token that is not a BC user (no user card with its
 * authentication e-mail) gets 401 Authentication_InvalidCredentials, as a
 * Microsoft 365 account without a Business Central licence does.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bcs-sandbox"

#include "config.h"

#include <string.h>

#include "bcs-sb-bc-private.h"

#define API_STANDARD    "api/v2.0"
#define API_AUTOMATION  "api/microsoft/automation/v2.0"
#define APP_VERSION     "27.1.40143.41280"

static void
target_clear (Target *target)
{
  g_free (target->root);
  g_strfreev (target->segments);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Target, target_clear)

void
bcs_sb_bc_method_not_allowed (BcsSbResponse *response,
                              BcsSbRequest  *request)
{
  g_autofree char *message =
    g_strdup_printf ("The requested HTTP method '%s' is not supported on this resource.", request->method);

  bcs_sb_bc_error (response, 405, "BadRequest_MethodNotAllowed", message);
}

void
bcs_sb_bc_error (BcsSbResponse *response,
                 guint          status,
                 const char    *code,
                 const char    *message)
{
  g_autofree char *correlation = g_uuid_string_random ();
  g_autofree char *text = g_strdup_printf ("%s  CorrelationId:  %s.", message, correlation);

  bcs_sb_response_set_error (response, status, code, text);
}

static void
not_found (BcsSbResponse *response,
           BcsSbRequest  *request)
{
  g_autofree char *message =
    g_strdup_printf ("No HTTP resource was found that matches the request URI '%s%s'.",
                     request->base_url ? request->base_url : "", request->path);

  bcs_sb_bc_error (response, 404, "BadRequest_NotFound", message);
}

/* ---- lifecycle ---- */

BcsSbBc *
bcs_sb_bc_new (BcsSandbox *sandbox)
{
  BcsSbBc *bc = g_new0 (BcsSbBc, 1);
  guint32 seed[2] = { (guint32) sandbox->options.seed, (guint32) (sandbox->options.seed >> 32) ^ 0xbc };

  bc->sandbox = sandbox;
  bc->companies = g_ptr_array_new_with_free_func ((GDestroyNotify) bcs_sb_bc_company_free);
  bc->users = g_ptr_array_new_with_free_func ((GDestroyNotify) bcs_sb_bc_user_free);
  bc->rand = g_rand_new_with_seed_array (seed, 2);
  bc->row_version = G_GUINT64_CONSTANT (7780921520432060459);
  bcs_sb_bc_seed_defaults (bc);
  return bc;
}

void
bcs_sb_bc_free (BcsSbBc *bc)
{
  if (bc == NULL)
    return;
  g_clear_pointer (&bc->undo, g_ptr_array_unref);
  g_ptr_array_unref (bc->companies);
  g_ptr_array_unref (bc->users);
  g_rand_free (bc->rand);
  g_free (bc);
}

/* ---- authentication ---- */

static void
reject_credentials (BcsSbRequest  *request,
                    BcsSbResponse *response,
                    gboolean       basic)
{
  bcs_sb_bc_error (response, 401, "Authentication_InvalidCredentials",
                   "The server has rejected the client credentials.");
  if (basic)
    soup_message_headers_replace (response->headers, "WWW-Authenticate",
                                  "Basic realm=\"Business Central sandbox\"");
  else
    {
      g_autofree char *login = NULL;
      g_autofree char *value = NULL;

      if (request->base_url != NULL && g_str_has_suffix (request->base_url, "/bc"))
        login = g_strndup (request->base_url, strlen (request->base_url) - 3);
      value = g_strdup_printf ("Bearer authorization_uri=\"%s/login/sandbox/oauth2/authorize\", "
                               "resource_id=\"https://api.businesscentral.dynamics.com\"",
                               login ? login : "");
      soup_message_headers_replace (response->headers, "WWW-Authenticate", value);
    }
}

static gboolean
check_basic (BcsSbBc       *bc,
             BcsSbRequest  *request,
             BcsSbResponse *response)
{
  const char *header = soup_message_headers_get_one (request->headers, "Authorization");
  g_autofree guchar *decoded = NULL;
  g_autofree char *text = NULL;
  char *colon;
  gsize length = 0;

  if (request->in_batch)
    return TRUE;
  if (header != NULL && g_ascii_strncasecmp (header, "Basic ", 6) == 0)
    {
      decoded = g_base64_decode (header + 6, &length);
      text = g_strndup ((const char *) decoded, length);
      colon = strchr (text, ':');
      if (colon != NULL)
        {
          *colon = '\0';
          if (g_ascii_strcasecmp (text, BC_ONPREM_USER) == 0 && strcmp (colon + 1, BC_ONPREM_KEY) == 0)
            {
              g_free (request->user);
              request->user = g_strdup (BC_ONPREM_USER);
              return TRUE;
            }
        }
    }
  reject_credentials (request, response, TRUE);
  return FALSE;
}

/* A bearer token for Business Central, of an account that is a BC user */
static gboolean
check_bearer (BcsSandbox    *sandbox,
              BcsSbRequest  *request,
              BcsSbResponse *response,
              gboolean       need_user)
{
  if (request->in_batch)
    return TRUE;
  if (!bcs_sb_login_check_bearer (sandbox, request, "bc", response))
    return FALSE;
  if (need_user && bcs_sb_bc_find_user (sandbox->bc, request->user) == NULL)
    {
      g_debug ("%s is not a Business Central user", request->user ? request->user : "(nobody)");
      reject_credentials (request, response, FALSE);
      return FALSE;
    }
  return TRUE;
}

/* ---- environments and companies ---- */

static JsonObject *
environment_json (const char *name,
                  const char *type)
{
  JsonObject *env = json_object_new ();

  json_object_set_string_member (env, "friendlyName", name);
  json_object_set_string_member (env, "type", type);
  json_object_set_string_member (env, "name", name);
  json_object_set_string_member (env, "countryCode", "DE");
  json_object_set_string_member (env, "applicationFamily", "BusinessCentral");
  json_object_set_string_member (env, "aadTenantId", BC_TENANT_ID);
  json_object_set_string_member (env, "applicationVersion", APP_VERSION);
  json_object_set_string_member (env, "status", "Active");
  json_object_set_string_member (env, "webClientLoginUrl", "https://businesscentral.dynamics.com/sandbox");
  json_object_set_string_member (env, "ringName", "PROD");
  return env;
}

static void
list_environments (BcsSbResponse *response)
{
  JsonObject *object = json_object_new ();
  JsonArray *value = json_array_new ();

  json_array_add_object_element (value, environment_json ("production", "Production"));
  json_array_add_object_element (value, environment_json ("test", "Sandbox"));
  json_object_set_array_member (object, "value", value);
  bcs_sb_response_set_object (response, 200, object);
}

static char *
context_url (BcsSbRequest *request,
             const Target *target,
             const char   *what)
{
  return g_strdup_printf ("%s%s/$metadata#%s", request->base_url ? request->base_url : "", target->root, what);
}

static JsonObject *
company_json (BcsSbBcCompany *company)
{
  JsonObject *object = json_object_new ();
  g_autofree char *timestamp = g_strdup_printf ("%" G_GUINT64_FORMAT, company->timestamp);

  json_object_set_string_member (object, "id", company->id);
  json_object_set_string_member (object, "systemVersion", APP_VERSION);
  json_object_set_int_member (object, "timestamp", (gint64) company->timestamp);
  json_object_set_string_member (object, "name", company->name);
  json_object_set_string_member (object, "displayName", company->name);
  json_object_set_string_member (object, "businessProfileId", "");
  json_object_set_string_member (object, "systemCreatedAt", company->created_at);
  json_object_set_string_member (object, "systemCreatedBy", "00000000-0000-0000-0000-000000000001");
  json_object_set_string_member (object, "systemModifiedAt", company->created_at);
  json_object_set_string_member (object, "systemModifiedBy", "00000000-0000-0000-0000-000000000001");
  return object;
}

/* "name(key)" → name and key (quotes removed); FALSE when not of that shape */
static gboolean
split_key (const char  *segment,
           char       **name,
           char       **key)
{
  const char *open = strchr (segment, '(');
  gsize n = strlen (segment);

  if (open == NULL)
    {
      *name = g_strdup (segment);
      *key = NULL;
      return TRUE;
    }
  if (n < 2 || segment[n - 1] != ')')
    return FALSE;
  *name = g_strndup (segment, open - segment);
  *key = g_strndup (open + 1, segment + n - 1 - open - 1);
  if (strlen (*key) >= 2 && (*key)[0] == '\'' && (*key)[strlen (*key) - 1] == '\'')
    {
      char *unquoted = g_strndup (*key + 1, strlen (*key) - 2);

      g_free (*key);
      *key = unquoted;
    }
  return TRUE;
}

static BcsSbBcCompany *
lookup_company (BcsSbBc       *bc,
                const Target  *target,
                const char    *id,
                BcsSbResponse *response)
{
  BcsSbBcCompany *company = target->has_data && id != NULL ? bcs_sb_bc_find_company (bc, id) : NULL;

  if (company == NULL)
    {
      g_autofree char *message = g_strdup_printf ("The company \"%s\" does not exist.", id ? id : "");

      bcs_sb_bc_error (response, 404, "BadRequest_NotFound", message);
    }
  return company;
}

/* ---- routing ---- */

static void
list_companies (BcsSbBc       *bc,
                BcsSbRequest  *request,
                const Target  *target,
                BcsSbResponse *response)
{
  JsonObject *object = json_object_new ();
  JsonArray *value = json_array_new ();
  g_autofree char *context = context_url (request, target, "companies");

  for (guint i = 0; target->has_data && i < bc->companies->len; i++)
    json_array_add_object_element (value, company_json (g_ptr_array_index (bc->companies, i)));
  json_object_set_string_member (object, "@odata.context", context);
  json_object_set_array_member (object, "value", value);
  bcs_sb_response_set_object (response, 200, object);
}

/* GET on the API root: the OData service document */
static void
service_document (BcsSbRequest  *request,
                  const Target  *target,
                  BcsSbResponse *response)
{
  JsonObject *object = json_object_new ();
  JsonArray *value = json_array_new ();
  JsonObject *set = json_object_new ();
  g_autofree char *context = g_strdup_printf ("%s%s/$metadata", request->base_url ? request->base_url : "",
                                              target->root);

  json_object_set_string_member (set, "name", "companies");
  json_object_set_string_member (set, "kind", "EntitySet");
  json_object_set_string_member (set, "url", "companies");
  json_array_add_object_element (value, set);
  json_object_set_string_member (object, "@odata.context", context);
  json_object_set_array_member (object, "value", value);
  bcs_sb_response_set_object (response, 200, object);
}

static void
handle_api (BcsSandbox    *sandbox,
            BcsSbRequest  *request,
            const Target  *target,
            BcsSbResponse *response)
{
  BcsSbBc *bc = sandbox->bc;
  char **seg = target->segments;
  guint n = g_strv_length (seg);
  g_autofree char *name = NULL;
  g_autofree char *key = NULL;
  g_autofree char *child = NULL;
  g_autofree char *child_key = NULL;
  BcsSbBcCompany *company;

  if (n == 1 && strcmp (seg[0], "$batch") == 0 && !target->automation)
    {
      if (request->in_batch || strcmp (request->method, "POST") != 0)
        bcs_sb_bc_method_not_allowed (response, request);
      else
        bcs_sb_bc_batch (sandbox, request, target->root, response);
      return;
    }
  if (n == 0 && strcmp (request->method, "GET") == 0)
    {
      service_document (request, target, response);
      return;
    }
  if (n == 0 || n > 2 || !split_key (seg[0], &name, &key) || strcmp (name, "companies") != 0)
    {
      not_found (response, request);
      return;
    }
  if (n == 1 && key == NULL)
    {
      if (strcmp (request->method, "GET") == 0)
        list_companies (bc, request, target, response);
      else
        bcs_sb_bc_method_not_allowed (response, request);
      return;
    }
  if ((company = lookup_company (bc, target, key, response)) == NULL)
    return;
  if (n == 1)
    {
      JsonObject *object = company_json (company);
      g_autofree char *context = context_url (request, target, "companies/$entity");

      json_object_set_string_member (object, "@odata.context", context);
      bcs_sb_response_set_object (response, 200, object);
      return;
    }
  if (!split_key (seg[1], &child, &child_key))
    not_found (response, request);
  else if (!target->automation && strcmp (child, "contacts") == 0)
    bcs_sb_bc_handle_contacts (bc, company, child_key, request, target, response);
  else if (target->automation && strcmp (child, "users") == 0)
    bcs_sb_bc_handle_users (bc, company, child_key, request, target, response);
  else
    not_found (response, request);
}

/* Splits REST ("api/v2.0/companies/…") into the API and what follows */
static gboolean
parse_api (const char *prefix,
           const char *rest,
           Target     *target)
{
  const char *below;

  if (g_str_has_prefix (rest, API_AUTOMATION) && (rest[strlen (API_AUTOMATION)] == '\0' || rest[strlen (API_AUTOMATION)] == '/'))
    {
      target->automation = TRUE;
      below = rest + strlen (API_AUTOMATION);
    }
  else if (g_str_has_prefix (rest, API_STANDARD) && (rest[strlen (API_STANDARD)] == '\0' || rest[strlen (API_STANDARD)] == '/'))
    below = rest + strlen (API_STANDARD);
  else
    return FALSE;

  target->root = g_strndup (prefix, below - prefix);
  while (*below == '/')
    below++;
  target->segments = *below ? g_strsplit (below, "/", -1) : g_new0 (char *, 1);
  /* a trailing slash */
  {
    guint n = g_strv_length (target->segments);

    if (n > 0 && *target->segments[n - 1] == '\0')
      g_clear_pointer (&target->segments[n - 1], g_free);
  }
  return TRUE;
}

void
bcs_sb_bc_handle (BcsSandbox    *sandbox,
                  BcsSbRequest  *request,
                  BcsSbResponse *response)
{
  const char *path = request->path;
  g_auto(Target) target = { NULL, FALSE, TRUE, NULL };

  if (strcmp (path, "/environments/v1.2") == 0 || strcmp (path, "/environments/v1.2/") == 0)
    {
      if (!check_bearer (sandbox, request, response, FALSE))
        return;
      if (strcmp (request->method, "GET") == 0)
        list_environments (response);
      else
        bcs_sb_bc_method_not_allowed (response, request);
      return;
    }

  if (g_str_has_prefix (path, "/onprem/"))
    {
      if (!check_basic (sandbox->bc, request, response))
        return;
      if (!parse_api (path, path + strlen ("/onprem/"), &target))
        {
          not_found (response, request);
          return;
        }
      handle_api (sandbox, request, &target, response);
      return;
    }

  if (g_str_has_prefix (path, "/v2.0/"))
    {
      g_auto(GStrv) parts = g_strsplit (path + strlen ("/v2.0/"), "/", 3);

      if (!check_bearer (sandbox, request, response, TRUE))
        return;
      if (g_strv_length (parts) < 3 || !parse_api (path, path + strlen ("/v2.0/") + strlen (parts[0]) + strlen (parts[1]) + 2, &target))
        {
          not_found (response, request);
          return;
        }
      if (g_ascii_strcasecmp (parts[0], "sandbox") != 0 && g_ascii_strcasecmp (parts[0], BC_TENANT_ID) != 0)
        {
          g_autofree char *message = g_strdup_printf ("The tenant '%s' was not found.", parts[0]);

          bcs_sb_bc_error (response, 404, "BadRequest_NotFound", message);
          return;
        }
      if (strcmp (parts[1], "production") != 0 && strcmp (parts[1], "test") != 0)
        {
          g_autofree char *message =
            g_strdup_printf ("The environment '%s' does not exist in tenant '%s'.", parts[1], parts[0]);

          bcs_sb_bc_error (response, 404, "BadRequest_NotFound", message);
          return;
        }
      target.has_data = strcmp (parts[1], "production") == 0;
      handle_api (sandbox, request, &target, response);
      return;
    }

  not_found (response, request);
}

/* ---- the control API and faults ---- */

static BcsSbBcContact *
find_contact_anywhere (BcsSbBc        *bc,
                       const char     *id,
                       BcsSbBcCompany **company)
{
  for (guint i = 0; i < bc->companies->len; i++)
    {
      BcsSbBcCompany *c = g_ptr_array_index (bc->companies, i);
      BcsSbBcContact *contact = g_hash_table_lookup (c->by_id, id);

      if (contact != NULL)
        {
          *company = c;
          return contact;
        }
    }
  return NULL;
}

void
bcs_sb_bc_control (BcsSandbox    *sandbox,
                   BcsSbRequest  *request,
                   BcsSbResponse *response)
{
  BcsSbBc *bc = sandbox->bc;
  const char *path = request->path;
  const char *method = request->method;
  g_autoptr(JsonNode) node = NULL;
  Target target = { (char *) "/v2.0/sandbox/production/api/v2.0", FALSE, TRUE, NULL };
  BcsSbBcCompany *company = NULL;
  BcsSbBcContact *contact;
  JsonObject *object;

  if (request->base_url != NULL && !g_str_has_suffix (request->base_url, "/bc"))
    {
      g_autofree char *base = g_strconcat (request->base_url, "/bc", NULL);

      g_free (request->base_url);
      request->base_url = g_steal_pointer (&base);
    }

  if (strcmp (path, "/contacts") == 0 && strcmp (method, "POST") == 0)
    {
      const char *company_id;

      if ((object = bcs_sb_bc_body_object (request, &node, response)) == NULL)
        return;
      company_id = json_object_get_string_member_with_default (object, "companyId", NULL);
      company = company_id ? bcs_sb_bc_find_company (bc, company_id)
                           : bc->companies->len > 0 ? g_ptr_array_index (bc->companies, 0) : NULL;
      if (company == NULL)
        {
          bcs_sb_bc_error (response, 404, "BadRequest_NotFound", "No such company.");
          return;
        }
      json_object_remove_member (object, "companyId");
      contact = bcs_sb_bc_write_contact (bc, company, NULL, object, TRUE, response);
      if (contact != NULL)
        bcs_sb_bc_contact_reply (contact, request, &target, 201, NULL, response);
      return;
    }

  if (g_str_has_prefix (path, "/contacts/") && strchr (path + strlen ("/contacts/"), '/') == NULL)
    {
      const char *id = path + strlen ("/contacts/");

      contact = find_contact_anywhere (bc, id, &company);
      if (contact == NULL)
        {
          bcs_sb_bc_error (response, 404, "Internal_RecordNotFound", "The contact does not exist.");
          return;
        }
      if (strcmp (method, "GET") == 0)
        bcs_sb_bc_contact_reply (contact, request, &target, 200, NULL, response);
      else if (strcmp (method, "PATCH") == 0)
        {
          if ((object = bcs_sb_bc_body_object (request, &node, response)) == NULL)
            return;
          json_object_remove_member (object, "companyId");
          contact = bcs_sb_bc_write_contact (bc, company, contact, object, TRUE, response);
          if (contact != NULL)
            bcs_sb_bc_contact_reply (contact, request, &target, 200, NULL, response);
        }
      else if (strcmp (method, "DELETE") == 0)
        {
          bcs_sb_bc_delete_contact (bc, company, id);
          bcs_sb_response_set_raw (response, 204, NULL, NULL, 0);
        }
      else
        bcs_sb_bc_method_not_allowed (response, request);
      return;
    }

  {
    g_autofree char *message = g_strdup_printf ("No control endpoint %s /_sandbox/bc%s.", method, path);

    bcs_sb_response_set_error (response, 404, "NotFound", message);
  }
}

/* The change-etag fault: the contact in REQUEST's path ("…/contacts(ID)…") changes */
void
bcs_sb_bc_touch (BcsSbBc      *bc,
                 BcsSbRequest *request)
{
  const char *p = request->path ? strstr (request->path, "contacts(") : NULL;
  g_autofree char *id = NULL;
  BcsSbBcCompany *company = NULL;
  BcsSbBcContact *contact;
  const char *end;

  if (p == NULL)
    return;
  p += strlen ("contacts(");
  if (*p == '\'')
    p++;
  end = strpbrk (p, "')");
  if (end == NULL)
    return;
  id = g_ascii_strdown (p, end - p);
  contact = find_contact_anywhere (bc, id, &company);
  if (contact != NULL)
    bcs_sb_bc_stamp (bc, contact);
}
