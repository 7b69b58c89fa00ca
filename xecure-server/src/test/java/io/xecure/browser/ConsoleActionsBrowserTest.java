package io.xecure.browser;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * The console's other actions, each through the page and checked where a user would notice: the
 * audit log's export holds the events the page shows; an acknowledged alert leaves the open list;
 * an API and a plan saved in the console take effect at the gateway on the next request; a
 * suspended developer's key is refused and a deleted developer is gone; an operator's personal
 * token is shown once, works on the admin API, and is refused once revoked.
 */
class ConsoleActionsBrowserTest {
  @RegisterExtension static final Browser browser = new Browser();

  static final String PASSWORD = "correct horse battery staple";
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void theAuditLogExportsHoldTheEventsItShows() throws Exception {
    String[] key = developerWithKey("Exa", "exa@example.com", "orders");
    assertThat(browser.gateway().get("/orders/export-1", "X-API-Key", key[1]).statusCode())
        .isEqualTo(200);
    assertThat(browser.gateway().get("/orders/export-2", "X-API-Key", key[1]).statusCode())
        .isEqualTo(200);
    signIn("erin@example.com", "auditor");
    WebDriver d = browser.driver();

    // this key's requests, as the page shows them (events are written in batches)
    browser.open("events.html?type=request&key=" + key[0]);
    browser.reloadUntil(By.id("rows"), "GET /orders/export-1");
    browser.reloadUntil(By.id("rows"), "GET /orders/export-2");
    List<WebElement> rows = d.findElements(By.cssSelector("#rows tr"));
    assertThat(rows).hasSize(2);

    d.findElement(By.id("export-jsonl")).click();
    browser.waitForText(By.id("message"), "Exported 2 events.");
    List<String> lines = Files.readAllLines(browser.downloaded(".jsonl"));
    assertThat(lines).hasSize(2);
    for (int i = 0; i < 2; i++) {
      JsonObject event = new JsonObject(lines.get(i));
      String shown = rows.get(i).getText();
      assertThat(shown).contains(event.getString("method") + " " + event.getString("path"));
      assertThat(event.getString("key_id")).isEqualTo(key[0]);
      assertThat(event.getInteger("status")).isEqualTo(200);
      assertThat(shown).contains(event.getString("outcome"), event.getString("client_ip"));
    }

    d.findElement(By.id("export-csv")).click();
    browser.waitForText(By.id("message"), "Exported 2 events.");
    Path csv = browser.downloaded(".csv");
    List<String> table = Files.readAllLines(csv);
    assertThat(table).hasSize(3);
    List<String> header = List.of(table.get(0).split(","));
    assertThat(header).startsWith("time", "type", "request_id");
    for (int i = 1; i < 3; i++) {
      List<String> cells = List.of(table.get(i).split(",", -1));
      assertThat(cells).hasSameSizeAs(header);
      String path = cells.get(header.indexOf("path"));
      assertThat(rows.get(i - 1).getText()).contains("GET " + path);
      assertThat(cells.get(header.indexOf("key_id"))).isEqualTo(key[0]);
      assertThat(cells.get(header.indexOf("status"))).isEqualTo("200");
    }
    String both = Files.readString(csv) + String.join("\n", lines);
    assertThat(both).contains("/orders/export-1", "/orders/export-2").doesNotContain(key[1]);
    assertThat(browser.pageErrors()).isEmpty();
  }

  @Test
  void anAlertAcknowledgedInTheConsoleLeavesTheOpenList() throws Exception {
    String[] key = developerWithKey("Leaky", "leaky@example.com", "orders");
    HttpResponse<String> leaked =
        browser.admin("POST", "/admin/keys/leaked", new JsonObject().put("key", key[1]).encode());
    assertThat(leaked.statusCode()).isEqualTo(200);
    signIn("alex@example.com", "operator");
    WebDriver d = browser.driver();

    browser.open("alerts.html");
    browser.reloadUntil(By.id("rows"), key[0]);
    assertThat(d.findElement(By.id("rows")).getText()).contains("key_leaked", "open");
    d.findElement(By.cssSelector("button[aria-label^='Acknowledge key_leaked']")).click();
    browser.waitForText(By.id("message"), "Acknowledged.");
    browser.waiting().until(d2 -> !d2.findElement(By.id("rows")).getText().contains(key[0]));
    assertThat(openAlerts()).doesNotContain(key[0]);

    // among the acknowledged ones, with who did it
    new Select(d.findElement(By.id("status"))).selectByValue("acknowledged");
    d.findElement(By.cssSelector("#filters button[type=submit]")).click();
    browser.waitForText(By.id("rows"), key[0]);
    assertThat(d.findElement(By.id("rows")).getText()).contains("acknowledged by");
    browser.screenshot("alerts-acknowledged");
    assertThat(d.findElements(By.cssSelector("button[aria-label^='Acknowledge key_leaked']")))
        .isEmpty();
    assertThat(browser.pageErrors()).isEmpty();
  }

