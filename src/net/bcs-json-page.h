/* bcs-json-page.h — one page of an OData list, scanned without a tree
 *
 * A page is {"value": [ … ], "@odata.nextLink": "…", …}. The scanner
 * checks the whole body is JSON, finds the top-level members "value",
 * "@odata.nextLink" and "@odata.deltaLink", and the byte range of each
 * element of "value"; the elements are then parsed a slice at a time, so
 * a page of 20,000 rows never exists as one JsonNode tree. */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct _BcsJsonPage BcsJsonPage;

/* Scans BODY (kept referenced); NULL and a JSON_PARSER_ERROR when BODY is
 * not one JSON value */
BcsJsonPage *bcs_json_page_scan            (GBytes       *body,
                                            GError      **error);
void         bcs_json_page_free            (BcsJsonPage  *page);

/* Whether the body is an object (anything else is not a page) */
gboolean     bcs_json_page_is_object       (BcsJsonPage  *page);
/* Whether the object has a member "value", and whether it is an array */
gboolean     bcs_json_page_has_value       (BcsJsonPage  *page);
gboolean     bcs_json_page_value_is_array  (BcsJsonPage  *page);
/* Elements of "value" (0 when it is not an array) */
guint        bcs_json_page_get_n_elements  (BcsJsonPage  *page);
/* The text of element INDEX, LENGTH bytes, not NUL-terminated */
const char  *bcs_json_page_get_element     (BcsJsonPage  *page,
                                            guint         index,
                                            gsize        *length);
/* The members as decoded strings, or NULL when missing or not strings */
const char  *bcs_json_page_get_next_link   (BcsJsonPage  *page);
const char  *bcs_json_page_get_delta_link  (BcsJsonPage  *page);

/* Elements FIRST … FIRST + N_ELEMENTS - 1 (clamped) parsed as one array
 * with PARSER (reusable); a new reference, or NULL and ERROR */
JsonArray   *bcs_json_page_parse_slice     (BcsJsonPage  *page,
                                            JsonParser   *parser,
                                            guint         first,
                                            guint         n_elements,
                                            GError      **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BcsJsonPage, bcs_json_page_free)

G_END_DECLS
