/* bcs-sb-faults.c — fault rules: errors, dropped connections, broken bodies,
 * expiring tokens and changing ETags, switchable while the sandbox runs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bcs-sandbox"

#include "config.h"

#include <string.h>

#include "bcs-sb-core.h"

typedef struct {
  int service;            /* BcsSbService, or -1 for any */
  char *path;             /* substring of path?query, or NULL for any */
  BcsSbFaultKind kind;
  guint status;
  char *retry_after;      /* as given: "2", "2.5" or an HTTP-date */
  guint count;            /* apply this many times, then drop the rule (0: forever) */
  guint every;            /* every Nth matching request (0 or 1: each) */
  guint seen;             /* matching requests */
  guint applied;
} BcsSbFaultRule;

static const char * const kind_names[] = {
  [BCS_SB_FAULT_NONE] = "none",
  [BCS_SB_FAULT_STATUS] = "status",
  [BCS_SB_FAULT_DROP] = "drop",
  [BCS_SB_FAULT_TRUNCATE] = "truncate",
  [BCS_SB_FAULT_MALFORMED] = "malformed",
  [BCS_SB_FAULT_EXPIRE_TOKEN] = "expire-token",
  [BCS_SB_FAULT_EXPIRE_DELTA] = "expire-delta",
  [BCS_SB_FAULT_CHANGE_ETAG] = "change-etag",
};

void
bcs_sb_fault_rule_free (gpointer data)
{
  BcsSbFaultRule *rule = data;

  g_free (rule->path);
  g_free (rule->retry_after);
  g_free (rule);
}

static gboolean
rule_from_json (JsonNode        *node,
                BcsSbFaultRule **out,
                GError         **error)
{
  BcsSbFaultRule *rule;
  JsonObject *object;
  const char *service, *kind;
  JsonNode *retry;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "A fault rule must be an object");
      return FALSE;
    }
  object = json_node_get_object (node);
  rule = g_new0 (BcsSbFaultRule, 1);
  rule->service = -1;

  service = json_object_get_string_member_with_default (object, "service", NULL);
  if (service != NULL && *service != '\0')
    {
      for (int i = 0; i < BCS_SB_N_SERVICES; i++)
        if (strcmp (service, bcs_sb_service_name (i)) == 0)
          rule->service = i;
      /* The control API's name for the Graph side */
      if (strcmp (service, "outlook") == 0)
        rule->service = BCS_SB_GRAPH;
      if (rule->service < 0)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "Unknown service “%s” (graph, bc or login)", service);
          bcs_sb_fault_rule_free (rule);
          return FALSE;
        }
    }

  rule->path = g_strdup (json_object_get_string_member_with_default (object, "path", NULL));
  rule->status = (guint) json_object_get_int_member_with_default (object, "status", 0);
  rule->count = (guint) MAX (json_object_get_int_member_with_default (object, "count", 0), 0);
  rule->every = (guint) MAX (json_object_get_int_member_with_default (object, "every", 0), 0);

  retry = json_object_get_member (object, "retry_after");
  if (retry != NULL && JSON_NODE_HOLDS_VALUE (retry))
    {
      if (json_node_get_value_type (retry) == G_TYPE_STRING)
        rule->retry_after = g_strdup (json_node_get_string (retry));
      else if (json_node_get_value_type (retry) == G_TYPE_INT64)
        rule->retry_after = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (retry));
      else
        {
          char buffer[G_ASCII_DTOSTR_BUF_SIZE];

          rule->retry_after = g_strdup (g_ascii_dtostr (buffer, sizeof buffer,
                                                        json_node_get_double (retry)));
        }
    }

  kind = json_object_get_string_member_with_default (object, "kind", "status");
  for (guint i = BCS_SB_FAULT_STATUS; i < G_N_ELEMENTS (kind_names); i++)
    if (strcmp (kind, kind_names[i]) == 0)
      rule->kind = i;
  if (rule->kind == BCS_SB_FAULT_NONE)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "Unknown fault kind “%s”", kind);
      bcs_sb_fault_rule_free (rule);
      return FALSE;
    }
  if (rule->kind == BCS_SB_FAULT_STATUS && rule->status == 0)
    rule->status = SOUP_STATUS_SERVICE_UNAVAILABLE;
  if (rule->kind == BCS_SB_FAULT_STATUS && (rule->status < 100 || rule->status > 599))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "Invalid status %u", rule->status);
      bcs_sb_fault_rule_free (rule);
      return FALSE;
    }

  *out = rule;
  return TRUE;
}

