/* bcs-sb-control.c — the sandbox's state (seeding, load, save) and the
 * test-control API under /_sandbox
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bcs-sandbox"

#include "config.h"

#include <string.h>

#include "bcs-sb-core.h"

/* ---- the three services' state ---- */

void
bcs_sb_parts_create (BcsSandbox *sandbox)
{
  guint32 seed[2] = { (guint32) sandbox->options.seed, (guint32) (sandbox->options.seed >> 32) };
  g_auto(GStrv) emails = NULL;

  g_clear_pointer (&sandbox->rand, g_rand_free);
  sandbox->rand = g_rand_new_with_seed_array (seed, 2);

  sandbox->login = bcs_sb_login_new (sandbox);
  sandbox->bc = bcs_sb_bc_new (sandbox);
  sandbox->graph = bcs_sb_graph_new (sandbox);

  bcs_sb_bc_seed (sandbox->bc, sandbox->options.bc_contacts);
  emails = bcs_sb_bc_sample_emails (sandbox->bc, sandbox->options.outlook_contacts / 5);
  bcs_sb_graph_seed (sandbox->graph, sandbox->options.outlook_contacts,
                     (const char * const *) emails);
}

void
bcs_sb_parts_free (BcsSandbox *sandbox)
{
  g_clear_pointer (&sandbox->graph, bcs_sb_graph_free);
  g_clear_pointer (&sandbox->bc, bcs_sb_bc_free);
  g_clear_pointer (&sandbox->login, bcs_sb_login_free);
}

void
bcs_sb_stats_reset (BcsSandbox *sandbox)
{
  memset (sandbox->requests, 0, sizeof sandbox->requests);
  g_hash_table_remove_all (sandbox->by_status);
}

static JsonNode *
state_to_json (BcsSandbox *sandbox)
{
  JsonObject *object = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_member (object, "bc", bcs_sb_bc_to_json (sandbox->bc));
  json_object_set_member (object, "outlook", bcs_sb_graph_to_json (sandbox->graph));
  json_object_set_member (object, "login", bcs_sb_login_to_json (sandbox->login));
  json_node_take_object (node, object);
  return node;
}

static gboolean
state_load_json (BcsSandbox  *sandbox,
                 JsonNode    *node,
                 GError     **error)
{
  JsonObject *object;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           "The sandbox state is not a JSON object");
      return FALSE;
    }

  object = json_node_get_object (node);
  if (json_object_has_member (object, "bc"))
    bcs_sb_bc_load_json (sandbox->bc, json_object_get_member (object, "bc"));
  if (json_object_has_member (object, "outlook"))
    bcs_sb_graph_load_json (sandbox->graph, json_object_get_member (object, "outlook"));
  if (json_object_has_member (object, "login"))
    bcs_sb_login_load_json (sandbox->login, json_object_get_member (object, "login"));
  return TRUE;
}

gboolean
bcs_sb_state_load_file (BcsSandbox  *sandbox,
                 const char  *path,
                 GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  if (!json_parser_load_from_file (parser, path, error))
    return FALSE;
  return state_load_json (sandbox, json_parser_get_root (parser), error);
}

gboolean
bcs_sb_state_save_file (BcsSandbox  *sandbox,
                 GError     **error)
{
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;

  if (sandbox->options.state_file == NULL)
    return TRUE;

  node = state_to_json (sandbox);
  text = json_to_string (node, TRUE);
  return g_file_set_contents (sandbox->options.state_file, text, -1, error);
}

/* ---- the control API ---- */

static void
set_ok (BcsSbResponse *response)
{
  JsonObject *object = json_object_new ();

  json_object_set_boolean_member (object, "ok", TRUE);
  bcs_sb_response_set_object (response, 200, object);
}

static JsonNode *
stats_to_json (BcsSandbox *sandbox)
{
  JsonObject *object = json_object_new ();
  JsonObject *requests = json_object_new ();
  JsonObject *by_status = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);
  GHashTableIter iter;
  gpointer key, value;

  for (guint i = 0; i < BCS_SB_N_SERVICES; i++)
    json_object_set_int_member (requests, bcs_sb_service_name (i), sandbox->requests[i]);
  g_hash_table_iter_init (&iter, sandbox->by_status);
  while (g_hash_table_iter_next (&iter, &key, &value))
    json_object_set_int_member (by_status, key, GPOINTER_TO_UINT (value));
  json_object_set_object_member (object, "requests", requests);
  json_object_set_object_member (object, "by_status", by_status);
  json_node_take_object (node, object);
  return node;
}

