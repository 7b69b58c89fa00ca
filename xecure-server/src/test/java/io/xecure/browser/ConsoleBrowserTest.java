package io.xecure.browser;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The console in a real browser, through the admin listener of a real gateway in front of a real
 * upstream: a key issued in the console works at the gateway until it is revoked in the console,
 * and its request shows in the audit log, the dashboard and the usage page; an auditor sees but
 * cannot change; markup in a name is shown as text.
 */
class ConsoleBrowserTest {
  @RegisterExtension static final Browser browser = new Browser();

  static final String PASSWORD = "correct horse battery staple";

  @Test
  void aWrongPasswordIsSaidAndKeepsTheSignInPage() throws Exception {
    browser.operator("sam@example.com", "operator", PASSWORD);
    WebDriver d = browser.driver();
    d.manage().deleteAllCookies();
    browser.open("index.html");
    browser.screenshot("sign-in");
    d.findElement(By.id("email")).sendKeys("sam@example.com");
    d.findElement(By.id("password")).sendKeys("not the password at all");
    d.findElement(By.cssSelector("#sign-in button[type=submit]")).click();

    browser.waitForText(By.id("message"), "wrong email or password");
    assertThat(d.getCurrentUrl()).endsWith("/console/index.html");
    assertThat(d.findElement(By.id("password")).getAttribute("value")).isEmpty();
    // and a page of the console without a session leads back here
    d.get(browser.console("keys.html"));
    browser.waiting().until(ExpectedConditions.urlContains("index.html"));
  }

  @Test
  void aKeyIssuedInTheConsoleWorksUntilItIsRevokedThere() throws Exception {
    browser.operator("olga@example.com", "owner", PASSWORD);
    browser.signIn("olga@example.com", PASSWORD);
    WebDriver d = browser.driver();

    // a developer, then a key for it, read from the copy-once dialog
    browser.open("developers.html");
    d.findElement(By.id("name")).sendKeys("Ada Lovelace");
    d.findElement(By.id("new-email")).sendKeys("ada@example.com");
    d.findElement(By.cssSelector("#create button[type=submit]")).click();
    browser.awaitPage("developer.html?id=");
    assertThat(d.findElement(By.cssSelector("h1")).getText()).isEqualTo("Developer: Ada Lovelace");
    String developerUrl = Objects.requireNonNull(d.getCurrentUrl());

    d.findElement(By.id("issue")).click();
    browser.waitFor(By.id("k-name")).sendKeys("ci key");
    assertThat(d.findElement(By.id("api-orders")).isSelected()).isTrue(); // the only API
    d.findElement(By.id("k-scopes")).sendKeys("orders:read");
    d.findElement(By.cssSelector("dialog button[type=submit]")).click();
    WebElement field = browser.waitFor(By.id("plaintext"));
    String plaintext = Objects.requireNonNull(field.getAttribute("value"));
    assertThat(plaintext).startsWith("xk_").hasSizeGreaterThan(20);
    browser.screenshot("key-issued-dialog");
    d.findElement(By.id("close-plaintext")).click();
    browser.waiting().until(ExpectedConditions.numberOfElementsToBe(By.id("plaintext"), 0));
    assertThat(storage()).doesNotContain(plaintext);
    assertThat(d.findElement(By.id("keys")).getText())
        .contains("ci key", "active", "orders", "orders:read")
        .doesNotContain(plaintext);
    assertThat(browser.pageErrors()).isEmpty();

    // the gateway takes it
    HttpResponse<String> granted = browser.gateway().get("/orders/42", "X-API-Key", plaintext);
    assertThat(granted.statusCode()).isEqualTo(200);
    assertThat(browser.upstream().last().uri()).isEqualTo("/orders/42");
    // and refuses a key it does not know, without a word to the upstream
    int seen = browser.upstream().received().size();
    assertThat(browser.gateway().get("/orders/7", "X-API-Key", "xk_unknown").statusCode())
        .isEqualTo(401);
    assertThat(browser.upstream().received()).hasSize(seen);

    // the request in the audit log (events are written in batches: reload until it is there)
    browser.open("events.html?type=request");
    browser.reloadUntil(By.id("rows"), "GET /orders/42");
    assertThat(d.findElement(By.id("rows")).getText()).contains("granted", "200", "orders");
    browser.screenshot("audit-log");

    // and in the dashboard's totals and the usage per key (usage is flushed every 2 s)
    browser.open("dashboard.html");
    // (other tests of this class share the gateway: look for this test's key and denial)
    browser.reloadUntil(By.id("top-keys"), "ci key");
    browser.reloadUntil(By.id("outcomes-chart"), "denied: key_invalid");
    assertThat(d.findElement(By.id("totals")).getText()).containsPattern("[1-9]\\d* granted");
    assertThat(d.findElements(By.cssSelector("#outcomes-chart canvas"))).hasSize(1);
    assertThat(d.findElement(By.id("outcomes-chart")).getText()).contains("granted");
    assertThat(d.findElement(By.id("top-developers")).getText()).contains("Ada Lovelace");
    assertThat(d.findElement(By.id("top-keys")).getText()).contains("ci key");
    browser.screenshot("dashboard");
    browser.open("usage.html?group_by=key");
    browser.reloadUntil(By.id("rows"), "ci key");
    assertThat(d.findElement(By.id("rows")).getText()).contains("ci key");
    assertThat(d.findElements(By.cssSelector("#requests-chart canvas"))).hasSize(1);
    browser.screenshot("usage");

    // revoked in the console: the next call is refused
    d.get(developerUrl);
    browser.waitFor(By.cssSelector("body[data-ready]"));
    browser.screenshot("developer");
    d.findElement(By.cssSelector("button[aria-label='Revoke key ci key']")).click();
    browser.waiting().until(ExpectedConditions.alertIsPresent()).accept();
    browser.waitForText(By.id("message"), "revoked");
    browser.waitForText(By.id("keys"), "revoked");
    assertThat(browser.gateway().get("/orders/43", "X-API-Key", plaintext).statusCode())
        .isEqualTo(401);
    assertThat(browser.pageErrors()).isEmpty();
  }