gboolean
bcs_sb_faults_add_json (BcsSandbox  *sandbox,
                        JsonNode    *node,
                        GError     **error)
{
  g_autoptr(GPtrArray) rules = g_ptr_array_new_with_free_func (bcs_sb_fault_rule_free);
  JsonNode *list = NULL;
  JsonArray *array;

  if (JSON_NODE_HOLDS_OBJECT (node))
    list = json_object_get_member (json_node_get_object (node), "rules");
  if (list == NULL || !JSON_NODE_HOLDS_ARRAY (list))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           "Expected {\"rules\": [ … ]}");
      return FALSE;
    }

  array = json_node_get_array (list);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      BcsSbFaultRule *rule = NULL;

      if (!rule_from_json (json_array_get_element (array, i), &rule, error))
        return FALSE;
      g_ptr_array_add (rules, rule);
    }

  /* all or nothing */
  for (guint i = 0; i < rules->len; i++)
    g_ptr_array_add (sandbox->fault_rules, g_steal_pointer (&rules->pdata[i]));
  g_ptr_array_set_free_func (rules, NULL);
  return TRUE;
}

JsonNode *
bcs_sb_faults_to_json (BcsSandbox *sandbox)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "rules");
  json_builder_begin_array (builder);
  for (guint i = 0; i < sandbox->fault_rules->len; i++)
    {
      BcsSbFaultRule *rule = g_ptr_array_index (sandbox->fault_rules, i);

      json_builder_begin_object (builder);
      if (rule->service >= 0)
        {
          json_builder_set_member_name (builder, "service");
          json_builder_add_string_value (builder, bcs_sb_service_name (rule->service));
        }
      if (rule->path != NULL)
        {
          json_builder_set_member_name (builder, "path");
          json_builder_add_string_value (builder, rule->path);
        }
      json_builder_set_member_name (builder, "kind");
      json_builder_add_string_value (builder, kind_names[rule->kind]);
      if (rule->kind == BCS_SB_FAULT_STATUS)
        {
          json_builder_set_member_name (builder, "status");
          json_builder_add_int_value (builder, rule->status);
        }
      if (rule->retry_after != NULL)
        {
          json_builder_set_member_name (builder, "retry_after");
          json_builder_add_string_value (builder, rule->retry_after);
        }
      json_builder_set_member_name (builder, "count");
      json_builder_add_int_value (builder, rule->count);
      json_builder_set_member_name (builder, "every");
      json_builder_add_int_value (builder, rule->every);
      json_builder_set_member_name (builder, "seen");
      json_builder_add_int_value (builder, rule->seen);
      json_builder_set_member_name (builder, "applied");
      json_builder_add_int_value (builder, rule->applied);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static const char *
graph_code (guint status)
{
  switch (status)
    {
    case 400: return "BadRequest";
    case 401: return "InvalidAuthenticationToken";
    case 403: return "ErrorAccessDenied";
    case 404: return "ErrorItemNotFound";
    case 409: return "ErrorConflict";
    case 412: return "ErrorIrresolvableConflict";
    case 429: return "TooManyRequests";
    case 502: return "BadGateway";
    case 503: return "ServiceNotAvailable";
    case 504: return "GatewayTimeout";
    default:  return status >= 500 ? "InternalServerError" : "ErrorInvalidRequest";
    }
}

static const char *
bc_code (guint status)
{
  switch (status)
    {
    case 400: return "BadRequest";
    case 401: return "Authentication_InvalidCredentials";
    case 403: return "Authorization_Forbidden";
    case 404: return "BadRequest_NotFound";
    case 409: return "Request_EntityChanged";
    case 429: return "Application_TooManyRequests";
    case 502: return "Internal_BadGateway";
    case 503: return "Internal_ServiceUnavailable";
    case 504: return "Internal_GatewayTimeout";
    default:  return status >= 500 ? "Internal_ServerError" : "BadRequest";
    }
}

void
bcs_sb_faults_set_status (BcsSbService   service,
                          BcsSbResponse *response,
                          guint          status,
                          const char    *retry_after)
{
  const char *phrase = status == 429 ? "Too Many Requests" : soup_status_get_phrase (status);

  if (service == BCS_SB_LOGIN)
    {
      JsonObject *object = json_object_new ();
      JsonArray *codes = json_array_new ();
      g_autofree char *description = g_strdup_printf ("AADSTS90033: %s. The service is "
                                                      "temporarily unavailable.", phrase);

      json_array_add_int_element (codes, 90033);
      json_object_set_string_member (object, "error", status == 429 ? "temporarily_unavailable"
                                                      : status >= 500 ? "temporarily_unavailable"
                                                      : "invalid_request");
      json_object_set_string_member (object, "error_description", description);
      json_object_set_array_member (object, "error_codes", codes);
      bcs_sb_response_set_object (response, status, object);
    }
  else if (service == BCS_SB_BC)
    {
      g_autofree char *correlation = g_uuid_string_random ();
      g_autofree char *message = NULL;

      if (status == 429)
        message = g_strdup_printf ("The request was throttled: too many requests. "
                                   "CorrelationId:  %s.", correlation);
      else
        message = g_strdup_printf ("%s.  CorrelationId:  %s.", phrase, correlation);
      bcs_sb_response_set_error (response, status, bc_code (status), message);
    }
  else
    {
      const char *message = status == 429 ? "Too many requests, retry after some time." : phrase;

      bcs_sb_response_set_error (response, status, graph_code (status), message);
    }

  if (retry_after != NULL)
    soup_message_headers_replace (response->headers, "Retry-After", retry_after);
}

static void
set_malformed (BcsSbResponse *response)
{
  static const char body[] =
    "<html><head><title>502 Bad Gateway</title></head>\n"
    "<body>The proxy received an invalid response from an upstream server.</body></html>\n";

  bcs_sb_response_set_raw (response, SOUP_STATUS_OK, "application/json; charset=utf-8", body, -1);
}

static gboolean
kind_applies (BcsSbFaultKind kind,
              gboolean       inner)
{
  if (!inner)
    return TRUE;
  /* An inner request of a $batch has no connection or body of its own */
  return kind != BCS_SB_FAULT_DROP && kind != BCS_SB_FAULT_TRUNCATE && kind != BCS_SB_FAULT_MALFORMED;
}

BcsSbFaultKind
bcs_sb_faults_apply (BcsSandbox    *sandbox,
                     BcsSbRequest  *request,
                     const char    *text,
                     gboolean       inner,
                     BcsSbResponse *response)
{
  BcsSbFaultRule *rule = NULL;
  BcsSbFaultKind kind;
  guint i;

  for (i = 0; i < sandbox->fault_rules->len; i++)
    {
      BcsSbFaultRule *candidate = g_ptr_array_index (sandbox->fault_rules, i);

      if (candidate->service >= 0 && candidate->service != (int) request->service)
        continue;
      if (candidate->path != NULL && strstr (text, candidate->path) == NULL)
        continue;
      if (!kind_applies (candidate->kind, inner))
        continue;

      candidate->seen++;
      if (candidate->every > 1 && candidate->seen % candidate->every != 0)
        continue;

      rule = candidate;
      break;
    }

  if (rule == NULL)
    return BCS_SB_FAULT_NONE;

  kind = rule->kind;
  switch (kind)
    {
    case BCS_SB_FAULT_STATUS:
      bcs_sb_faults_set_status (request->service, response, rule->status, rule->retry_after);
      break;
    case BCS_SB_FAULT_MALFORMED:
      set_malformed (response);
      break;
    case BCS_SB_FAULT_EXPIRE_TOKEN:
      bcs_sb_login_expire_token (sandbox, request);
      break;
    case BCS_SB_FAULT_EXPIRE_DELTA:
      bcs_sb_graph_expire_delta (sandbox->graph);
      break;
    case BCS_SB_FAULT_CHANGE_ETAG:
      if (request->service == BCS_SB_GRAPH)
        bcs_sb_graph_touch (sandbox->graph, request);
      else if (request->service == BCS_SB_BC)
        bcs_sb_bc_touch (sandbox->bc, request);
      break;
    case BCS_SB_FAULT_DROP:
    case BCS_SB_FAULT_TRUNCATE:
    case BCS_SB_FAULT_NONE:
    default:
      break;
    }

  rule->applied++;
  if (rule->count > 0 && rule->applied >= rule->count)
    g_ptr_array_remove_index (sandbox->fault_rules, i);

  return kind;
}
