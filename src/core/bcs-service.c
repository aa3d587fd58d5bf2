/* bcs-service.c — the three services the application talks to */
#include "config.h"

#include "bcs-service.h"

const char *
bcs_service_to_string (BcsService service)
{
  switch (service)
    {
    case BCS_SERVICE_LOGIN:
      return "login";
    case BCS_SERVICE_GRAPH:
      return "graph";
    case BCS_SERVICE_BC:
      return "bc";
    case BCS_N_SERVICES:
    default:
      break;
    }

  g_return_val_if_reached (NULL);
}
