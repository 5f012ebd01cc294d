package dev.warden.it;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The console's sign-in, as a browser sees it, with a plain HTTP client that keeps cookies: the
 * development accounts' form, OpenID Connect through the tests' provider ({@link OidcProvider}),
 * the session cookie's attributes, the security headers, the cookie on {@code /api} (with its CSRF
 * token on unsafe methods) and never on {@code /v1}, and sign-out.
 */
class ConsoleLoginIT extends WardenIntegrationTest {

  /** A page of this test's own (the console's pages are the UI's). */
  static final String PAGE = "/console/it-page.html";

  static final String PAGE_TEXT = "console-login-it page";

  static final String ASSET = "/console/assets/it-asset.css";

  static final String CSP =
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
          + " connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none';"
          + " form-action 'self'; frame-ancestors 'none'";

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.warden()
        .addAsWebResource(
            new StringAsset(
                "<!DOCTYPE html><html lang=\"en\"><head><title>it</title></head><body>"
                    + PAGE_TEXT
                    + "</body></html>"),
            PAGE.substring(1))
        .addAsWebResource(new StringAsset("body { margin: 0; }\n"), ASSET.substring(1));
  }

  @BeforeAll
  static void startProvider() throws Exception {
    OidcProvider.start();
  }

  @AfterAll
  static void stopProvider() {
    OidcProvider.stop();
  }

  /** A browser: its own cookies, no redirect followed unless asked. */
  final class Browser {
    final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
    final HttpClient client;

    Browser() throws Exception {
      client = OidcProvider.trustingClient(cookies);
    }

    URI uri(String path) {
      return URI.create(base.toString().replaceAll("/$", "") + path);
    }

    HttpResponse<String> get(String path, String... headers) throws Exception {
      return send(HttpRequest.newBuilder(uri(path)).GET(), headers);
    }

    HttpResponse<String> get(URI uri) throws Exception {
      return send(HttpRequest.newBuilder(uri).GET());
    }

    HttpResponse<String> form(URI uri, String... fields) throws Exception {
      StringBuilder body = new StringBuilder();
      for (int i = 0; i < fields.length; i += 2) {
        if (body.length() > 0) {
          body.append('&');
        }
        body.append(URLEncoder.encode(fields[i], StandardCharsets.UTF_8))
            .append('=')
            .append(URLEncoder.encode(fields[i + 1], StandardCharsets.UTF_8));
      }
      return send(
          HttpRequest.newBuilder(uri)
              .header("Content-Type", "application/x-www-form-urlencoded")
              .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
    }

    HttpResponse<String> send(String method, String path, String... headers) throws Exception {
      return send(
          HttpRequest.newBuilder(uri(path))
              .method(
                  method,
                  "GET".equals(method)
                      ? HttpRequest.BodyPublishers.noBody()
                      : HttpRequest.BodyPublishers.ofString("")),
          headers);
    }

    HttpResponse<String> send(HttpRequest.Builder request, String... headers) throws Exception {
      if (headers.length > 0) {
        request.headers(headers);
      }
      return client.send(
          request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Follows redirects from {@code response} (GET, as browsers do after 302/303). */
    HttpResponse<String> follow(HttpResponse<String> response) throws Exception {
      for (int i = 0; i < 10 && response.statusCode() / 100 == 3; i++) {
        URI next = response.uri().resolve(response.headers().firstValue("Location").orElseThrow());
        response = get(next);
      }
      return response;
    }

    /** Signs in with a development account through the form; the form's answer. */
    HttpResponse<String> devSignIn(String user, String password, String target) throws Exception {
      HttpResponse<String> page = get("/console/login");
      assertThat(page.statusCode()).isEqualTo(200);
      return form(
          uri("/console/login"),
          "csrf",
          hidden(page.body(), "csrf"),
          "return",
          target,
          "username",
          user,
          "password",
          password);
    }

    /**
     * Signs in through the provider: the sign-in link, the provider's login form, back to the
     * callback; the callback's answer.
     */
    HttpResponse<String> oidcSignIn(String user, String password) throws Exception {
      HttpResponse<String> start =
          get("/console/login/oidc?return=" + URLEncoder.encode(PAGE, StandardCharsets.UTF_8));
      assertThat(start.statusCode()).isEqualTo(302);
      URI authorize = URI.create(start.headers().firstValue("Location").orElseThrow());
      assertThat(authorize.toString())
          .startsWith(OidcProvider.issuer() + "/authorize")
          .contains("response_type=code")
          .contains("client_id=" + OidcProvider.CLIENT_ID)
          .contains("code_challenge_method=S256")
          .contains("code_challenge=")
          .contains("state=")
          .contains("nonce=");
      HttpResponse<String> login = follow(get(authorize));
      assertThat(login.statusCode()).isEqualTo(200);
      assertThat(login.body()).contains("j_username").contains("j_password");
      HttpResponse<String> posted =
          form(login.uri().resolve("j_security_check"), "j_username", user, "j_password", password);
      HttpResponse<String> back = follow(posted);
      assertThat(back.uri().getPath()).isEqualTo("/console/login/callback");
      return back;
    }

    JsonObject session() throws Exception {
      HttpResponse<String> r = get("/console/session");
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      return json(r);
    }
  }

  static JsonObject json(HttpResponse<String> response) {
    try (var reader = Json.createReader(new StringReader(response.body()))) {
      return reader.readObject();
    }
  }

  static String hidden(String html, String name) {
    Matcher m =
        Pattern.compile("name=\"" + Pattern.quote(name) + "\" value=\"([^\"]*)\"").matcher(html);
    assertThat(m.find()).as("hidden field " + name).isTrue();
    return m.group(1);
  }

  static String setCookie(HttpResponse<String> response, String name) {
    return response.headers().allValues("Set-Cookie").stream()
        .filter(c -> c.startsWith(name + "="))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no Set-Cookie " + name + ": " + response.headers()));
  }

  static void assertConsoleHeaders(HttpResponse<String> response) {
    assertThat(response.headers().firstValue("Content-Security-Policy")).contains(CSP);
    assertThat(response.headers().firstValue("Content-Security-Policy").orElseThrow())
        .doesNotContain("unsafe-inline")
        .doesNotContain("unsafe-eval");
    assertThat(response.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
    assertThat(response.headers().firstValue("Referrer-Policy")).contains("no-referrer");
  }

  @Test
  void theSignInPageOffersBothWaysWithoutInlineScriptOrStyle() throws Exception {
    Browser browser = new Browser();
    HttpResponse<String> page = browser.get("/console/login");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
    assertConsoleHeaders(page);
    // Liberty adds no-cache="set-cookie" to a response that sets a cookie
    assertThat(page.headers().firstValue("Cache-Control").orElseThrow()).contains("no-store");
    assertThat(page.body())
        .contains("href=\"/console/login/oidc?return=")
        .contains("Sign in with " + OidcProvider.PROVIDER_NAME)
        .contains("<form method=\"post\" action=\"/console/login\">")
        .contains("name=\"username\"")
        .contains("name=\"password\"")
        .doesNotContain("<script")
        .doesNotContain("style=")
        .doesNotContain("<style");
    String csrf = hidden(page.body(), "csrf");
    assertThat(csrf).hasSize(43);
    assertThat(setCookie(page, "warden_console_login"))
        .contains("=" + csrf)
        .contains("HttpOnly")
        .contains("SameSite=Strict");
  }

  @Test
  void aDevelopmentAccountSignsInAndItsCookieWorksOnApiButNotOnV1() throws Exception {
    Browser browser = new Browser();
    HttpResponse<String> signedIn = browser.devSignIn("dev-auditor", "dev-auditor", PAGE);
    assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(303);
    assertThat(signedIn.headers().firstValue("Location")).contains(PAGE);
    String cookie = setCookie(signedIn, "warden_console");
    assertThat(cookie)
        .containsPattern("^warden_console=[A-Za-z0-9_-]{43};")
        .contains("Path=/")
        .contains("HttpOnly")
        .contains("SameSite=Strict")
        .doesNotContain("Secure"); // plain HTTP: Secure, and the __Host- name, under TLS only
    assertConsoleHeaders(signedIn);

    JsonObject session = browser.session();
    assertThat(session.getString("principal")).isEqualTo("dev-auditor");
    assertThat(session.getString("tenant")).isEqualTo("default");
    assertThat(session.getJsonArray("roles").getValuesAs(jakarta.json.JsonString::getString))
        .containsExactly("auditor-all-tenants");
    assertThat(session.getString("method")).isEqualTo("dev");
    assertThat(session.getString("expires_at")).isNotBlank();
    String csrf = session.getString("csrf_token");
    assertThat(csrf).isNotBlank();

    HttpResponse<String> page = browser.get(PAGE);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains(PAGE_TEXT);
    assertConsoleHeaders(page);

    HttpResponse<String> me = browser.get("/api/me");
    assertThat(me.statusCode()).as(me.body()).isEqualTo(200);
    assertThat(json(me).getString("principal")).isEqualTo("dev-auditor");
    assertThat(json(me).getString("authenticated_by")).isEqualTo("console");

    // unsafe methods need the session's CSRF token; the resource does not run without it
    HttpResponse<String> noToken = browser.send("POST", "/api/audit/verify");
    assertThat(noToken.statusCode()).isEqualTo(403);
    assertThat(noToken.headers().firstValue("Content-Type").orElseThrow())
        .startsWith("application/problem+json");
    assertThat(json(noToken).getString("code")).isEqualTo("csrf_token_invalid");
    HttpResponse<String> wrongToken =
        browser.send("POST", "/api/audit/verify", "X-CSRF-Token", csrf + "x");
    assertThat(wrongToken.statusCode()).isEqualTo(403);
    assertThat(json(wrongToken).getString("code")).isEqualTo("csrf_token_invalid");
    HttpResponse<String> withToken =
        browser.send("POST", "/api/audit/verify", "X-CSRF-Token", csrf);
    assertThat(withToken.statusCode()).as(withToken.body()).isEqualTo(200);
    HttpResponse<String> deleteNoToken = browser.send("DELETE", "/api/keys/no-such-key");
    assertThat(deleteNoToken.statusCode()).isEqualTo(403);
    assertThat(json(deleteNoToken).getString("code")).isEqualTo("csrf_token_invalid");

    // /v1 never takes the cookie
    HttpResponse<String> models = browser.get("/v1/models");
    assertThat(models.statusCode()).isEqualTo(401);
    HttpResponse<String> chat = browser.send("POST", CHAT, "X-CSRF-Token", csrf);
    assertThat(chat.statusCode()).isEqualTo(401);

    // an Authorization header wins over the cookie
    HttpResponse<String> asKey =
        browser.get("/api/me", "Authorization", "Bearer " + TestCredentials.DEV_USER_KEY);
    assertThat(asKey.statusCode()).as(asKey.body()).isEqualTo(200);
    assertThat(json(asKey).getString("authenticated_by")).isEqualTo("api-key");
  }

  @Test
  void signingOutNeedsTheCsrfTokenAndEndsTheSession() throws Exception {
    Browser browser = new Browser();
    assertThat(browser.devSignIn("dev-admin", "dev-admin", "/console/").statusCode())
        .isEqualTo(303);
    String csrf = browser.session().getString("csrf_token");

    HttpResponse<String> refused = browser.form(browser.uri("/console/logout"), "csrf", "wrong");
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
    assertThat(browser.get("/console/session").statusCode()).isEqualTo(200);

    HttpResponse<String> out = browser.form(browser.uri("/console/logout"), "csrf", csrf);
    assertThat(out.statusCode()).isEqualTo(303);
    assertThat(out.headers().firstValue("Location")).contains("/console/login");
    assertThat(setCookie(out, "warden_console")).contains("Max-Age=0");

    HttpResponse<String> none = browser.get("/console/session");
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.headers().firstValue("Content-Type").orElseThrow())
        .startsWith("application/problem+json");
    assertThat(json(none).getString("code")).isEqualTo("no_session");
    assertThat(browser.get("/api/me").statusCode()).isEqualTo(401);
  }

  @Test
  void theOldCookieIsWorthNothingAfterSignOut() throws Exception {
    Browser browser = new Browser();
    HttpResponse<String> in = browser.devSignIn("dev-user", "dev-user", "/console/");
    String token = setCookie(in, "warden_console").replaceAll("^warden_console=([^;]*);.*$", "$1");
    String csrf = browser.session().getString("csrf_token");
    browser.send("POST", "/console/logout", "X-CSRF-Token", csrf);
    Browser thief = new Browser();
    HttpResponse<String> replay =
        thief.get("/console/session", "Cookie", "warden_console=" + token);
    assertThat(replay.statusCode()).isEqualTo(401);
    HttpResponse<String> api = thief.get("/api/me", "Cookie", "warden_console=" + token);
    assertThat(api.statusCode()).isEqualTo(401);
  }

  @Test
  void aWrongPasswordGetsTheReadablePageAgain() throws Exception {
    Browser browser = new Browser();
    HttpResponse<String> wrong = browser.devSignIn("dev-auditor", "not-the-password", PAGE);
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(wrong.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
    assertConsoleHeaders(wrong);
    assertThat(wrong.body())
        .contains("Incorrect user name or password")
        .contains("<form method=\"post\" action=\"/console/login\">")
        .doesNotContain("Exception")
        .doesNotContain("at dev.warden");
    assertThat(wrong.headers().allValues("Set-Cookie"))
        .noneMatch(c -> c.startsWith("warden_console="));
    assertThat(browser.get("/console/session").statusCode()).isEqualTo(401);

    // a form that did not come from the page (no login CSRF cookie, or another value)
    Browser forger = new Browser();
    HttpResponse<String> forged =
        forger.form(
            forger.uri("/console/login"),
            "csrf",
            "x".repeat(43),
            "username",
            "dev-auditor",
            "password",
            "dev-auditor");
    assertThat(forged.statusCode()).isEqualTo(403);
    assertThat(forged.headers().allValues("Set-Cookie"))
        .noneMatch(c -> c.startsWith("warden_console="));
  }

  @Test
  void pagesNeedASessionAndAssetsDoNot() throws Exception {
    Browser browser = new Browser();
    HttpResponse<String> page = browser.get(PAGE + "?x=1");
    assertThat(page.statusCode()).isEqualTo(303);
    assertThat(page.headers().firstValue("Location").orElseThrow())
        .endsWith(
            "/console/login?return=" + URLEncoder.encode(PAGE + "?x=1", StandardCharsets.UTF_8));
    assertConsoleHeaders(page);

    HttpResponse<String> asset = browser.get(ASSET);
    assertThat(asset.statusCode()).isEqualTo(200);
    assertThat(asset.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/css");
    assertConsoleHeaders(asset);

    HttpResponse<String> session = browser.get("/console/session");
    assertThat(session.statusCode()).isEqualTo(401);
    assertConsoleHeaders(session);

    // an external return target is not followed
    HttpResponse<String> signedIn =
        browser.devSignIn("dev-auditor", "dev-auditor", "https://evil.example/console/");
    assertThat(signedIn.headers().firstValue("Location").orElseThrow()).endsWith("/console/");

    HttpResponse<String> missing = browser.get("/console/no-such-page.html");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
    assertThat(missing.body()).doesNotContain("Exception");
    assertConsoleHeaders(missing);
  }

  @Test
  void anAuditorSignsInThroughOpenIdConnectWithTheMappedRole() throws Exception {
    Browser browser = new Browser();
    HttpResponse<String> back =
        browser.oidcSignIn(OidcProvider.AUDITOR, OidcProvider.AUDITOR_PASSWORD);
    assertThat(back.statusCode()).as(back.body()).isEqualTo(200);
    assertThat(back.body()).contains("url=" + PAGE).contains("href=\"" + PAGE + "\"");
    assertThat(setCookie(back, "warden_console"))
        .contains("HttpOnly")
        .contains("SameSite=Strict")
        .contains("Path=/");
    assertConsoleHeaders(back);

    JsonObject session = browser.session();
    assertThat(session.getString("principal")).isEqualTo(OidcProvider.AUDITOR);
    assertThat(session.getString("method")).isEqualTo("oidc");
    assertThat(session.getJsonArray("roles").getValuesAs(jakarta.json.JsonString::getString))
        .containsExactly("auditor");
    assertThat(browser.get(PAGE).body()).contains(PAGE_TEXT);
    HttpResponse<String> me = browser.get("/api/me");
    assertThat(me.statusCode()).as(me.body()).isEqualTo(200);
    assertThat(json(me).getJsonArray("roles").getValuesAs(jakarta.json.JsonString::getString))
        .containsExactly("auditor");
  }

  @Test
  void anAdminSignsInThroughOpenIdConnectAsAdmin() throws Exception {
    Browser browser = new Browser();
    HttpResponse<String> back = browser.oidcSignIn(OidcProvider.ADMIN, OidcProvider.ADMIN_PASSWORD);
    assertThat(back.statusCode()).as(back.body()).isEqualTo(200);
    JsonObject session = browser.session();
    assertThat(session.getString("principal")).isEqualTo(OidcProvider.ADMIN);
    assertThat(session.getJsonArray("roles").getValuesAs(jakarta.json.JsonString::getString))
        .containsExactly("admin");
  }

  @Test
  void aUserWithoutAMappedGroupIsNotSignedIn() throws Exception {
    Browser browser = new Browser();
    HttpResponse<String> back =
        browser.oidcSignIn(OidcProvider.NOBODY, OidcProvider.NOBODY_PASSWORD);
    assertThat(back.statusCode()).isEqualTo(403);
    assertThat(back.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
    assertThat(back.body()).contains("none of your groups grants a Warden role");
    assertThat(back.headers().allValues("Set-Cookie"))
        .noneMatch(c -> c.startsWith("warden_console="));
    assertThat(browser.get("/console/session").statusCode()).isEqualTo(401);
  }

  @Test
  void aCallbackWithoutItsFlowOrWithAnotherStateIsRefused() throws Exception {
    Browser browser = new Browser();
    HttpResponse<String> start = browser.get("/console/login/oidc");
    assertThat(start.statusCode()).isEqualTo(302);
    // the provider's answer to another flow (or forged): state does not match this browser's
    HttpResponse<String> forged = browser.get("/console/login/callback?code=abc&state=forged");
    assertThat(forged.statusCode()).isEqualTo(400);
    assertThat(forged.body()).contains("Please try again");
    // and without the flow's cookie at all
    HttpResponse<String> noFlow =
        new Browser().get("/console/login/callback?code=abc&state=forged");
    assertThat(noFlow.statusCode()).isEqualTo(400);
    assertThat(List.of(forged, noFlow))
        .allSatisfy(
            r ->
                assertThat(r.headers().allValues("Set-Cookie"))
                    .noneMatch(c -> c.startsWith("warden_console=")));
  }
}
