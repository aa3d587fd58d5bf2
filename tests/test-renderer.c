/* test-renderer.c — windows draw with cairo on a software GL (GTK 4.8), as GTK 4.14 decides */
#include "config.h"

#include <gtk/gtk.h>

#include "bcs-renderer.h"

static void
test_pick (void)
{
  /* GTK 4.8 on Mesa's software rasterizers: cairo */
  g_assert_cmpstr (bcs_renderer_pick (NULL, 8, "llvmpipe (LLVM 15.0.6, 256 bits)"), ==, "cairo");
  g_assert_cmpstr (bcs_renderer_pick ("", 8, "softpipe"), ==, "cairo");
  g_assert_cmpstr (bcs_renderer_pick (NULL, 12, "llvmpipe (LLVM 15.0.6, 128 bits)"), ==, "cairo");
  /* a GPU, or no GL at all (GTK falls back to cairo by itself) */
  g_assert_null (bcs_renderer_pick (NULL, 8, "Mesa Intel(R) UHD Graphics 620 (KBL GT2)"));
  g_assert_null (bcs_renderer_pick (NULL, 8, "AMD Radeon RX 6600 (navi23, LLVM 15.0.6, DRM 3.49)"));
  g_assert_null (bcs_renderer_pick (NULL, 8, NULL));
  /* the user's GSK_RENDERER is kept, whatever it names */
  g_assert_null (bcs_renderer_pick ("gl", 8, "llvmpipe (LLVM 15.0.6, 256 bits)"));
  g_assert_null (bcs_renderer_pick ("cairo", 8, "llvmpipe (LLVM 15.0.6, 256 bits)"));
  /* GTK 4.14 and later make this choice themselves (and know Vulkan) */
  g_assert_null (bcs_renderer_pick (NULL, 14, "llvmpipe (LLVM 15.0.6, 256 bits)"));
  g_assert_null (bcs_renderer_pick (NULL, 16, "llvmpipe (LLVM 15.0.6, 256 bits)"));

  g_assert_true (bcs_renderer_is_software_gl ("llvmpipe (LLVM 15.0.6, 256 bits)"));
  g_assert_false (bcs_renderer_is_software_gl ("NVIDIA GeForce RTX 3060/PCIe/SSE2"));
  g_assert_false (bcs_renderer_is_software_gl (NULL));
}

/* Runs before any window exists: GTK reads GSK_RENDERER once, when it makes
 * its first renderer */
static void
test_env_kept (void)
{
  GdkDisplay *display = gdk_display_get_default ();

  g_setenv ("GSK_RENDERER", "gl", TRUE);
  g_assert_null (bcs_renderer_choose (display));
  g_assert_null (g_object_get_data (G_OBJECT (display), "gsk-renderer"));
  g_unsetenv ("GSK_RENDERER");
}

static gboolean
wake_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* What GTK 4.8 really draws a window with after the choice */
static void
test_window_renderer (void)
{
  GdkDisplay *display = gdk_display_get_default ();
  g_autofree char *gl_renderer = bcs_renderer_probe_gl (display);
  const char *picked = bcs_renderer_choose (display);
  GtkWidget *window;
  GskRenderer *renderer;
  gboolean done = FALSE;

  g_test_message ("GL_RENDERER: %s; picked: %s", gl_renderer != NULL ? gl_renderer : "(no GL)",
                  picked != NULL ? picked : "(GTK's choice)");
  g_assert_cmpstr (picked, ==, bcs_renderer_pick (NULL, gtk_get_minor_version (), gl_renderer));

  window = gtk_window_new ();
  gtk_window_set_child (GTK_WINDOW (window), gtk_label_new ("Contact Sync"));
  gtk_window_present (GTK_WINDOW (window));
  g_timeout_add (100, wake_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);

  renderer = gtk_native_get_renderer (GTK_NATIVE (window));
  g_assert_nonnull (renderer);
  if (gl_renderer == NULL || bcs_renderer_is_software_gl (gl_renderer))
    /* chosen here on a software GL (GTK 4.8), by GTK itself without GL or from 4.14 */
    g_assert_cmpstr (G_OBJECT_TYPE_NAME (renderer), ==, "GskCairoRenderer");
  else
    /* a GPU: GTK's own choice is left alone */
    g_assert_cmpstr (G_OBJECT_TYPE_NAME (renderer), !=, "GskCairoRenderer");

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_unsetenv ("GSK_RENDERER");
  gtk_test_init (&argc, &argv, NULL);

  g_test_add_func ("/renderer/pick", test_pick);
  g_test_add_func ("/renderer/env-kept", test_env_kept);
  g_test_add_func ("/renderer/window", test_window_renderer);

  return g_test_run ();
}
