package io.xecure.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** A page's own content inside the shared layout, and page files that break its rules. */
class LayoutTest {
  private final Layout layout =
      new Layout(
          "<title>{{title}}</title>\n{{styles}}<script src=\"{{script}}.js\"></script>\n"
              + "<body data-page=\"{{script}}\">\n{{header}}<main>\n{{content}}</main>\n",
          "<header>nav</header>\n");

  @Test
  void aPageGetsTheHeadHeaderAndItsOwnModule() {
    String page =
        layout.render(
            "/console/pages/usage.html",
            "<!-- title: Usage & more -->\n<!-- styles: uplot.css -->\n<h1>Usage</h1>\n");
    assertThat(page)
        .isEqualTo(
            "<title>Usage & more</title>\n"
                + "  <link rel=\"stylesheet\" href=\"uplot.css\">\n"
                + "  <link rel=\"stylesheet\" href=\"console.css\">\n"
                + "<script src=\"usage.js\"></script>\n"
                + "<body data-page=\"usage\">\n<header>nav</header>\n<main>\n"
                + "    <h1>Usage</h1>\n</main>\n");
  }

  @Test
  void theSignInPageNamesItsModuleAndHasNoHeader() {
    String page =
        layout.render(
            "/console/pages/index.html",
            "<!-- title: Sign in -->\n<!-- script: sign-in -->\n<!-- header: none -->\n"
                + "<p>{{title}} stays text</p>\n");
    assertThat(page)
        .contains("<script src=\"sign-in.js\">", "data-page=\"sign-in\"", "{{title}} stays text")
        .doesNotContain("<header>", "uplot.css");
  }

  @Test
  void aPageWithoutTitleOrWithAnUnknownSettingStopsTheStart() {
    assertThatThrownBy(() -> layout.render("/console/pages/x.html", "<h1>X</h1>\n"))
        .hasMessageContaining("/console/pages/x.html")
        .hasMessageContaining("title");
    assertThatThrownBy(
            () -> layout.render("/console/pages/y.html", "<!-- title: Y -->\n<!-- font: big -->\n"))
        .hasMessageContaining("font");
    assertThatThrownBy(
            () ->
                layout.render(
                    "/console/pages/z.html", "<!-- title: Z -->\n<!-- header: some -->\n"))
        .hasMessageContaining("header");
  }
}