  @Test
  void aKeyRotatedInTheConsoleHandsOverWithAGraceAndItsRightsChange() throws Exception {
    String name = "<script>alert(2)</script>";
    JsonObject dev =
        new JsonObject(
            browser
                .admin("POST", "/admin/developers", "{\"name\":\"Linus\",\"email\":\"l@x.io\"}")
                .body());
    HttpResponse<String> issued =
        browser.admin(
            "POST",
            "/admin/developers/" + dev.getString("id") + "/keys",
            new JsonObject().put("name", name).put("apis", new JsonArray().add("orders")).encode());
    String old = new JsonObject(issued.body()).getString("key");
    browser.operator("rita@example.com", "operator", PASSWORD);
    browser.signIn("rita@example.com", PASSWORD);
    WebDriver d = browser.driver();
    browser.open("developer.html?id=" + dev.getString("id"));
    assertThat(d.findElement(By.id("keys")).getText()).contains(name);

    d.findElement(By.cssSelector("button[aria-label='Rotate key " + name + "']")).click();
    new org.openqa.selenium.support.ui.Select(browser.waitFor(By.id("k-grace")))
        .selectByValue("1h");
    d.findElement(By.cssSelector("dialog button[type=submit]")).click();
    String fresh =
        Objects.requireNonNull(browser.waitFor(By.id("plaintext")).getAttribute("value"));
    assertThat(fresh).startsWith("xk_").isNotEqualTo(old);
    d.findElement(By.id("close-plaintext")).click();
    browser.waitForText(By.id("keys"), "until");
    assertThat(browser.gateway().get("/orders/1", "X-API-Key", fresh).statusCode()).isEqualTo(200);
    assertThat(browser.gateway().get("/orders/2", "X-API-Key", old).statusCode())
        .as("the old key within its grace")
        .isEqualTo(200);

    // the new key's rights: a scope and a network it must come from
    List<WebElement> edits =
        d.findElements(By.cssSelector("button[aria-label='Edit key " + name + "']"));
    edits.get(edits.size() - 1).click();
    browser.waitFor(By.id("k-scopes")).sendKeys("orders:write");
    d.findElement(By.id("k-cidrs")).sendKeys("10.9.0.0/16");
    d.findElement(By.cssSelector("dialog button[type=submit]")).click();
    browser.waitForText(By.id("keys"), "10.9.0.0/16");
    assertThat(d.findElement(By.id("keys")).getText()).contains("orders:write");
    assertThat(browser.gateway().get("/orders/3", "X-API-Key", fresh).statusCode())
        .as("from 127.0.0.1, outside the key's network")
        .isEqualTo(403);
    assertNoImageAndNoAlert();
    assertThat(browser.pageErrors()).isEmpty();
  }

