/* bcs-graph-private.h — between the files of the Graph client */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* "/me/contactFolders/{id}/contacts" (escaped), or "/me/contacts" for NULL */
char *bcs_graph_contacts_path (const char *folder_id);
/* "$expand=…" (escaped) of the single-value extended property PROPERTY_ID */
char *bcs_graph_expand_query  (const char *property_id);

G_END_DECLS
