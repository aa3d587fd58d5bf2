/* main.c — only runs the application */
#include "config.h"

#include <locale.h>
#include <glib/gi18n.h>

#include "bcs-application.h"

int
main (int argc, char *argv[])
{
  g_autoptr (BcsApplication) app = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = bcs_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}