static gboolean
reset_state (BcsSandbox  *sandbox,
             GError     **error)
{
  bcs_sb_parts_free (sandbox);
  bcs_sb_parts_create (sandbox);
  bcs_sb_stats_reset (sandbox);
  g_ptr_array_set_size (sandbox->fault_rules, 0);
  return TRUE;
}

void
bcs_sb_control_handle (BcsSandbox    *sandbox,
                BcsSbRequest  *request,
                BcsSbResponse *response)
{
  const char *path = request->path;
  const char *method = request->method;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) body = NULL;

  if (g_str_has_prefix (path, "/bc/") || strcmp (path, "/bc") == 0)
    {
      char *below = g_strdup (path + strlen ("/bc"));

      g_free (request->path);
      request->path = below;
      bcs_sb_bc_control (sandbox, request, response);
      return;
    }
  if (g_str_has_prefix (path, "/outlook/") || strcmp (path, "/outlook") == 0)
    {
      char *below = g_strdup (path + strlen ("/outlook"));

      g_free (request->path);
      request->path = below;
      bcs_sb_graph_control (sandbox, request, response);
      return;
    }

  if (strcmp (path, "/state") == 0 && strcmp (method, "GET") == 0)
    bcs_sb_response_set_json (response, 200, state_to_json (sandbox));
  else if (strcmp (path, "/state") == 0 && (strcmp (method, "PUT") == 0 || strcmp (method, "POST") == 0))
    {
      body = bcs_sb_request_get_json (request, &error);
      if (body == NULL || !state_load_json (sandbox, body, &error))
        bcs_sb_response_set_error (response, 400, "BadRequest", error->message);
      else
        set_ok (response);
    }
  else if (strcmp (path, "/stats") == 0 && strcmp (method, "GET") == 0)
    bcs_sb_response_set_json (response, 200, stats_to_json (sandbox));
  else if (strcmp (path, "/stats") == 0 && strcmp (method, "DELETE") == 0)
    {
      bcs_sb_stats_reset (sandbox);
      set_ok (response);
    }
  else if (strcmp (path, "/reset") == 0 && strcmp (method, "POST") == 0)
    {
      reset_state (sandbox, NULL);
      set_ok (response);
    }
  else if (strcmp (path, "/save") == 0 && strcmp (method, "POST") == 0)
    {
      if (!bcs_sb_state_save_file (sandbox, &error))
        bcs_sb_response_set_error (response, 500, "SaveFailed", error->message);
      else
        set_ok (response);
    }
  else if (strcmp (path, "/faults") == 0 && strcmp (method, "GET") == 0)
    bcs_sb_response_set_json (response, 200, bcs_sb_faults_to_json (sandbox));
  else if (strcmp (path, "/faults") == 0 && strcmp (method, "DELETE") == 0)
    {
      g_ptr_array_set_size (sandbox->fault_rules, 0);
      set_ok (response);
    }
  else if (strcmp (path, "/faults") == 0 && strcmp (method, "POST") == 0)
    {
      body = bcs_sb_request_get_json (request, &error);
      if (body == NULL || !bcs_sb_faults_add_json (sandbox, body, &error))
        bcs_sb_response_set_error (response, 400, "BadRequest", error->message);
      else
        bcs_sb_response_set_json (response, 200, bcs_sb_faults_to_json (sandbox));
    }
  else if (strcmp (path, "/login/revoke") == 0 && strcmp (method, "POST") == 0)
    {
      /* every refresh token becomes invalid: the next refresh gets invalid_grant */
      bcs_sb_login_revoke_all (sandbox->login);
      bcs_sb_response_set_raw (response, 204, NULL, NULL, 0);
    }
  else if (strcmp (path, "/limits") == 0 && strcmp (method, "GET") == 0)
    bcs_sb_response_set_json (response, 200, bcs_sb_limits_to_json (sandbox));
  else if (strcmp (path, "/limits") == 0 && strcmp (method, "POST") == 0)
    {
      body = bcs_sb_request_get_json (request, &error);
      if (body == NULL || !bcs_sb_limits_configure (sandbox, body, &error))
        bcs_sb_response_set_error (response, 400, "BadRequest", error->message);
      else
        bcs_sb_response_set_json (response, 200, bcs_sb_limits_to_json (sandbox));
    }
  else
    {
      g_autofree char *message = g_strdup_printf ("No control endpoint %s /_sandbox%s.",
                                                  method, path);

      bcs_sb_response_set_error (response, 404, "NotFound", message);
    }
}
