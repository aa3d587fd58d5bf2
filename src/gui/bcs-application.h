/* bcs-application.h — the application: actions, command line, windows */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define BCS_TYPE_APPLICATION (bcs_application_get_type ())
G_DECLARE_FINAL_TYPE (BcsApplication, bcs_application, BCS, APPLICATION, AdwApplication)

BcsApplication *bcs_application_new         (void);
const char     *bcs_application_get_profile (BcsApplication *self);
const char     *bcs_application_get_sandbox_url (BcsApplication *self);

G_END_DECLS
