package dev.warden.it;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.File;
import java.io.IOException;
import java.io.StringReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.logging.Level;
import java.util.stream.Collectors;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The compliance console in a real browser: Debian's headless Chromium, driven by Selenium through
 * Debian's chromedriver, against the deployed WAR. Each test signs in as a person would, works
 * through the pages, and checks on every page that axe-core finds no serious or critical
 * accessibility violation and that the browser reported no Content-Security-Policy violation.
 * Screenshots land in {@code target/console-screenshots}.
 *
 * <p>Without Chromium the tests are skipped, unless {@code WARDEN_REQUIRE_CHROMIUM=1} (CI sets it),
 * which makes them fail instead.
 */
class ConsoleBrowserIT extends WardenIntegrationTest {

  static final String CHROMIUM = System.getProperty("it.chromium", "/usr/bin/chromium");
  static final String CHROMEDRIVER = System.getProperty("it.chromedriver", "/usr/bin/chromedriver");
  static final Path SHOTS = Path.of("target", "console-screenshots");
  static final Duration WAIT = Duration.ofSeconds(20);

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.warden().addClass(ConsoleTamperProbe.class);
  }

  private static String axe;

  private WebDriver driver;
  private WebDriverWait wait;
  private String testName;

  @BeforeAll
  static void browser() throws Exception {
    boolean present = new File(CHROMIUM).canExecute() && new File(CHROMEDRIVER).canExecute();
    if (!present && "1".equals(System.getenv("WARDEN_REQUIRE_CHROMIUM"))) {
      throw new IllegalStateException(
          "WARDEN_REQUIRE_CHROMIUM=1 but " + CHROMIUM + " or " + CHROMEDRIVER + " is missing");
    }
    Assumptions.assumeTrue(
        present, "Debian's chromium and chromium-driver are not installed: browser tests skipped");
    File e2e = new File(System.getProperty("e2e.dir", "src/test/e2e"));
    axe =
        Files.readString(
            e2e.toPath().resolve("node_modules/axe-core/axe.min.js"), StandardCharsets.UTF_8);
    Files.createDirectories(SHOTS);
    OidcProvider.start();
  }

  @AfterAll
  static void stopProvider() {
    if (axe != null) {
      OidcProvider.stop();
    }
  }

  @BeforeEach
  void openBrowser(@TempDir Path profile, TestInfo info) {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM);
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        // the tests' OpenID Connect provider has a self-signed certificate
        "--ignore-certificate-errors",
        "--window-size=1366,1000",
        "--user-data-dir=" + profile.toAbsolutePath());
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    // a driver service of its own: quitting a driver stops its service for good
    driver =
        new ChromeDriver(
            new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER))
                .usingAnyFreePort()
                .build(),
            options);
    wait = new WebDriverWait(driver, WAIT);
    testName = info.getTestMethod().map(m -> m.getName()).orElse("test");
  }

  @AfterEach
  void closeBrowser() {
    if (driver != null) {
      driver.quit();
    }
  }

  // --- the auditor's day

  @Test
  void anAuditorSignsInThroughOpenIdConnect() throws Exception {
    driver.get(console(""));
    wait.until(ExpectedConditions.urlContains("/console/login"));
    page("login");
    driver.findElement(By.partialLinkText("Sign in with " + OidcProvider.PROVIDER_NAME)).click();
    type(By.name("j_username"), OidcProvider.AUDITOR);
    type(By.name("j_password"), OidcProvider.AUDITOR_PASSWORD);
    driver.findElement(By.cssSelector("[type=submit]")).click();
    wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#me .who")));
    assertThat(driver.findElement(By.id("me")).getText())
        .contains(OidcProvider.AUDITOR)
        .contains("auditor");
    wait.until(ExpectedConditions.urlContains("#/search"));
    assertThat(driver.findElement(By.id("nav")).getText()).contains("Audit search");
    page("signed-in-through-openid-connect");
  }

  // ---------------------------------------------------------------------------

  @Test
  void anAuditorSearchesOpensARecordAndDecryptsItWithAReasonThatIsListed() throws Exception {
    String requestId = call("Mail jane.doe@example.com about invoice " + UUID.randomUUID());
    String recordId = recordIdOf(requestId);

    signIn("dev-auditor");
    wait.until(ExpectedConditions.urlContains("#/search"));
    page("search");

    type(By.name("request_id"), requestId);
    driver.findElement(By.cssSelector("form.filters button[type=submit]")).click();
    List<WebElement> links =
        wait.until(
            ExpectedConditions.numberOfElementsToBe(
                By.cssSelector("table.records a.record-link"), 1));
    links.get(0).click();

    wait.until(ExpectedConditions.urlContains("#/record/" + recordId));
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), recordId));
    String metadata = driver.findElement(By.cssSelector(".metadata")).getText();
    assertThat(metadata).contains("dev-user").contains(requestId).contains("EMAIL");
    assertThat(driver.findElements(By.cssSelector("pre.content"))).isEmpty();
    page("record");

    String reason = "Complaint " + UUID.randomUUID() + ": the customer asks what was sent";
    type(By.name("reason"), reason);
    driver.findElement(By.id("decrypt")).click();
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(
            By.id("content"), "Your read was recorded"));
    String content = driver.findElement(By.id("content")).getText();
    assertThat(content).contains("<EMAIL_1>").doesNotContain("jane.doe@example.com");
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("reads"), reason));
    assertThat(driver.findElement(By.id("reads")).getText()).contains("dev-auditor");
    page("record-decrypted");
  }

  @Test
  void anAdministratorFindsNoDecryptControlAndTheServerRefusesIt() throws Exception {
    String recordId = recordIdOf(call("an admin must not read this " + UUID.randomUUID()));

    signIn("dev-admin");
    wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#nav a")));
    assertThat(driver.findElement(By.id("nav")).getText())
        .contains("API keys")
        .contains("Usage and cost")
        .doesNotContain("Audit search")
        .doesNotContain("Integrity");

    driver.get(console("#/record/" + recordId));
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("main"), "needs the role"));
    assertThat(driver.findElements(By.id("decrypt"))).isEmpty();
    assertThat(driver.findElements(By.name("reason"))).isEmpty();

    // forcing it from the signed-in page, with a valid CSRF token, is refused by the server
    JsonObject forced =
        fetch("POST", "/api/audit/" + recordId + "/decrypt", "{\"reason\":\"curiosity\"}", true);
    assertThat(forced.getInt("status")).isEqualTo(403);
    assertThat(fetch("GET", "/api/audit/" + recordId, null, true).getInt("status")).isEqualTo(403);

    // usage and cost, of every tenant, are the admin's too
    usagePage();
    page("admin-usage");
  }

  @Test
  void anAdministratorCreatesAKeyThatWorksAndRevokesIt() throws Exception {
    signIn("dev-admin");
    driver.get(console("#/keys"));
    String name = "console-" + UUID.randomUUID().toString().substring(0, 8);
    type(By.name("name"), name);
    type(By.name("models"), "gpt-4o-mini");
    driver.findElement(By.cssSelector("form[aria-label='Create an API key'] button")).click();
    String key =
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("new-key"))).getText();
    assertThat(key).startsWith("wk_");
    page("keys");
    assertThat(chat("Bearer " + key).statusCode()).isEqualTo(200);

    String id = key.substring(3, key.indexOf('_', 3));
    wait.until(
            ExpectedConditions.elementToBeClickable(
                By.cssSelector("button[data-key='" + id + "']")))
        .click();
    wait.until(ExpectedConditions.elementToBeClickable(By.id("revoke-confirm"))).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("main"), "is revoked"));
    WebElement row =
        driver.findElement(
            By.xpath("//table[contains(@class,'keys')]//tr[td[contains(.,'" + name + "')]]"));
    assertThat(row.getText()).contains("revoked");
    assertThat(chat("Bearer " + key).statusCode()).isEqualTo(401);
  }

  @Test
  void aStateChangeWithoutTheCsrfTokenIsRefused() throws Exception {
    signIn("dev-auditor");
    wait.until(ExpectedConditions.urlContains("#/search"));
    JsonObject without = fetch("POST", "/api/audit/verifications", null, false);
    assertThat(without.getInt("status")).isEqualTo(403);
    assertThat(without.getString("body")).contains("csrf_token_invalid");
    JsonObject erasure =
        fetch(
            "POST",
            "/api/audit/erasures",
            "{\"subject\":\"nobody\",\"reason\":\"csrf probe\"}",
            false);
    assertThat(erasure.getInt("status")).isEqualTo(403);
    JsonObject with = fetch("POST", "/api/audit/verifications", null, true);
    assertThat(with.getInt("status")).isEqualTo(202);
  }

  @Test
  void theIntegrityPageNamesARecordTamperedWithSql() throws Exception {
    String recordId = recordIdOf(call("tamper target " + UUID.randomUUID()));
    call("a later record " + UUID.randomUUID());

    signIn("dev-auditor");
    driver.get(console("#/integrity"));
    wait.until(ExpectedConditions.elementToBeClickable(By.id("verify"))).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("verification"), "Intact"));
    wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("dl.head")));
    assertThat(driver.findElements(By.cssSelector(".notice.error"))).isEmpty();
    assertThat(driver.findElement(By.cssSelector("dl.head")).getText()).contains("Chain head");
    page("integrity");

    assertThat(tamper(recordId, 1)).isEqualTo("1");
    try {
      driver.findElement(By.id("verify")).click();
      WebElement broken =
          wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("first-break")));
      assertThat(broken.getText()).contains(recordId).contains("CONTENT_MODIFIED");
      page("integrity-broken");
      broken.findElement(By.linkText(recordId)).click();
      wait.until(ExpectedConditions.urlContains("#/record/" + recordId));
    } finally {
      assertThat(tamper(recordId, -1)).isEqualTo("1");
    }
  }

  @Test
  void anAuditorErasesASubjectInTwoStepsAndPlacesAndLiftsAHold() throws Exception {
    signIn("dev-auditor");
    driver.get(console("#/erasure"));
    String subject = "subject-" + UUID.randomUUID();
    type(By.name("subject"), subject);
    type(By.name("reason"), "Request under GDPR article 17");
    driver.findElement(By.cssSelector("form[aria-label='Erase a data subject'] button")).click();
    type(By.name("confirm"), subject + "-typo");
    driver.findElement(By.id("erase-confirm")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("main"), "do not match"));
    WebElement confirm = driver.findElement(By.name("confirm"));
    confirm.clear();
    confirm.sendKeys(subject);
    driver.findElement(By.id("erase-confirm")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("main"), "Erasure record"));
    String erasureRecord =
        driver.findElement(By.xpath("//dt[.='Erasure record']/following-sibling::dd[1]")).getText();
    assertThat(erasureRecord).isNotBlank().isNotEqualTo("—");

    String holdSubject = "held-" + UUID.randomUUID();
    String holdReason = "Litigation " + UUID.randomUUID().toString().substring(0, 8);
    new Select(driver.findElement(By.name("scope"))).selectByValue("subject");
    type(By.name("hold-subject"), holdSubject);
    type(By.name("hold-reason"), holdReason);
    driver.findElement(By.cssSelector("form[aria-label='Place a legal hold'] button")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("main"), holdReason));
    page("erasure-and-holds");

    WebElement row = driver.findElement(By.xpath("//tr[td[contains(.,'" + holdReason + "')]]"));
    assertThat(row.getText()).contains("active");
    row.findElement(By.tagName("button")).click();
    type(By.name("lift-reason"), "Case closed");
    driver.findElement(By.xpath("//button[.='Lift the hold']")).click();
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(By.id("main"), "The hold was lifted"));
    wait.until(
        d ->
            !d.findElement(By.xpath("//tr[td[contains(.,'" + holdReason + "')]]"))
                .getText()
                .contains("active"));
  }

  @Test
  void usageAndExportPagesRenderWithoutErrors() throws Exception {
    call("usage for the charts " + UUID.randomUUID());
    signIn("dev-auditor");
    usagePage();
    page("usage");

    driver.get(console("#/export"));
    WebElement download =
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("download")));
    assertThat(download.getAttribute("href")).contains("/api/audit/export?from=");
    assertThat(driver.findElement(By.id("main")).getText())
        .contains("java -jar warden-audit-verify.jar");
    page("export");
  }

  @Test
  void aUserWithoutAConsoleRoleSeesNothing() throws Exception {
    signIn("dev-user");
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(By.id("main"), "no console role"));
    assertThat(driver.findElements(By.cssSelector("#nav a"))).isEmpty();
    assertThat(fetch("GET", "/api/audit", null, true).getInt("status")).isEqualTo(403);
    assertThat(fetch("GET", "/api/keys", null, true).getInt("status")).isEqualTo(403);
    page("no-role");
  }

  @Test
  void signingOutEndsTheSession() throws Exception {
    signIn("dev-auditor");
    wait.until(ExpectedConditions.urlContains("#/search"));
    driver.findElement(By.cssSelector("form.logout button")).click();
    wait.until(ExpectedConditions.urlContains("/console/login"));
    driver.get(console("#/search"));
    wait.until(ExpectedConditions.urlContains("/console/login"));
    assertThat(driver.findElements(By.name("username"))).isNotEmpty();
    page("login");
  }

  /** The usage page, every card drawn without an error. */
  private void usagePage() {
    driver.get(console("#/usage"));
    wait.until(
        d ->
            d.findElements(By.cssSelector(".card")).size() == 6
                && d.findElements(By.cssSelector(".card .loading")).isEmpty());
    assertThat(driver.findElements(By.cssSelector(".card .notice.error")))
        .as("usage cards showing an error")
        .isEmpty();
    assertThat(driver.findElements(By.cssSelector(".card canvas")).size())
        .isGreaterThanOrEqualTo(4);
  }

  // --- helpers
  // ------------------------------------------------------------------------------------

  private String console(String fragment) {
    return base.toString() + "console/" + fragment;
  }

  /** Signs in through the login page with a development account (password = name). */
  private void signIn(String account) {
    driver.get(console(""));
    wait.until(ExpectedConditions.urlContains("/console/login"));
    type(By.name("username"), account);
    type(By.name("password"), account);
    driver.findElement(By.cssSelector("form button[type=submit]")).click();
    wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#me .who")));
  }

  private void type(By field, String text) {
    WebElement e = wait.until(ExpectedConditions.elementToBeClickable(field));
    e.clear();
    e.sendKeys(text);
  }

  /**
   * The page as it is now: a screenshot, no serious or critical axe-core violation, and no
   * Content-Security-Policy violation reported by the browser.
   */
  private void page(String name) throws IOException {
    File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
    Files.copy(
        shot.toPath(),
        SHOTS.resolve(testName + "-" + name + ".png"),
        StandardCopyOption.REPLACE_EXISTING);
    JavascriptExecutor js = (JavascriptExecutor) driver;
    js.executeScript(axe);
    Object result =
        js.executeAsyncScript(
            "const done = arguments[arguments.length - 1];"
                + "axe.run(document, {resultTypes: ['violations']})"
                + ".then(r => done(JSON.stringify(r.violations)), e => done('error: ' + e));");
    assertThat(String.valueOf(result)).as("axe-core on %s", name).doesNotStartWith("error:");
    JsonArray violations = Json.createReader(new StringReader(String.valueOf(result))).readArray();
    List<String> serious =
        violations.stream()
            .map(JsonValue::asJsonObject)
            .filter(
                v ->
                    "serious".equals(v.getString("impact", ""))
                        || "critical".equals(v.getString("impact", "")))
            .map(
                v ->
                    v.getString("id")
                        + " ("
                        + v.getString("impact")
                        + "): "
                        + v.getString("help")
                        + " at "
                        + v.getJsonArray("nodes").stream()
                            .map(n -> n.asJsonObject().get("target").toString())
                            .collect(Collectors.joining(", ")))
            .toList();
    assertThat(serious).as("serious or critical accessibility violations on %s", name).isEmpty();
    List<String> csp =
        driver.manage().logs().get(LogType.BROWSER).getAll().stream()
            .map(LogEntry::getMessage)
            .filter(
                m -> m.contains("Content Security Policy") || m.contains("Content-Security-Policy"))
            .toList();
    assertThat(csp).as("Content-Security-Policy violations on %s", name).isEmpty();
  }

  /**
   * A {@code fetch} from the signed-in page, as the page's own code (or a script injected into it)
   * would make it: with the session cookie and, when {@code withCsrf}, the session's CSRF token.
   * Answers {@code {"status", "body"}}.
   */
  private JsonObject fetch(String method, String path, String body, boolean withCsrf) {
    Object result =
        ((JavascriptExecutor) driver)
            .executeAsyncScript(
                "const [method, path, body, withCsrf, done] = arguments;"
                    + "(async () => {"
                    + "  const s = await (await fetch('/console/session', {credentials: 'same-origin'})).json();"
                    + "  const headers = {'Content-Type': 'application/json', 'Accept': 'application/json'};"
                    + "  if (withCsrf) headers['X-CSRF-Token'] = s.csrf_token;"
                    + "  const r = await fetch(path, {method, headers, body: body || undefined, credentials: 'same-origin'});"
                    + "  done(JSON.stringify({status: r.status, body: await r.text()}));"
                    + "})().catch(e => done(JSON.stringify({status: -1, body: String(e)})));",
                method,
                path,
                body,
                withCsrf);
    return Json.createReader(new StringReader(String.valueOf(result))).readObject();
  }

  /** A chat call through /v1 as dev-user; answers its request id. */
  private String call(String text) throws Exception {
    HttpResponse<String> r = chat(TestCredentials.DEV_USER_BEARER, text);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return r.headers().firstValue("x-request-id").orElseThrow();
  }

  private HttpResponse<String> chat(String authorization) throws Exception {
    return chat(authorization, "hello from the console test");
  }

  private HttpResponse<String> chat(String authorization, String text) throws Exception {
    return http().post(CHAT.substring(1), authorization, chatBody("gpt-4o-mini", text));
  }

  /** The audit record id of a request, found through the API as an auditor. */
  private String recordIdOf(String requestId) throws Exception {
    HttpResponse<String> r =
        http().get("api/audit?request_id=" + requestId, TestCredentials.DEV_AUDITOR);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonArray data =
        Json.createReader(new StringReader(r.body())).readObject().getJsonArray("data");
    assertThat(data).hasSize(1);
    return data.getJsonObject(0).getString("record_id");
  }

  private String tamper(String recordId, int delta) throws Exception {
    HttpResponse<String> r =
        http()
            .send(
                "POST",
                "it/console-tamper?record_id=" + recordId + "&delta=" + delta,
                TestCredentials.DEV_AUDITOR,
                null);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return r.body();
  }
}
