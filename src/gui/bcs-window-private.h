/* bcs-window-private.h — the main window's parts, shared by its files
 *
 * bcs-window.c: lifecycle, template, first-run page, setup action;
 * bcs-window-sync.c: the sync — overview, progress, results, brake dialog,
 * sign-in banner, toasts and notifications, and their actions. */
#pragma once

#include "bcs-history-view.h"
#include "bcs-overview.h"
#include "bcs-profile-switcher.h"
#include "bcs-progress-view.h"
#include "bcs-results-view.h"
#include "bcs-sync-service.h"
#include "bcs-window.h"

G_BEGIN_DECLS

struct _BcsWindow
{
  AdwApplicationWindow parent_instance;

  GSettings *settings;

  AdwToastOverlay *toast_overlay;
  BcsProfileSwitcher *profile_switcher;
  GtkMenuButton *primary_menu_button;
  AdwStatusPage *status_page;
  GtkButton *setup_button;

  /* bcs-window-sync.c */
  GtkWidget *sync_page;            /* shown instead of status_page once set up */
  GtkStack *sync_stack;            /* "overview", "progress", "results", "history" */
  BcsOverview *overview;
  BcsProgressView *progress_view;
  BcsResultsView *results_view;
  BcsHistoryView *history_view;    /* bcs-window-history.c */
  GtkButton *history_button;
  GtkRevealer *banner;
  GtkLabel *banner_label;

  BcsSyncService *service;
  gulong profile_changed_id;
  GCancellable *cancellable;       /* the running sync's, else NULL */
  GCancellable *loading;           /* the last run being loaded from the store */
  BcsSyncMode run_mode;
  gboolean run_dry;
  gboolean shown_from_history;     /* the results view shows an older run */
};

/* Which page the window shows (pure: tested without a display) */
typedef enum {
  BCS_WINDOW_PAGE_FIRST_RUN,       /* the status page: set up first */
  BCS_WINDOW_PAGE_OVERVIEW,
  BCS_WINDOW_PAGE_PROGRESS,
  BCS_WINDOW_PAGE_RESULTS,
  BCS_WINDOW_PAGE_HISTORY,         /* bcs-window-history.c */
} BcsWindowPage;

/* Whether PROFILE is set up enough to sync: a signed-in account, and a
 * chosen company unless it is a sandbox profile (its first company) */
gboolean      bcs_window_profile_is_configured (BcsProfile *profile);

/* What the window tells about a finished run (pure) */
typedef enum {
  BCS_RUN_NOTICE_NONE,             /* finished: the results say it all */
  BCS_RUN_NOTICE_FAILED,           /* a toast with View, a notification when not focused */
  BCS_RUN_NOTICE_SIGN_IN,          /* the sign-in banner */
  BCS_RUN_NOTICE_BRAKE,            /* the brake dialog */
  BCS_RUN_NOTICE_CANCELLED,        /* a plain toast */
} BcsRunNotice;

/* The notice for a run that ended with REPORT (nullable) and ERROR
 * (nullable); *MESSAGE gets the sentence to show (never NULL) */
BcsRunNotice  bcs_window_run_notice            (const BcsSyncReport *report,
                                                const GError        *error,
                                                char               **message);

/* Shows how a run ended (results, banner, brake dialog, toast): what the
 * window does when a run of its service finishes */
void          bcs_window_show_run_outcome      (BcsWindow           *self,
                                                const BcsSyncReport *report,
                                                const GError        *error);

/* bcs-window-history.c: the run history page and win.show-history */
void          bcs_window_history_class_init    (GtkWidgetClass *widget_class);
void          bcs_window_history_init          (BcsWindow      *self);
/* The history follows the window's service (its store; NULL: none) */
void          bcs_window_history_set_service   (BcsWindow      *self,
                                                BcsSyncService *service);

void          bcs_window_sync_class_init       (GtkWidgetClass *widget_class);
void          bcs_window_sync_init             (BcsWindow      *self);
void          bcs_window_sync_dispose          (BcsWindow      *self);

/* The sync of the window (NULL until it has a profile). Tests and the
 * application hand it over; the window follows its profile's settings. */
void            bcs_window_set_sync_service    (BcsWindow      *self,
                                                BcsSyncService *service);
BcsSyncService *bcs_window_get_sync_service    (BcsWindow      *self);
BcsWindowPage   bcs_window_get_page            (BcsWindow      *self);
/* Shows PAGE and updates the actions (the history shows its run's results) */
void            bcs_window_show_page           (BcsWindow      *self,
                                                BcsWindowPage   page);

G_END_DECLS
