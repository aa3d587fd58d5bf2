/* bcs-service.h — the three services the application talks to */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  BCS_SERVICE_LOGIN,   /* the Microsoft identity platform */
  BCS_SERVICE_GRAPH,   /* Microsoft Graph (Outlook contacts) */
  BCS_SERVICE_BC,      /* Business Central API v2.0 */
  BCS_N_SERVICES,
} BcsService;

/* "login", "graph", "bc": the keys of the report's "requests" */
const char *bcs_service_to_string (BcsService service);

G_END_DECLS
