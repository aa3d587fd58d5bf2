/* bcs-bench-util.h — driving the real bcs-sandbox and bc-contact-sync
 * executables as subprocesses, for the crash test and the benchmark.
 *
 * Depends only on the fixed interfaces of DESIGN.md (command lines, exit
 * codes, the report, the sandbox's control API), never on libbcs. */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Makes sure the program runs in its own D-Bus session with an unlocked
 * gnome-keyring and a fresh HOME (XDG_* below it): the first call re-runs
 * ARGV under dbus-run-session, waits, removes the HOME and exits with the
 * child's status; in the re-run it returns at once. */
void        bcs_bench_private_session (int    argc,
                                       char **argv);

/* The fresh HOME of the private session */
const char *bcs_bench_home            (void);

/* $XDG_STATE_HOME/bc-contact-sync/PROFILE.db */
char       *bcs_bench_store_path      (const char *profile);

typedef struct {
  GPid  pid;
  int   stdout_fd;
  char *url;                  /* http://127.0.0.1:PORT */
} BcsBenchSandbox;

/* Starts EXE with ARGS (NULL-terminated, without the program) and reads
 * its first line, "bcs-sandbox listening on URL" */
BcsBenchSandbox *bcs_bench_sandbox_start (const char          *exe,
                                          const char * const  *args,
                                          GError             **error);
/* SIGTERM, wait, free */
void             bcs_bench_sandbox_stop  (BcsBenchSandbox     *sandbox);

/* A control-API request: METHOD URL PATH with an optional JSON BODY;
 * returns the parsed reply (NULL when empty) and the status in STATUS */
JsonNode   *bcs_bench_request         (const char  *url,
                                       const char  *method,
                                       const char  *path,
                                       const char  *body,
                                       guint       *status,
                                       GError     **error);

/* requests.{login,graph,bc} of a stats or report object */
typedef struct {
  gint64 login;
  gint64 graph;
  gint64 bc;
} BcsBenchRequests;

void        bcs_bench_requests_from   (JsonObject       *object,
                                       BcsBenchRequests *requests);
gint64      bcs_bench_requests_total  (const BcsBenchRequests *requests);

/* GET /_sandbox/stats */
gboolean    bcs_bench_get_stats       (const char        *url,
                                       BcsBenchRequests  *requests,
                                       GError           **error);

typedef struct {
  gboolean exited;            /* else killed by a signal */
  int      status;            /* exit code when exited */
  int      signal;            /* the signal otherwise */
  gboolean timed_out;
  double   seconds;           /* wall time */
  long     max_rss_kb;        /* ru_maxrss of the process */
} BcsBenchRun;

/* Runs the application APP with ARGS (NULL-terminated, without the
 * program), output to LOG (appended; NULL: /dev/null), stdin /dev/null,
 * no display, English messages, GSettings in a key file below the private
 * HOME. KILL_AFTER >= 0: SIGKILL after that many seconds if still running.
 * TIMEOUT: SIGKILL and timed_out after that many seconds. */
gboolean    bcs_bench_run_app         (const char          *app,
                                       const char * const  *args,
                                       const char          *log,
                                       double               kill_after,
                                       double               timeout,
                                       BcsBenchRun         *run,
                                       GError             **error);

/* The last MAX bytes of the file at PATH ("" if unreadable) */
char       *bcs_bench_tail            (const char *path,
                                       gsize       max);

/* JSON helpers, null-tolerant */
const char *bcs_bench_get_string      (JsonObject *object,
                                       const char *member);
gint64      bcs_bench_get_int         (JsonObject *object,
                                       const char *member);
JsonObject *bcs_bench_get_object      (JsonObject *object,
                                       const char *member);
JsonArray  *bcs_bench_get_array       (JsonObject *object,
                                       const char *member);

/* Reads a report file written by --report */
JsonObject *bcs_bench_read_report     (const char  *path,
                                       GError     **error);

G_END_DECLS