  @Test
  void anAuditorHasNoEnabledChangeControlsAndTheApiRefusesChanges() throws Exception {
    JsonObject dev =
        new JsonObject(
            browser
                .admin("POST", "/admin/developers", "{\"name\":\"Grace\",\"email\":\"g@x.io\"}")
                .body());
    HttpResponse<String> key =
        browser.admin(
            "POST",
            "/admin/developers/" + dev.getString("id") + "/keys",
            new JsonObject().put("name", "k1").put("apis", new JsonArray().add("orders")).encode());
    assertThat(key.statusCode()).isEqualTo(201);
    browser.operator("audrey@example.com", "auditor", PASSWORD);
    browser.signIn("audrey@example.com", PASSWORD);
    WebDriver d = browser.driver();

    assertThat(d.findElement(By.id("nav")).getText())
        .contains("Audit log")
        .doesNotContain("Operators");
    for (String page :
        List.of("developers.html", "developer.html?id=" + dev.getString("id"), "apis.html")) {
      browser.open(page);
      List<WebElement> controls =
          d.findElements(
              By.cssSelector(
                  "[data-change] input, [data-change] button, button[data-change],"
                      + " [data-owner] input, [data-owner] button, button[data-owner]"));
      assertThat(controls).as(page).isNotEmpty();
      for (WebElement control : controls) {
        assertThat(control.isEnabled()).as(page + " " + control.getText()).isFalse();
      }
    }
    browser.open("developer.html?id=" + dev.getString("id"));
    assertThat(d.findElement(By.cssSelector("button[aria-label='Revoke key k1']")).isEnabled())
        .isFalse();
    browser.screenshot("auditor-developer");

    // the page disables; the API refuses whatever the page does
    Object status =
        ((JavascriptExecutor) d)
            .executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                    + "fetch('/admin/session').then(r => r.json()).then(s =>"
                    + " fetch('/admin/developers', {method: 'POST', headers: {'content-type':"
                    + " 'application/json', 'x-csrf-token': s.csrf_token},"
                    + " body: JSON.stringify({name: 'Nope', email: 'n@x.io'})}))"
                    + ".then(r => done(r.status), e => done(String(e)));");
    assertThat(status).isEqualTo(403L);
    assertThat(browser.pageErrors()).isEmpty();
  }

  @Test
  void aDeveloperNamedLikeMarkupIsShownAsText() throws Exception {
    String markup = "<img src=x onerror=alert(1)>";
    browser.operator("oscar@example.com", "operator", PASSWORD);
    browser.signIn("oscar@example.com", PASSWORD);
    WebDriver d = browser.driver();
    browser.open("developers.html");
    d.findElement(By.id("name")).sendKeys(markup);
    d.findElement(By.id("new-email")).sendKeys("xss@example.com");
    d.findElement(By.cssSelector("#create button[type=submit]")).click();
    browser.awaitPage("developer.html?id=");

    assertThat(d.findElement(By.cssSelector("h1")).getText()).isEqualTo("Developer: " + markup);
    assertThat(d.findElement(By.cssSelector("[data-field=name]")).getText()).isEqualTo(markup);
    assertNoImageAndNoAlert();
    browser.open("developers.html");
    assertThat(d.findElement(By.id("rows")).getText()).contains(markup);
    assertNoImageAndNoAlert();
    browser.screenshot("developers");
  }

  @Test
  void everyPageRendersWithoutErrorsWithLabelledControlsOnDesktopAndPhone() throws Exception {
    browser.operator("owen@example.com", "owner", PASSWORD);
    browser.signIn("owen@example.com", PASSWORD);
    List<String> pages =
        List.of(
            "dashboard", "developers", "keys", "events", "usage", "alerts", "apis", "operators");
    try {
      for (String page : pages) {
        browser.resize(Browser.DESKTOP);
        browser.open(page + ".html");
        assertThat(browser.driver().findElement(By.id("message")).getText()).as(page).isEmpty();
        assertThat(browser.unlabelledControls()).as(page + ": controls without a label").isEmpty();
        assertThat(browser.pageErrors()).as(page).isEmpty();
        browser.screenshot("page-" + page);
        browser.resize(Browser.PHONE);
        assertThat(overflow()).as(page + " wider than a phone").isLessThanOrEqualTo(0L);
        browser.screenshot("page-" + page + "-phone");
      }
    } finally {
      browser.resize(Browser.DESKTOP);
    }
  }

  @Test
  void anOwnerAddsAnOperatorWithARoleInTheConsole() throws Exception {
    browser.operator("otto@example.com", "owner", PASSWORD);
    browser.signIn("otto@example.com", PASSWORD);
    WebDriver d = browser.driver();
    browser.open("operators.html");
    d.findElement(By.id("op-email")).sendKeys("ivy@example.com");
    d.findElement(By.id("op-name")).sendKeys("Ivy");
    new org.openqa.selenium.support.ui.Select(d.findElement(By.id("op-role")))
        .selectByValue("auditor");
    d.findElement(By.id("op-password")).sendKeys("another long password 2");
    d.findElement(By.cssSelector("#create button[type=submit]")).click();
    browser.waitForText(By.id("rows"), "ivy@example.com");
    assertThat(d.findElement(By.id("rows")).getText()).contains("Ivy", "auditor");
    browser.screenshot("operators");

    // the new auditor signs in with that password, and has no Operators page
    browser.signIn("ivy@example.com", "another long password 2");
    assertThat(browser.waitFor(By.id("who")).getText()).isEqualTo("ivy@example.com (auditor)");
    assertThat(d.findElement(By.id("nav")).getText()).doesNotContain("Operators");
  }

  /** How many pixels the page is wider than the window (scrolling sideways on a phone). */
  private static long overflow() {
    return (Long)
        Objects.requireNonNull(
            ((JavascriptExecutor) browser.driver())
                .executeScript(
                    "return document.documentElement.scrollWidth - document.documentElement.clientWidth;"));
  }

  private void assertNoImageAndNoAlert() {
    WebDriver d = browser.driver();
    assertThat(d.findElements(By.cssSelector("main img"))).isEmpty();
    try {
      d.switchTo().alert();
      throw new AssertionError("an alert ran: the name was taken as markup");
    } catch (NoAlertPresentException expected) {
      // the name stayed text
    }
  }

  private static String storage() {
    return String.valueOf(
        ((JavascriptExecutor) browser.driver())
            .executeScript(
                "return JSON.stringify(localStorage) + JSON.stringify(sessionStorage)"
                    + " + document.cookie"));
  }
}
