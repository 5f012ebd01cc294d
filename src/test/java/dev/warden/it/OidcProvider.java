package dev.warden.it;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The OpenID Connect provider of the integration tests: a second Liberty server made of Liberty's
 * {@code openidConnectServer-1.0} alone, on {@code it.http.port + 2} / {@code it.https.port + 2}
 * ({@code it.oidc.http.port} / {@code it.oidc.https.port}), with a basic registry of the users
 * below and one client, the console, whose redirect URIs are the IT server's {@code
 * /console/login/callback} (at {@code 127.0.0.1} and at {@code localhost}). The IT server is
 * configured for it (the pom: {@code warden.console.oidc.*}, {@code warden.identity.roles.auditor}
 * lists {@link #AUDITOR_GROUP}, {@code warden.identity.roles.admin} {@link #ADMIN_GROUP}, the
 * groups claim {@code groupIds}).
 *
 * <p>{@link #start()} is idempotent and shared by every test class of the JVM; {@link #stop()}
 * stops it (a JVM shutdown hook stops it too). The provider answers its endpoints over HTTP; its
 * login page ({@code /oidc/login.jsp}, a form posting {@code j_username} and {@code j_password} to
 * {@code j_security_check}) only over HTTPS, with the server's generated certificate ({@link
 * #trustingClient}).
 */
final class OidcProvider {

  /** An auditor: group {@link #AUDITOR_GROUP}, so role {@code auditor}. */
  static final String AUDITOR = "oidc-auditor";

  static final String AUDITOR_PASSWORD = "oidc-auditor-password";

  /** An administrator: group {@link #ADMIN_GROUP}, so role {@code admin}. */
  static final String ADMIN = "oidc-admin";

  static final String ADMIN_PASSWORD = "oidc-admin-password";

  /** A user whose one group grants no Warden role. */
  static final String NOBODY = "oidc-nobody";

  static final String NOBODY_PASSWORD = "oidc-nobody-password";

  static final String AUDITOR_GROUP = "acme-auditors";
  static final String ADMIN_GROUP = "warden-admins";
  static final String UNMAPPED_GROUP = "acme-visitors";

  static final String CLIENT_ID = "warden-console";
  static final String CLIENT_SECRET = "warden-console-it-secret";

  /** The provider's id in its endpoints' paths. */
  static final String PROVIDER_ID = "warden-it";

  /** The name the IT server shows on its sign-in link. */
  static final String PROVIDER_NAME = "Warden IT provider";

  private static final String KEYSTORE_PASSWORD = "warden-it-oidc-keystore";

  private static LibertyServer server;

  private OidcProvider() {}

  static int httpPort() {
    return Integer.getInteger("it.oidc.http.port", Integer.getInteger("it.http.port", 9180) + 2);
  }

  static int httpsPort() {
    return Integer.getInteger("it.oidc.https.port", Integer.getInteger("it.https.port", 9543) + 2);
  }

  /** The issuer, as the IT server's {@code warden.console.oidc.issuer} names it. */
  static String issuer() {
    return "http://127.0.0.1:" + httpPort() + "/oidc/endpoint/" + PROVIDER_ID;
  }

  /** Starts the provider unless it runs; waits until its discovery document answers. */
  static synchronized void start() throws Exception {
    if (server != null) {
      return;
    }
    Path wlp = Path.of(System.getProperty("wlp.home"));
    String template = System.getProperty("it.server");
    LibertyServer s =
        LibertyServer.withFeaturesOnly(
            wlp,
            template,
            template + "-oidc",
            httpPort(),
            serverXml(),
            Map.of("https.port", String.valueOf(httpsPort())),
            List.of(
                "-Xms32m", "-Xmx256m", "-XX:+ExitOnOutOfMemoryError", "-XX:TieredStopAtLevel=1"));
    try {
      s.start("oidc/endpoint/" + PROVIDER_ID + "/.well-known/openid-configuration", null);
    } catch (Exception e) {
      s.close();
      throw e;
    }
    server = s;
    Runtime.getRuntime().addShutdownHook(new Thread(OidcProvider::stop));
  }

  /** Stops the provider and deletes its server directory. */
  static synchronized void stop() {
    if (server != null) {
      server.close();
      server = null;
    }
  }

  /**
   * An HTTP client that trusts the provider's generated certificate (its keystore; the certificate
   * names {@code localhost} and {@code 127.0.0.1}), follows no redirect and keeps cookies in {@code
   * cookies}.
   */
  static HttpClient trustingClient(java.net.CookieHandler cookies) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore())) {
      store.load(in, KEYSTORE_PASSWORD.toCharArray());
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(store);
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(null, tmf.getTrustManagers(), null);
    return HttpClient.newBuilder()
        .sslContext(tls)
        .cookieHandler(cookies)
        .followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(Duration.ofSeconds(5))
        .build();
  }

  private static Path keystore() {
    if (server == null) {
      throw new IllegalStateException("the OIDC provider is not started");
    }
    return server.directory().resolve("resources/security/key.p12");
  }

  /** The provider's base URL over HTTPS (its login page). */
  static URI httpsBase() {
    return URI.create("https://127.0.0.1:" + httpsPort() + "/");
  }

  private static String serverXml() {
    int itPort = Integer.getInteger("it.http.port", 9180);
    String redirects =
        "http://127.0.0.1:"
            + itPort
            + "/console/login/callback, http://localhost:"
            + itPort
            + "/console/login/callback";
    return """
        <server description="The integration tests' OpenID Connect provider">
          <featureManager>
            <feature>openidConnectServer-1.0</feature>
            <feature>appSecurity-5.0</feature>
            <feature>transportSecurity-1.0</feature>
          </featureManager>
          <httpEndpoint id="defaultHttpEndpoint" host="127.0.0.1"
                        httpPort="${http.port}" httpsPort="${https.port}"/>
          <keyStore id="defaultKeyStore" password="%s"/>
          <basicRegistry id="basic" realm="WardenItRealm">
            <user name="%s" password="%s"/>
            <user name="%s" password="%s"/>
            <user name="%s" password="%s"/>
            <group name="%s"><member name="%s"/></group>
            <group name="%s"><member name="%s"/></group>
            <group name="%s"><member name="%s"/></group>
          </basicRegistry>
          <oauth-roles>
            <authenticated>
              <special-subject type="ALL_AUTHENTICATED_USERS"/>
            </authenticated>
          </oauth-roles>
          <openidConnectProvider id="%s" oauthProviderRef="warden-it-oauth"
                                 signatureAlgorithm="RS256" jwkEnabled="true"/>
          <!-- HTTP allowed on the endpoints; autoAuthorize: no consent page -->
          <oauthProvider id="warden-it-oauth" httpsRequired="false" autoAuthorize="true">
            <autoAuthorizeClient>%s</autoAuthorizeClient>
            <localStore>
              <client name="%s" secret="%s" displayname="Warden console"
                      redirect="%s"
                      scope="openid profile email" preAuthorizedScope="openid profile email"
                      enabled="true"/>
            </localStore>
          </oauthProvider>
        </server>
        """
        .formatted(
            KEYSTORE_PASSWORD,
            AUDITOR,
            AUDITOR_PASSWORD,
            ADMIN,
            ADMIN_PASSWORD,
            NOBODY,
            NOBODY_PASSWORD,
            AUDITOR_GROUP,
            AUDITOR,
            ADMIN_GROUP,
            ADMIN,
            UNMAPPED_GROUP,
            NOBODY,
            PROVIDER_ID,
            CLIENT_ID,
            CLIENT_ID,
            CLIENT_SECRET,
            redirects);
  }
}
