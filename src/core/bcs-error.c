/* bcs-error.c — the one error domain of the application */
#include "config.h"

#include <gio/gio.h>

#include "bcs-error.h"

G_DEFINE_QUARK (bcs-error-quark, bcs_error)

/* DESIGN.md: 0 success; 1 some contacts failed; 2 configuration, sign-in or
 * connection error; 3 stopped by the safety brake; 4 cancelled. */
int
bcs_error_exit_code (const GError *error)
{
  if (error == NULL)
    return 0;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      g_error_matches (error, BCS_ERROR, BCS_ERROR_CANCELLED))
    return 4;

  if (g_error_matches (error, BCS_ERROR, BCS_ERROR_BRAKE))
    return 3;

  return 2;
}
