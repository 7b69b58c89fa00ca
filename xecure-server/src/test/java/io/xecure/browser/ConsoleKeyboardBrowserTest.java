package io.xecure.browser;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The console with the keyboard only: signing in, moving between pages, issuing a key through its
 * dialogs; focus goes where a user expects it and is always visible; every control on every page
 * and dialog has a name a screen reader can say.
 */
class ConsoleKeyboardBrowserTest {
  @RegisterExtension static final Browser browser = new Browser();

  static final String PASSWORD = "correct horse battery staple";
  static final List<String> PAGES =
      List.of("dashboard", "developers", "keys", "events", "usage", "alerts", "apis", "operators");

  /** More presses than any page has controls: a walk that does not end fails. */
  static final int MAX_TABS = 120;

  @Test
  void anOperatorSignsInAndIssuesAKeyWithTheKeyboardOnly() throws Exception {
    browser.operator("kim@example.com", "owner", PASSWORD);
    WebDriver d = browser.driver();
    d.manage().deleteAllCookies();
    browser.open("index.html");

    // the sign-in form: Tab, type, Tab, type, Enter
    press(Keys.TAB);
    assertFocus("email");
    press("kim@example.com", Keys.TAB);
    assertFocus("password");
    press(PASSWORD, Keys.ENTER);
    browser.awaitPage("dashboard.html");

    // the first Tab on a page reaches the skip link, shown while it has the focus
    press(Keys.TAB);
    assertThat(focused().getAttribute("class")).isEqualTo("skip");
    assertThat(focused().getRect().getX()).as("the skip link on screen").isGreaterThanOrEqualTo(0);
    // the navigation by Tab, then Enter on a link
    tabTo(By.cssSelector("#nav a[href='developers.html']"));
    press(Keys.ENTER);
    browser.awaitPage("developers.html");

    // skip link, Enter: the next Tab is in the page's content, past the navigation
    press(Keys.TAB);
    assertThat(focused().getAttribute("class")).isEqualTo("skip");
    press(Keys.ENTER);
    press(Keys.TAB);
    assertFocus("name");
    press("Ada Keys", Keys.TAB);
    assertFocus("new-email");
    press("ada.keys@example.com", Keys.ENTER);
    browser.awaitPage("developer.html?id=");
    assertThat(d.findElement(By.cssSelector("h1")).getText()).isEqualTo("Developer: Ada Keys");

    // Issue a key: the dialog takes the focus on its first field; Enter submits it
    tabTo(By.id("issue"));
    browser.screenshot("keyboard-focus");
    press(Keys.ENTER);
    browser.waitFor(By.cssSelector("dialog[open]"));
    assertFocus("k-name");
    press("keyboard key", Keys.ENTER);
    // the copy-once dialog has the plaintext in focus, selected for copying
    WebElement field = browser.waitFor(By.id("plaintext"));
    browser.waiting().until(ExpectedConditions.attributeToBe(focusedLocator(), "id", "plaintext"));
    String plaintext = Objects.requireNonNull(field.getAttribute("value"));
    assertThat(plaintext).startsWith("xk_");
    assertThat(
            script(
                "return window.getSelection().toString() || document.activeElement.value"
                    + ".substring(document.activeElement.selectionStart, document.activeElement.selectionEnd);"))
        .isEqualTo(plaintext);
    // Escape closes it and the focus is back on the button that opened it
    press(Keys.ESCAPE);
    browser.waiting().until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("dialog"), 0));
    assertFocus("issue");
    browser.waitForText(By.id("keys"), "keyboard key");
    assertThat(d.getPageSource()).doesNotContain(plaintext);
    assertThat(browser.gateway().get("/orders/1", "X-API-Key", plaintext).statusCode())
        .isEqualTo(200);

    // a dialog left with Escape before submitting changes nothing and gives the focus back
    press(Keys.ENTER);
    browser.waitFor(By.cssSelector("dialog[open]"));
    press("never issued", Keys.ESCAPE);
    browser.waiting().until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("dialog"), 0));
    assertFocus("issue");
    assertThat(d.findElement(By.id("keys")).getText()).doesNotContain("never issued");
    assertThat(browser.pageErrors()).isEmpty();
  }

  @Test
  void everyControlIsReachedByTabAndShowsItHasTheFocus() throws Exception {
    browser.operator("vic@example.com", "owner", PASSWORD);
    String developer = developerWithKey("Vic's developer", "vic.dev@example.com");
    browser.driver().manage().deleteAllCookies();
    Map<String, List<String>> problems = new java.util.LinkedHashMap<>();
    browser.open("index.html");
    problems.put("index", tabThroughPage());
    browser.signIn("vic@example.com", PASSWORD);
    List<String> pages = new ArrayList<>(PAGES);
    pages.add("developer.html?id=" + developer);
    for (String page : pages) {
      browser.open(page.contains(".html") ? page : page + ".html");
      problems.put(page, tabThroughPage());
    }
    browser.open("developer.html?id=" + developer);
    script("document.getElementById('issue').focus();");
    press(Keys.ENTER);
    browser.waitFor(By.cssSelector("dialog[open]"));
    problems.put("issue key dialog", tabThroughPage());
    problems.values().removeIf(List::isEmpty);
    assertThat(problems).as("what a keyboard user misses, per page").isEmpty();
  }

  @Test
  void everyControlOnEveryPageAndDialogHasALabel() throws Exception {
    browser.operator("lea@example.com", "owner", PASSWORD);
    browser.operator("tom@example.com", "operator", PASSWORD);
    String developer = developerWithKey("Lea's developer", "lea.dev@example.com");
    WebDriver d = browser.driver();
    d.manage().deleteAllCookies();
    browser.open("index.html");
    assertThat(browser.unlabelledControls()).as("sign-in").isEmpty();
    browser.signIn("lea@example.com", PASSWORD);
    for (String page : PAGES) {
      browser.open(page + ".html");
      assertThat(browser.unlabelledControls()).as(page).isEmpty();
    }

    // the developer page and each of its dialogs
    browser.open("developer.html?id=" + developer);
    assertThat(browser.unlabelledControls()).as("developer").isEmpty();
    for (String opener :
        List.of(
            "#issue", "button[aria-label='Edit key k1']", "button[aria-label='Rotate key k1']")) {
      d.findElement(By.cssSelector(opener)).click();
      browser.waitFor(By.cssSelector("dialog[open]"));
      assertThat(browser.unlabelledControls()).as("dialog of " + opener).isEmpty();
      d.findElement(By.cssSelector("dialog button[value=cancel]")).click();
      browser.waiting().until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("dialog"), 0));
    }

    // the operators page: edit dialog, tokens, the new-token and copy-once dialogs
    browser.open("operators.html");
    browser.waitFor(By.cssSelector("button[aria-label='Edit tom@example.com']")).click();
    browser.waitFor(By.cssSelector("dialog[open]"));
    assertThat(browser.unlabelledControls()).as("edit operator dialog").isEmpty();
    d.findElement(By.cssSelector("dialog button[value=cancel]")).click();
    browser.waiting().until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("dialog"), 0));
    d.findElement(By.cssSelector("button[aria-label='Tokens of tom@example.com']")).click();
    browser.waitFor(By.id("new-token")).click();
    browser.waitFor(By.id("t-name")).sendKeys("label check");
    assertThat(browser.unlabelledControls()).as("new token dialog").isEmpty();
    d.findElement(By.cssSelector("dialog button[type=submit]")).click();
    browser.waitFor(By.id("plaintext"));
    assertThat(browser.unlabelledControls()).as("copy-once dialog").isEmpty();
    d.findElement(By.id("close-plaintext")).click();
    browser.waitForText(By.id("tokens"), "label check");
    assertThat(browser.unlabelledControls()).as("operators with tokens").isEmpty();
    assertThat(browser.pageErrors()).isEmpty();
  }

  /** A developer with one key, {@code k1}, for the orders API; answers the developer's id. */
  private static String developerWithKey(String name, String email) throws Exception {
    String id =
        new JsonObject(
                browser
                    .admin(
                        "POST",
                        "/admin/developers",
                        new JsonObject().put("name", name).put("email", email).encode())
                    .body())
            .getString("id");
    int status =
        browser
            .admin(
                "POST",
                "/admin/developers/" + id + "/keys",
                new JsonObject()
                    .put("name", "k1")
                    .put("apis", new JsonArray().add("orders"))
                    .encode())
            .statusCode();
    assertThat(status).isEqualTo(201);
    return id;
  }

  /**
   * Tabs from the top of the page (or the open dialog) through every control once; answers what a
   * keyboard user would miss: a control that showed no focus (no outline or box shadow while
   * focused), and one that Tab never reached.
   */
  private static List<String> tabThroughPage() {
    List<String> problems = new ArrayList<>();
    List<WebElement> visited = new ArrayList<>();
    WebElement start = (WebElement) script("return document.activeElement;");
    if (start != null && !start.getTagName().equals("body")) {
      visited.add(start); // a dialog's first field, focused as it opened
      checkFocusShown(start, problems);
    }
    for (int i = 0; i < MAX_TABS; i++) {
      press(Keys.TAB);
      WebElement element = (WebElement) script("return document.activeElement;");
      if (element != null
          && !visited.isEmpty()
          && element.equals(visited.get(visited.size() - 1))) {
        continue; // within one control (the parts of a date and time)
      }
      if (element == null || element.getTagName().equals("body") || visited.contains(element)) {
        // past the last control, or round again (a modal dialog keeps the focus inside)
        @SuppressWarnings("unchecked")
        List<WebElement> tabbable = (List<WebElement>) script(TABBABLE);
        for (WebElement control : Objects.requireNonNull(tabbable)) {
          if (!visited.contains(control)) {
            problems.add("not reached by Tab: " + html(control));
          }
        }
        assertThat(visited).as("controls reached by Tab").isNotEmpty();
        return problems;
      }
      visited.add(element);
      checkFocusShown(element, problems);
    }
    throw new AssertionError("focus did not leave the page after " + MAX_TABS + " Tabs");
  }

  /**
   * Whether {@code element}, focused from the keyboard, shows it: an outline of 2 px or more, or a
   * box shadow (the browser's own 1 px ring is too faint on the dark header; WCAG 2.4.13 asks 2).
   */
  private static void checkFocusShown(WebElement element, List<String> problems) {
    Object shown =
        script(
            "const e = document.activeElement, s = getComputedStyle(e);"
                + "const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;"
                + "return e.matches(':focus-visible') && (outline || s.boxShadow !== 'none');");
    if (!Boolean.TRUE.equals(shown)) {
      problems.add("no visible focus: " + html(element));
    }
  }

  /** The controls a keyboard user can reach: shown, enabled, in the open dialog if one is. */
  private static final String TABBABLE =
      "const root = document.querySelector('dialog[open]') || document;"
          + "return [...root.querySelectorAll('a[href], button, input, select, textarea,"
          + " [tabindex]')].filter(e => !e.disabled && e.tabIndex >= 0"
          + " && e.getClientRects().length > 0 && !e.closest('[hidden], [inert]'));";

  private static String html(WebElement element) {
    String outer = String.valueOf(element.getDomProperty("outerHTML"));
    return outer.substring(0, Math.min(160, outer.length()));
  }

  /** Presses Tab until {@code target} has the focus (a bounded number of times). */
  private static void tabTo(By target) {
    WebElement wanted = browser.driver().findElement(target);
    for (int i = 0; i < MAX_TABS; i++) {
      press(Keys.TAB);
      if (wanted.equals(focused())) {
        return;
      }
    }
    throw new AssertionError(target + " not reached by Tab");
  }

  private static void press(CharSequence... keys) {
    new Actions(browser.driver()).sendKeys(keys).perform();
  }

  private static WebElement focused() {
    return browser.driver().switchTo().activeElement();
  }

  private static By focusedLocator() {
    return By.cssSelector(":focus");
  }

  private static void assertFocus(String id) {
    assertThat(focused().getAttribute("id")).as("the focus").isEqualTo(id);
  }

  private static @Nullable Object script(String js) {
    return ((JavascriptExecutor) browser.driver()).executeScript(js);
  }
}