  @Test
  void anApiAndAPlanSavedInTheConsoleTakeEffectOnTheNextRequest() throws Exception {
    String[] key = developerWithKey("Bill", "bill@example.com", "*");
    assertThat(browser.gateway().get("/billing/1", "X-API-Key", key[1]).statusCode())
        .as("no API routes /billing yet")
        .isEqualTo(404);
    signIn("owen@example.com", "owner");
    WebDriver d = browser.driver();
    browser.open("apis.html");

    d.findElement(By.id("api-name")).sendKeys("billing");
    d.findElement(By.id("api-path")).sendKeys("/billing");
    d.findElement(By.id("api-upstream")).sendKeys(browser.upstream().url());
    d.findElement(By.cssSelector("#api-form button[type=submit]")).click();
    browser.waitForText(By.id("message"), "API billing saved");
    assertThat(d.findElement(By.id("apis")).getText()).contains("billing", "/billing");
    assertThat(browser.gateway().get("/billing/1", "X-API-Key", key[1]).statusCode())
        .isEqualTo(200);
    assertThat(browser.upstream().last().uri()).isEqualTo("/billing/1");

    // a plan with a quota of one request, for a key issued on it
    d.findElement(By.id("plan-name")).sendKeys("tiny");
    d.findElement(By.id("plan-quota")).sendKeys("1");
    new Select(d.findElement(By.id("plan-quota-per"))).selectByVisibleText("day");
    d.findElement(By.cssSelector("#plan-form button[type=submit]")).click();
    browser.waitForText(By.id("message"), "Plan tiny saved.");
    assertThat(d.findElement(By.id("plans")).getText()).contains("tiny", "1 per day");
    String[] small = developerWithKey("Tina", "tina@example.com", "billing", "tiny");
    assertThat(browser.gateway().get("/billing/2", "X-API-Key", small[1]).statusCode())
        .isEqualTo(200);
    assertThat(browser.gateway().get("/billing/3", "X-API-Key", small[1]).statusCode())
        .as("over the plan's quota")
        .isEqualTo(429);

    // the plan edited in the console: the next request is under the new quota
    d.findElement(By.cssSelector("button[aria-label='Edit plan tiny']")).click();
    WebElement quota = d.findElement(By.id("plan-quota"));
    assertThat(quota.getAttribute("value")).isEqualTo("1");
    quota.clear();
    quota.sendKeys("100");
    d.findElement(By.cssSelector("#plan-form button[type=submit]")).click();
    browser.waitForText(By.id("plans"), "100 per day");
    browser.screenshot("apis-saved");
    assertThat(browser.gateway().get("/billing/4", "X-API-Key", small[1]).statusCode())
        .isEqualTo(200);
    assertThat(browser.pageErrors()).isEmpty();
  }

  @Test
  void aSuspendedDevelopersKeyIsRefusedAndADeletedDeveloperIsGone() throws Exception {
    String[] key = developerWithKey("Sue Spend", "sue@example.com", "orders");
    signIn("sid@example.com", "operator");
    WebDriver d = browser.driver();
    assertThat(browser.gateway().get("/orders/s1", "X-API-Key", key[1]).statusCode())
        .isEqualTo(200);

    browser.open("developer.html?id=" + key[2]);
    d.findElement(By.id("suspend")).click();
    browser.waitForText(By.cssSelector("[data-field=status]"), "suspended");
    assertThat(d.findElement(By.id("suspend")).getText()).isEqualTo("Reactivate");
    HttpResponse<String> refused = browser.gateway().get("/orders/s2", "X-API-Key", key[1]);
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.body()).contains("developer_suspended");

