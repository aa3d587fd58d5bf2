/* bcs-error.h — the one error domain of the application */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define BCS_ERROR (bcs_error_quark ())

typedef enum {
  BCS_ERROR_FAILED,            /* anything not listed below */
  BCS_ERROR_NOT_AVAILABLE,     /* a feature that is not built yet */
  BCS_ERROR_INVALID_INPUT,     /* the user's input or a command line is wrong */
  BCS_ERROR_NOT_CONFIGURED,    /* a setting the action needs is missing */
  BCS_ERROR_AUTH_REQUIRED,     /* no sign-in, or it expired: sign in again */
  BCS_ERROR_AUTH_DENIED,       /* the user cancelled or refused the sign-in */
  BCS_ERROR_NOT_A_BC_USER,     /* the Microsoft 365 account is not a Business Central user */
  BCS_ERROR_FORBIDDEN,         /* signed in, but not allowed */
  BCS_ERROR_THROTTLED,         /* 429 and the attempts ran out */
  BCS_ERROR_UNAVAILABLE,       /* 503/504, connection failures */
  BCS_ERROR_NOT_FOUND,         /* 404 */
  BCS_ERROR_CONFLICT,          /* 409/412: the item changed under us */
  BCS_ERROR_DELTA_EXPIRED,     /* 410 SyncStateNotFound */
  BCS_ERROR_INVALID_RESPONSE,  /* the server sent something we cannot read */
  BCS_ERROR_INSECURE,          /* plain http to a host that is not loopback, or a foreign nextLink */
  BCS_ERROR_BRAKE,             /* the safety brake stopped the run */
  BCS_ERROR_BUSY,              /* another run of the same profile is going on */
  BCS_ERROR_CANCELLED,         /* the user cancelled */
  BCS_ERROR_STORE,             /* the local status store failed */
} BcsErrorCode;

GQuark bcs_error_quark (void);

/* The command-line exit code of DESIGN.md for an error */
int    bcs_error_exit_code (const GError *error);

G_END_DECLS
