package io.xecure.browser;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;

/** Signing in to the console in a real browser, and what a wrong password shows. */
class SignInBrowserTest {
  @RegisterExtension static final Browser browser = new Browser();

  static final String PASSWORD = "correct horse battery staple";

  @Test
  void anOperatorSignsInAndSeesWhoTheyAre() throws Exception {
    browser.operator("olga@example.com", "owner", PASSWORD);

    browser.open("index.html");
    browser.screenshot("sign-in");
    browser.signIn("olga@example.com", PASSWORD);

    assertThat(browser.driver().getCurrentUrl()).doesNotContain("index.html");
    assertThat(browser.waitFor(By.id("who")).getText()).contains("owner");
  }

  @Test
  void aWrongPasswordIsSaidAndLeavesTheSignInPage() throws Exception {
    browser.operator("oscar@example.com", "operator", PASSWORD);
    browser.driver().manage().deleteAllCookies();
    browser.open("index.html");
    browser.driver().findElement(By.id("email")).sendKeys("oscar@example.com");
    browser.driver().findElement(By.id("password")).sendKeys("not the password at all");
    browser.driver().findElement(By.cssSelector("#sign-in button[type=submit]")).click();

    String said =
        browser
            .waiting()
            .until(d -> d.findElement(By.id("message")).getText().isEmpty() ? null : "said")
            .toString();
    assertThat(said).isEqualTo("said");
    assertThat(browser.driver().findElement(By.id("message")).getText())
        .contains("email or password");
    assertThat(browser.driver().getCurrentUrl()).contains("index.html");
    assertThat(browser.driver().findElement(By.id("password")).getAttribute("value")).isEmpty();
  }
}