    // reactivated, it works again; deleted, it is gone from the list and its key is refused
    d.findElement(By.id("suspend")).click();
    browser.waitForText(By.cssSelector("[data-field=status]"), "active");
    assertThat(browser.gateway().get("/orders/s3", "X-API-Key", key[1]).statusCode())
        .isEqualTo(200);
    d.findElement(By.id("delete")).click();
    browser.waiting().until(ExpectedConditions.alertIsPresent()).accept();
    browser.awaitPage("developers.html");
    assertThat(d.findElement(By.id("rows")).getText()).doesNotContain("Sue Spend");
    assertThat(browser.gateway().get("/orders/s4", "X-API-Key", key[1]).statusCode())
        .isEqualTo(401);
    browser.open("developer.html?id=" + key[2]);
    browser.waitForText(By.id("message"), "No developer has the id " + key[2]);
    assertThat(browser.pageErrors()).isEmpty();
  }

  @Test
  void aPersonalTokenIsShownOnceWorksOnTheAdminApiAndIsRefusedOnceRevoked() throws Exception {
    browser.operator("tess@example.com", "operator", PASSWORD);
    signIn("oona@example.com", "owner");
    WebDriver d = browser.driver();
    browser.open("operators.html");
    browser.waitFor(By.cssSelector("button[aria-label='Tokens of tess@example.com']")).click();
    browser.waitForText(By.id("tokens-h"), "tess@example.com");
    d.findElement(By.id("new-token")).click();
    browser.waitFor(By.id("t-name")).sendKeys("ci token");
    d.findElement(By.cssSelector("dialog button[type=submit]")).click();
    String token =
        Objects.requireNonNull(browser.waitFor(By.id("plaintext")).getAttribute("value"));
    assertThat(token).hasSizeGreaterThan(20);
    browser.screenshot("operator-token-dialog");
    d.findElement(By.id("close-plaintext")).click();
    browser.waiting().until(ExpectedConditions.numberOfElementsToBe(By.id("plaintext"), 0));
    assertThat(d.getPageSource()).doesNotContain(token);
    assertThat(d.findElement(By.id("tokens")).getText()).contains("ci token", "active");

    // the token is Tess's, with her role, on the admin API
    HttpResponse<String> session = withToken(token, "GET", "/admin/developers?limit=1");
    assertThat(session.statusCode()).isEqualTo(200);
    assertThat(withToken(token, "DELETE", "/admin/apis/none").statusCode())
        .as("an operator's token may not change APIs (an owner's would get 404)")
        .isEqualTo(403);

    d.findElement(By.cssSelector("button[aria-label='Revoke token ci token']")).click();
    browser.waitForText(By.id("message"), "Token ci token revoked.");
    browser.waitForText(By.id("tokens"), "revoked");
    assertThat(withToken(token, "GET", "/admin/developers?limit=1").statusCode()).isEqualTo(401);
    assertThat(browser.pageErrors()).isEmpty();
  }

  /** Signs in as a new operator with {@code role}. */
  private static void signIn(String email, String role) throws Exception {
    browser.operator(email, role, PASSWORD);
    browser.signIn(email, PASSWORD);
  }

  /**
   * A developer with one key for {@code api} (and {@code plan}, if given) through the admin API;
   * answers the key's id, its plaintext and the developer's id.
   */
  private static String[] developerWithKey(String name, String email, String api, String... plan)
      throws Exception {
    HttpResponse<String> dev =
        browser.admin(
            "POST",
            "/admin/developers",
            new JsonObject().put("name", name).put("email", email).encode());
    assertThat(dev.statusCode()).isEqualTo(201);
    String developer = new JsonObject(dev.body()).getString("id");
    JsonObject spec = new JsonObject().put("name", "k1").put("apis", new JsonArray().add(api));
    if (plan.length > 0) {
      spec.put("plan", plan[0]);
    }
    HttpResponse<String> issued =
        browser.admin("POST", "/admin/developers/" + developer + "/keys", spec.encode());
    assertThat(issued.statusCode()).as(issued.body()).isEqualTo(201);
    JsonObject key = new JsonObject(issued.body());
    return new String[] {key.getString("id"), key.getString("key"), developer};
  }

  private static String openAlerts() throws Exception {
    return browser.admin("GET", "/admin/alerts?status=open", null).body();
  }

  /** An admin API call as a script would make it, with a personal token. */
  private HttpResponse<String> withToken(String token, String method, String path)
      throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + browser.gateway().gateway().adminPort() + path))
            .header("authorization", "Bearer " + token)
            .method(method, HttpRequest.BodyPublishers.noBody())
            .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }
}
