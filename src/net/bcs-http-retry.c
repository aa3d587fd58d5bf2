/* bcs-http-retry.c — how long to wait before trying again */
#define G_LOG_DOMAIN "bcs-net"

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "bcs-http-private.h"

/* A server asking for more than this is treated as asking for this much:
 * the run reports the wait, and the user can cancel it. */
#define MAX_RETRY_AFTER_SECONDS 600.0

double
bcs_http_parse_retry_after (const char *value,
                            GDateTime  *now)
{
  g_autofree char *trimmed = NULL;
  char *end = NULL;
  double seconds;

  if (value == NULL)
    return -1;

  trimmed = g_strstrip (g_strdup (value));
  if (*trimmed == '\0')
    return -1;

  if (g_ascii_isdigit (trimmed[0]))
    {
      seconds = g_ascii_strtod (trimmed, &end);
      if (end == trimmed || *end != '\0' || !isfinite (seconds) || seconds < 0)
        return -1;
      return MIN (seconds, MAX_RETRY_AFTER_SECONDS);
    }
  else
    {
      g_autoptr(GDateTime) when = soup_date_time_new_from_http_string (trimmed);
      g_autoptr(GDateTime) current = NULL;

      if (when == NULL)
        return -1;
      if (now == NULL)
        now = current = g_date_time_new_now_utc ();
      seconds = g_date_time_difference (when, now) / (double) G_TIME_SPAN_SECOND;
      return CLAMP (seconds, 0.0, MAX_RETRY_AFTER_SECONDS);
    }
}

double
bcs_http_backoff_delay (guint   attempt,
                        double  base,
                        double  cap,
                        GRand  *rand)
{
  double delay = base * ldexp (1.0, (int) MIN (attempt, 30u) - 1);

  delay = MIN (delay, cap);
  /* Jitter in [delay/2, delay): requests that failed together spread out */
  return delay / 2.0 + g_rand_double (rand) * delay / 2.0;
}

char *
bcs_http_wait_message (BcsService service,
                       guint      status,
                       double     seconds)
{
  guint whole = (guint) ceil (MAX (seconds, 0.0));

  if (status == 429)
    {
      switch (service)
        {
        case BCS_SERVICE_GRAPH:
          /* TRANSLATORS: %u is a number of seconds */
          return g_strdup_printf (_("Microsoft 365 asked us to wait — resuming in %u s"), whole);
        case BCS_SERVICE_BC:
          return g_strdup_printf (_("Business Central asked us to wait — resuming in %u s"), whole);
        case BCS_SERVICE_LOGIN:
        case BCS_N_SERVICES:
        default:
          return g_strdup_printf (_("The Microsoft sign-in service asked us to wait — resuming in %u s"), whole);
        }
    }

  switch (service)
    {
    case BCS_SERVICE_GRAPH:
      return g_strdup_printf (_("Microsoft 365 is not answering right now — trying again in %u s"), whole);
    case BCS_SERVICE_BC:
      return g_strdup_printf (_("Business Central is not answering right now — trying again in %u s"), whole);
    case BCS_SERVICE_LOGIN:
    case BCS_N_SERVICES:
    default:
      return g_strdup_printf (_("The Microsoft sign-in service is not answering right now — trying again in %u s"), whole);
    }
}
