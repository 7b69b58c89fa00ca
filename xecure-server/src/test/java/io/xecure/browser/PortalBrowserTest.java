package io.xecure.browser;

import static org.assertj.core.api.Assertions.assertThat;

import io.xecure.portal.PortalFixture;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The developer portal in headless chromium, against a gateway with a portal listener: an invited
 * developer accepts, signs in, creates a key (copy-once dialog) that the gateway serves, rotates
 * it, and sees its usage; at desktop and phone sizes, without a script or CSP error. Screenshots:
 * {@code target/screenshots/portal-*.png}.
 */
class PortalBrowserTest {
  @RegisterExtension static final Browser browser = new Browser();
  private static @Nullable PortalFixture portal;

  @AfterAll
  static void stop() throws Exception {
    PortalFixture p = portal;
    if (p != null) {
      p.close();
    }
  }

  @Test
  void invitedDeveloperAcceptsSignsInCreatesRotatesAndSeesUsage() throws Exception {
    PortalFixture portal = new PortalFixture(Files.createTempDirectory("xecure-portal-browser"));
    PortalBrowserTest.portal = portal;
    WebDriver web = browser.driver();
    String name = "Pat <img src=x onerror=alert(1)>";
    String id = portal.developerFor(name, "pat@example.com");
    String link = portal.inviteLink(id);

    web.get(link);
    browser.waitFor(By.cssSelector("body[data-ready]"));
    web.findElement(By.id("password")).sendKeys("pat's long password");
    web.findElement(By.id("confirm")).sendKeys("pat's long password");
    browser.screenshot("portal-invite");
    web.findElement(By.cssSelector("#accept button[type=submit]")).click();
    browser.waitForText(By.id("done-email"), "pat@example.com");

    web.findElement(By.linkText("Sign in")).click();
    browser.waitFor(By.cssSelector("body[data-ready]"));
    web.findElement(By.id("email")).sendKeys("pat@example.com");
    web.findElement(By.id("password")).sendKeys("pat's long password");
    web.findElement(By.cssSelector("#sign-in button[type=submit]")).click();
    browser.waitForText(By.id("who"), name);
    browser.waitFor(By.cssSelector("body[data-ready]"));

    web.findElement(By.id("key-name")).sendKeys("laptop");
    web.findElement(By.cssSelector("#create button[type=submit]")).click();
    WebElement plaintext = browser.waitFor(By.id("plaintext"));
    String key = Objects.requireNonNull(plaintext.getAttribute("value"));
    assertThat(key).startsWith("xk_");
    browser.screenshot("portal-key-created");
    web.findElement(By.id("close-copy")).click();
    browser.waiting().until(ExpectedConditions.invisibilityOfElementLocated(By.id("copy-once")));
    assertThat(web.findElement(By.id("plaintext")).getAttribute("value")).isEmpty();
    assertThat(
            ((JavascriptExecutor) web)
                .executeScript("return localStorage.length + sessionStorage.length"))
        .isEqualTo(0L);
    assertThat(call(key)).isEqualTo(200);

    browser.waitFor(By.cssSelector("button[aria-label='Rotate laptop']")).click();
    browser.waitForText(By.id("copy-title"), "successor of laptop");
    String successor =
        Objects.requireNonNull(web.findElement(By.id("plaintext")).getAttribute("value"));
    assertThat(successor).startsWith("xk_").isNotEqualTo(key);
    web.findElement(By.id("close-copy")).click();
    browser.waitForText(By.cssSelector("#keys tbody"), "active until");
    assertThat(call(successor)).isEqualTo(200);
    assertThat(call(key)).as("within the grace").isEqualTo(200);
    browser.screenshot("portal-keys");

    portal.gateway.usageFlusher().flush();
    web.get(portal.portal("/usage"));
    browser.waitForText(By.id("usage"), "3 granted");
    browser.waitForText(By.cssSelector("#quota tbody"), "997 of 1000");
    browser.screenshot("portal-usage");

    web.get(portal.portal("/apis"));
    browser.waitForText(By.id("apis"), "X-API-Key".toLowerCase());
    browser.screenshot("portal-apis");

    browser.resize(Browser.PHONE);
    web.get(portal.portal("/"));
    browser.waitForText(By.cssSelector("#keys tbody"), "laptop");
    browser.screenshot("portal-keys-phone");
    browser.resize(Browser.DESKTOP);
    assertThat(web.findElements(By.cssSelector("img"))).as("the name stayed text").isEmpty();
    assertThat(browser.pageErrors()).isEmpty();
  }

  private static int call(String key) throws Exception {
    PortalFixture portal = Objects.requireNonNull(PortalBrowserTest.portal);
    HttpRequest r =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + portal.gateway.gatewayPort() + "/users"))
            .header("x-api-key", key)
            .build();
    return HttpClient.newHttpClient().send(r, HttpResponse.BodyHandlers.ofString()).statusCode();
  }
}
