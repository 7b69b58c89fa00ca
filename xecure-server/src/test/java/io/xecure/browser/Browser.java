package io.xecure.browser;

import io.vertx.core.json.JsonObject;
import io.xecure.config.ApiConfig;
import io.xecure.store.jdbc.TestDatabases;
import io.xecure.testing.EchoUpstream;
import io.xecure.testing.GatewayHarness;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One headless chromium per test class, in front of a real gateway (H2 store in a temporary
 * directory, the admin listener serving the console) and a real upstream, all on 127.0.0.1 port 0.
 * Register it with {@code @RegisterExtension static final Browser browser = new Browser();}.
 *
 * <p>Debian's {@code /usr/bin/chromium} and {@code /usr/bin/chromedriver} are used as they are:
 * Selenium Manager is never asked to find or download anything. When they are missing the class is
 * skipped, unless {@code XECURE_REQUIRE_SERVICES=1}: then it fails, so CI cannot go green by
 * skipping (the rule of the PostgreSQL and Redis tests).
 *
 * <p>Screenshots go to {@code target/screenshots/<name>.png}: on demand ({@link #screenshot}) and
 * whenever a test fails ({@code <Class>-<method>-failed.png}).
 */
public final class Browser
    implements BeforeAllCallback, AfterAllCallback, TestExecutionExceptionHandler {
  public static final Path CHROMIUM = Paths.get("/usr/bin/chromium");
  public static final Path CHROMEDRIVER = Paths.get("/usr/bin/chromedriver");
  public static final Path SCREENSHOTS = Paths.get("target", "screenshots");
  public static final Dimension DESKTOP = new Dimension(1280, 800);
  public static final Dimension PHONE = new Dimension(390, 844);
  static final Duration WAIT = Duration.ofSeconds(10);

  private final HttpClient http = HttpClient.newHttpClient();
  private @Nullable Path dir;
  private @Nullable EchoUpstream upstream;
  private @Nullable GatewayHarness gateway;
  private @Nullable ChromeDriver driver;
  private @Nullable Path downloads;

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    requireChromium();
    dir = Files.createTempDirectory("xecure-browser");
    upstream = new EchoUpstream();
    List<ApiConfig> apis = List.of(GatewayHarness.api("orders", "/orders", upstream.url()));
    gateway = new GatewayHarness(dir, apis);
    downloads = Files.createDirectories(dir.resolve("downloads"));
    driver = startChromium(dir.resolve("chromium-profile"), downloads);
  }

  private static void requireChromium() {
    List<String> missing = new ArrayList<>();
    for (Path p : List.of(CHROMIUM, CHROMEDRIVER)) {
      if (!Files.isExecutable(p)) {
        missing.add(p.toString());
      }
    }
    if (missing.isEmpty()) {
      return;
    }
    String message =
        String.join(" and ", missing)
            + " missing (apt-get install chromium chromium-driver);"
            + " XECURE_REQUIRE_SERVICES=1 fails instead of skipping";
    if (TestDatabases.servicesRequired()) {
      Assertions.fail(message);
    }
    Assumptions.abort("SKIPPED: " + message);
  }

  private static ChromeDriver startChromium(Path profile, Path downloads) {
    // an explicit driver and binary: Selenium Manager has nothing to look up, and offline anyway
    System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
    System.setProperty("SE_OFFLINE", "true");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=" + DESKTOP.width + "," + DESKTOP.height,
        "--user-data-dir=" + profile.toAbsolutePath());
    // files the pages download (the audit log's export) land in one folder, without a prompt
    options.setExperimentalOption(
        "prefs",
        java.util.Map.of(
            "download.default_directory",
            downloads.toAbsolutePath().toString(),
            "download.prompt_for_download",
            false));
    // the page's console (script errors, CSP violations) for pageErrors()
    options.setCapability("goog:loggingPrefs", java.util.Map.of("browser", "ALL"));
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .build();
    ChromeDriver chrome = new ChromeDriver(service, options);
    chrome.manage().timeouts().pageLoadTimeout(WAIT).scriptTimeout(WAIT);
    return chrome;
  }

  @Override
  public void handleTestExecutionException(ExtensionContext context, Throwable failure)
      throws Throwable {
    try {
      if (driver != null) {
        screenshot(
            context.getRequiredTestClass().getSimpleName()
                + "-"
                + context.getRequiredTestMethod().getName()
                + "-failed");
      }
    } catch (RuntimeException e) {
      failure.addSuppressed(e);
    }
    throw failure;
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    try {
      if (driver != null) {
        driver.quit();
      }
    } finally {
      try {
        if (gateway != null) {
          gateway.close();
        }
        if (upstream != null) {
          upstream.close();
        }
      } finally {
        if (dir != null) {
          deleteTree(dir);
        }
      }
    }
  }

  // --- what tests use

  public WebDriver driver() {
    return java.util.Objects.requireNonNull(driver, "the browser did not start");
  }

  public GatewayHarness gateway() {
    return java.util.Objects.requireNonNull(gateway, "the gateway did not start");
  }

  public EchoUpstream upstream() {
    return java.util.Objects.requireNonNull(upstream, "the upstream did not start");
  }

  /** The console's address on the admin listener, e.g. {@code console("keys.html")}. */
  public String console(String page) {
    return "http://127.0.0.1:" + gateway().gateway().adminPort() + "/console/" + page;
  }

  /** Opens a console page and waits for its script to have rendered it. */
  public void open(String page) {
    driver().get(console(page));
    waitFor(By.cssSelector("body[data-ready]"));
  }

  public WebElement waitFor(By locator) {
    return new WebDriverWait(driver(), WAIT)
        .until(ExpectedConditions.visibilityOfElementLocated(locator));
  }

  /** Waits until {@code locator}'s text contains {@code text}; answers the element. */
  public WebElement waitForText(By locator, String text) {
    new WebDriverWait(driver(), WAIT)
        .until(ExpectedConditions.textToBePresentInElementLocated(locator, text));
    return driver().findElement(locator);
  }

  public WebDriverWait waiting() {
    return new WebDriverWait(driver(), WAIT);
  }

  /** Saves the page as {@code target/screenshots/<name>.png}; answers the file. */
  public Path screenshot(String name) {
    try {
      Files.createDirectories(SCREENSHOTS);
      Path file = SCREENSHOTS.resolve(name + ".png");
      Files.write(file, java.util.Objects.requireNonNull(driver).getScreenshotAs(OutputType.BYTES));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * What the browser's console said at level SEVERE since the last call: script errors and CSP
   * violations. Refused API calls (a 401 or 403 the page shows) are left out.
   */
  public List<String> pageErrors() {
    List<String> errors = new ArrayList<>();
    for (LogEntry e : driver().manage().logs().get(LogType.BROWSER)) {
      if (e.getLevel().intValue() >= Level.SEVERE.intValue()
          && !e.getMessage().contains("Failed to load resource")) {
        errors.add(e.getMessage());
      }
    }
    return errors;
  }

  /**
   * Waits for the one file a page downloads whose name ends with {@code suffix} (e.g. {@code
   * ".csv"}) to be complete in the downloads folder; answers it.
   */
  public Path downloaded(String suffix) {
    Path folder = java.util.Objects.requireNonNull(downloads, "the browser did not start");
    return waiting()
        .withMessage("a downloaded *" + suffix + " in " + folder)
        .until(
            d -> {
              try (Stream<Path> files = Files.list(folder)) {
                List<Path> all = files.toList();
                boolean partial = all.stream().anyMatch(p -> p.toString().endsWith(".crdownload"));
                List<Path> done = all.stream().filter(p -> p.toString().endsWith(suffix)).toList();
                return partial || done.size() != 1 ? null : done.get(0);
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
  }

  /**
   * Inputs, selects, textareas and buttons on the page (open dialogs too) a screen reader could not
   * name: no label with text, no aria-label or aria-labelledby, and for a button no text. Answers
   * their HTML.
   */
  public List<?> unlabelledControls() {
    return (List<?>)
        java.util.Objects.requireNonNull(
            ((JavascriptExecutor) driver())
                .executeScript(
                    "const text = (n) => !!n && n.textContent.trim().length > 0;"
                        + "return [...document.querySelectorAll('input, select, textarea, button')]"
                        + ".filter(e => e.type !== 'hidden')"
                        + ".filter(e => ![...(e.labels || [])].some(text)"
                        + " && !(e.getAttribute('aria-label') || '').trim()"
                        + " && !(e.getAttribute('aria-labelledby') || '').split(/\\s+/)"
                        + ".some(id => text(document.getElementById(id)))"
                        + " && !(e.tagName === 'BUTTON' && text(e)))"
                        + ".map(e => e.outerHTML);"));
  }

  /** Waits for a navigation to a page whose address contains {@code part}, and its rendering. */
  public void awaitPage(String part) {
    waiting().until(ExpectedConditions.urlContains(part));
    waitFor(By.cssSelector("body[data-ready]"));
  }

  /** Reloads the page until {@code locator}'s text contains {@code text} (what is async lands). */
  public void reloadUntil(By locator, String text) {
    waiting()
        .until(
            d -> {
              if (d.findElements(By.cssSelector("body[data-ready]")).isEmpty()) {
                return null;
              }
              if (d.findElement(locator).getText().contains(text)) {
                return true;
              }
              d.navigate().refresh();
              return null;
            });
  }

  /** Resizes the window, e.g. to {@link #PHONE}; {@link #DESKTOP} restores it. */
  public void resize(Dimension size) {
    driver().manage().window().setSize(size);
  }

  /** Signs in through the console's sign-in page and waits for the page it leads to. */
  public void signIn(String email, String password) {
    driver().manage().deleteAllCookies();
    open("index.html");
    WebElement emailField = driver().findElement(By.id("email"));
    emailField.clear();
    emailField.sendKeys(email);
    driver().findElement(By.id("password")).sendKeys(password);
    driver().findElement(By.cssSelector("#sign-in button[type=submit]")).click();
    waiting().until(ExpectedConditions.not(ExpectedConditions.urlContains("index.html")));
    waitFor(By.cssSelector("body[data-ready]"));
  }

  /**
   * An operator account made through the admin API with the bootstrap token; answers its id. {@code
   * role}: owner, operator or auditor.
   */
  public String operator(String email, String role, String password) throws Exception {
    HttpResponse<String> r =
        admin(
            "POST",
            "/admin/operators",
            new JsonObject()
                .put("email", email)
                .put("name", email.substring(0, email.indexOf('@')))
                .put("role", role)
                .put("password", password)
                .encode());
    if (r.statusCode() != 201) {
      throw new AssertionError("creating operator " + email + ": " + r.body());
    }
    return new JsonObject(r.body()).getString("id");
  }

  /** A call to the admin API with the bootstrap owner's token. */
  public HttpResponse<String> admin(String method, String path, @Nullable String json)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + gateway().gateway().adminPort() + path))
            .header("authorization", "Bearer " + gateway().gateway().adminToken());
    if (json == null) {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      b.header("content-type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(json));
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
