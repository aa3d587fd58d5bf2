/* bcs-json.h — null-tolerant typed getters over JSON from servers
 *
 * Servers send null, a wrong type or nothing at all where a value is
 * expected; these getters answer with a default instead of warning. */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The object inside NODE, or NULL when NODE is NULL or not an object */
JsonObject  *bcs_json_node_get_object (JsonNode    *node);
/* MEMBER as a string, or NULL when OBJECT is NULL, MEMBER missing, null or not a string */
const char  *bcs_json_get_string      (JsonObject  *object,
                                       const char  *member);
/* MEMBER as an integer (a whole double counts), or DEFAULT_VALUE */
gint64       bcs_json_get_int         (JsonObject  *object,
                                       const char  *member,
                                       gint64       default_value);
gboolean     bcs_json_get_boolean     (JsonObject  *object,
                                       const char  *member,
                                       gboolean     default_value);
/* MEMBER as an object or array, or NULL */
JsonObject  *bcs_json_get_object      (JsonObject  *object,
                                       const char  *member);
JsonArray   *bcs_json_get_array       (JsonObject  *object,
                                       const char  *member);
/* The NULL-terminated path of object members, e.g. "error", "code" */
const char  *bcs_json_get_path_string (JsonObject  *object,
                                       ...) G_GNUC_NULL_TERMINATED;
/* A compact serialisation of NODE (NULL gives "null") */
char        *bcs_json_to_string       (JsonNode    *node);
/* Parses DATA (LENGTH bytes); NULL and ERROR when it is not JSON */
JsonNode    *bcs_json_parse           (const char  *data,
                                       gsize        length,
                                       GError     **error);

G_END_DECLS
