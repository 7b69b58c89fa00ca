package io.xecure.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.xecure.admin.AdminFixture.Response;
import io.xecure.console.ConsolePages;
import io.xecure.testing.MemoryStore;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The console's pages as the admin listener serves them: from the jar, under a strict CSP. */
class ConsolePagesTest {
  private static final Pattern SCRIPT =
      Pattern.compile("<script([^>]*)>", Pattern.CASE_INSENSITIVE);
  private static final Pattern HANDLER =
      Pattern.compile("\\son[a-z]+\\s*=", Pattern.CASE_INSENSITIVE);
  static AdminFixture admin;

  @BeforeAll
  static void start() throws Exception {
    admin = new AdminFixture(new MemoryStore());
  }

  @AfterAll
  static void stop() throws Exception {
    admin.close();
  }

  @Test
  void rootLeadsToTheSignInPage() throws Exception {
    Response root = admin.send(admin.request("/"));
    assertThat(root.status()).isEqualTo(302);
    assertThat(root.header("location")).isEqualTo("/console/");

    Response bare = admin.send(admin.request("/console"));
    assertThat(bare.status()).isEqualTo(302);
    assertThat(bare.header("location")).isEqualTo("/console/");
    Response page = admin.send(admin.request("/console/"));
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.header("content-type")).startsWith("text/html");
    assertThat(page.body()).contains("id=\"sign-in\"", "type=\"password\"", "<label for=\"email\"");
  }

  static final List<String> PAGES =
      List.of(
          "index",
          "dashboard",
          "developers",
          "developer",
          "keys",
          "events",
          "usage",
          "alerts",
          "apis",
          "operators");

  @Test
  void everyPageHasTheStrictPolicyAndOnlyItsOwnModule() throws Exception {
    for (String name : PAGES) {
      String page = "/console/" + name + ".html";
      Response r = admin.send(admin.request(page));
      assertThat(r.status()).as(page).isEqualTo(200);
      assertThat(r.header("content-security-policy"))
          .isEqualTo(ConsolePages.CSP)
          .contains("script-src 'self'", "frame-ancestors 'none'")
          .doesNotContain("unsafe-inline", "unsafe-eval");
      assertThat(r.header("x-content-type-options")).isEqualTo("nosniff");
      Matcher scripts = SCRIPT.matcher(r.body());
      int count = 0;
      while (scripts.find()) {
        String module = name.equals("index") ? "sign-in" : name;
        assertThat(scripts.group(1))
            .as(page)
            .contains("type=\"module\"", "src=\"" + module + ".js\"");
        count++;
      }
      assertThat(count).as(page).isEqualTo(1);
      assertThat(HANDLER.matcher(r.body()).find()).as(page + " inline handlers").isFalse();
      assertThat(r.body()).doesNotContain("http://", "https://", "style="); // no CDN, no inline
    }
  }

  @Test
  void everyPageHasTheSharedLayoutOnceAndTheSignInPageNoNavigation() throws Exception {
    for (String name : PAGES) {
      String body = admin.send(admin.request("/console/" + name + ".html")).body();
      assertThat(body)
          .as(name)
          .startsWith("<!doctype html>")
          .contains("<link rel=\"stylesheet\" href=\"console.css\">", "<main id=\"main\">")
          .containsOnlyOnce("<title>")
          .containsOnlyOnce("<h1>")
          .doesNotContain("{{", "<!-- title:");
      if (name.equals("index")) {
        assertThat(body).doesNotContain("<nav", "sign-out");
      } else {
        assertThat(body)
            .containsOnlyOnce("<nav id=\"nav\" aria-label=\"Main\">")
            .containsOnlyOnce("<a class=\"skip\" href=\"#main\">");
      }
    }
    assertThat(admin.send(admin.request("/console/dashboard.html")).body()).contains("uplot.css");
    assertThat(admin.send(admin.request("/console/keys.html")).body()).doesNotContain("uplot.css");
    // the parts are not pages of their own
    for (String part : List.of("page.html", "header.html", "layout/page.html", "pages/keys.html")) {
      assertThat(admin.send(admin.request("/console/" + part)).status()).as(part).isEqualTo(404);
    }
  }

  @Test
  void scriptsBuildThePageFromTextAndKeepNothingInStorage() throws Exception {
    for (String name :
        List.of(
            "common",
            "charts",
            "sign-in",
            "dashboard",
            "developers",
            "developer",
            "keys",
            "events",
            "usage",
            "alerts",
            "apis",
            "operators")) {
      Response js = admin.send(admin.request("/console/" + name + ".js"));
      assertThat(js.status()).as(name).isEqualTo(200);
      assertThat(js.header("content-type")).startsWith("text/javascript");
      assertThat(js.body())
          .as(name)
          .doesNotContain(
              "innerHTML", "outerHTML", "insertAdjacentHTML", "localStorage", "sessionStorage");
    }
    assertThat(admin.send(admin.request("/console/common.js")).body()).contains("textContent");
  }

  @Test
  void chartsComeFromTheJarUnderTheSamePolicy() throws Exception {
    Response uplot = admin.send(admin.request("/console/uplot.js"));
    assertThat(uplot.status()).isEqualTo(200);
    assertThat(uplot.header("content-type")).startsWith("text/javascript");
    assertThat(uplot.header("content-security-policy")).isEqualTo(ConsolePages.CSP);
    assertThat(uplot.body()).contains("export { uPlot as default }");
    Response css = admin.send(admin.request("/console/uplot.css"));
    assertThat(css.status()).isEqualTo(200);
    assertThat(css.header("content-type")).startsWith("text/css");
    assertThat(css.body()).contains(".uplot");
  }

  @Test
  void onlyTheConsoleFilesAreServedAndOnlyToGet() throws Exception {
    assertThat(admin.send(admin.request("/console/nope.html")).status()).isEqualTo(404);
    assertThat(admin.send(admin.request("/console/..%2Fopenapi.json")).status()).isEqualTo(404);
    Response post =
        admin.send(admin.request("/console/index.html").POST(HttpRequest.BodyPublishers.noBody()));
    assertThat(post.status()).isEqualTo(405);
  }
}
