package dev.warden.gateway.console;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWT;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.AuthenticationErrorResponse;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.AuthenticationResponse;
import com.nimbusds.openid.connect.sdk.AuthenticationResponseParser;
import com.nimbusds.openid.connect.sdk.AuthenticationSuccessResponse;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import dev.warden.config.ConfigProducer;
import dev.warden.config.DevelopmentMode;
import dev.warden.config.Settings;
import dev.warden.gateway.identity.Identity;
import dev.warden.gateway.identity.JwtVerifier;
import dev.warden.gateway.identity.Role;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Sign-in with an OpenID Connect provider (Nimbus OAuth 2.0 SDK): the authorization code flow with
 * PKCE (S256), {@code state} and {@code nonce}. The provider's endpoints and keys come from its
 * discovery document ({@value #ISSUER}{@code /.well-known/openid-configuration}); the ID token is
 * verified against its JWKS (signature, {@code iss}, {@code aud}, {@code exp}, {@code nonce}). The
 * principal is {@code upn}, else {@code preferred_username}, else {@code sub} (as for bearer JWTs);
 * the roles come from the token's groups ({@value #GROUPS_CLAIM}) through {@code
 * warden.identity.roles.<role>}; the tenant from {@code warden.identity.jwt.tenant-claim}.
 *
 * <p>The browser carries the flow's one secret, a random value, in a short-lived cookie bound to
 * {@code /console/login}; {@code state}, {@code nonce} and the PKCE verifier are derived from it,
 * so no server keeps anything and the callback may land on any server.
 */
@ApplicationScoped
public class OidcLogin {
  private static final Logger LOG = Logger.getLogger(OidcLogin.class.getName());

  public static final String ISSUER = "warden.console.oidc.issuer";
  public static final String CLIENT_ID = "warden.console.oidc.client-id";
  public static final String CLIENT_SECRET = "warden.console.oidc.client-secret";
  public static final String CLIENT_SECRET_FILE = "warden.console.oidc.client-secret-file";
  public static final String SCOPES = "warden.console.oidc.scopes";
  public static final String PROVIDER_NAME = "warden.console.oidc.provider-name";
  public static final String GROUPS_CLAIM = "warden.console.oidc.groups-claim";
  public static final String REDIRECT_URI = "warden.console.oidc.redirect-uri";

  /** The cookie carrying the flow's secret between the redirect and the callback. */
  static final String FLOW_COOKIE = "warden_console_oidc";

  private static final Duration FLOW_LIFETIME = Duration.ofMinutes(10);
  private static final Duration METADATA_TTL = Duration.ofHours(1);
  private static final int TIMEOUT_MS = 10_000;

  private record Provider(
      String issuer,
      String clientId,
      Instant fetched,
      OIDCProviderMetadata metadata,
      IDTokenValidator validator) {}

  private volatile Provider provider;

  /** Why a sign-in failed, in words for the page (never a token or a claim's value). */
  public static final class SignInFailed extends Exception {
    private static final long serialVersionUID = 1L;
    private final int status;

    SignInFailed(int status, String message) {
      super(message);
      this.status = status;
    }

    public int status() {
      return status;
    }
  }

  /** Whether a provider is configured (issuer and client id). */
  public boolean configured() {
    Settings s = ConfigProducer.settings();
    return s.string(ISSUER).filter(v -> !v.isBlank()).isPresent()
        && s.string(CLIENT_ID).filter(v -> !v.isBlank()).isPresent();
  }

  /** The provider's name on the sign-in page. */
  public String providerName() {
    return ConfigProducer.settings().string(PROVIDER_NAME, "single sign-on");
  }

  /** A new flow: its secret (for {@link #FLOW_COOKIE}) and the provider's authorization URL. */
  public record Start(String secret, URI authorization) {}

  /** Starts a sign-in: the URL to send the browser to, and the flow's secret for its cookie. */
  public Start start(URI redirectUri) throws SignInFailed {
    Settings s = ConfigProducer.settings();
    Provider p = provider(s);
    String secret = ConsoleSessions.newToken();
    AuthenticationRequest request =
        new AuthenticationRequest.Builder(
                new ResponseType(ResponseType.Value.CODE),
                Scope.parse(s.string(SCOPES, "openid profile email")),
                new ClientID(p.clientId()),
                redirectUri)
            .endpointURI(p.metadata().getAuthorizationEndpointURI())
            .state(new State(ConsoleSessions.derive("state", secret)))
            .nonce(new Nonce(ConsoleSessions.derive("nonce", secret)))
            .codeChallenge(
                new CodeVerifier(ConsoleSessions.derive("pkce", secret)), CodeChallengeMethod.S256)
            .build();
    return new Start(secret, request.toURI());
  }

  /**
   * Completes a sign-in from the provider's redirect ({@code callback}: the full URL with its
   * query) and the flow's secret from the cookie.
   */
  public Identity complete(URI callback, String secret, URI redirectUri) throws SignInFailed {
    if (secret == null || secret.length() != 43) {
      throw new SignInFailed(
          400, "The sign-in expired or was started in another browser. Please try again.");
    }
    Settings s = ConfigProducer.settings();
    Provider p = provider(s);
    AuthenticationResponse response;
    try {
      response = AuthenticationResponseParser.parse(callback);
    } catch (ParseException e) {
      throw refused(
          "malformed callback", 400, "The identity provider's answer was not understood.");
    }
    if (response.getState() == null
        || !ConsoleSessions.same(
            ConsoleSessions.derive("state", secret), response.getState().getValue())) {
      throw refused(
          "state", 400, "The sign-in expired or was started in another browser. Please try again.");
    }
    if (!response.indicatesSuccess()) {
      AuthenticationErrorResponse error = response.toErrorResponse();
      throw refused(
          "provider error " + error.getErrorObject().getCode(),
          401,
          "The identity provider did not sign you in.");
    }
    AuthenticationSuccessResponse success = response.toSuccessResponse();
    AuthorizationCode code = success.getAuthorizationCode();
    if (code == null) {
      throw refused("no code", 400, "The identity provider's answer held no authorization code.");
    }
    TokenRequest tokenRequest =
        new TokenRequest.Builder(
                p.metadata().getTokenEndpointURI(),
                clientAuthentication(s, p),
                new AuthorizationCodeGrant(
                    code, redirectUri, new CodeVerifier(ConsoleSessions.derive("pkce", secret))))
            .build();
    TokenResponse tokenResponse;
    try {
      HTTPRequest http = tokenRequest.toHTTPRequest();
      http.setConnectTimeout(TIMEOUT_MS);
      http.setReadTimeout(TIMEOUT_MS);
      tokenResponse = OIDCTokenResponseParser.parse(http.send());
    } catch (IOException | ParseException e) {
      throw refused(
          "token endpoint " + e.getClass().getSimpleName(),
          502,
          "The identity provider could not be reached to complete the sign-in.");
    }
    if (!tokenResponse.indicatesSuccess()) {
      throw refused(
          "token error " + tokenResponse.toErrorResponse().getErrorObject().getCode(),
          401,
          "The identity provider refused to complete the sign-in.");
    }
    JWT idToken =
        ((OIDCTokenResponse) tokenResponse.toSuccessResponse()).getOIDCTokens().getIDToken();
    IDTokenClaimsSet claims;
    try {
      claims = p.validator().validate(idToken, new Nonce(ConsoleSessions.derive("nonce", secret)));
    } catch (com.nimbusds.jose.proc.BadJOSEException | com.nimbusds.jose.JOSEException e) {
      throw refused(
          "ID token " + e.getClass().getSimpleName(),
          401,
          "The identity provider's ID token was not valid.");
    }
    return identity(claims, s);
  }

  /** The identity an ID token's claims stand for. */
  static Identity identity(IDTokenClaimsSet claims, Settings s) throws SignInFailed {
    String principal = claims.getStringClaim("upn");
    if (principal == null) {
      principal = claims.getStringClaim("preferred_username");
    }
    if (principal == null) {
      principal = claims.getSubject().getValue();
    }
    List<String> groups = groups(claims, s.string(GROUPS_CLAIM, "groups").trim());
    Set<Role> roles = JwtVerifier.rolesOf(groups, s);
    if (roles.isEmpty()) {
      throw refused(
          "no role",
          403,
          "You are signed in at the identity provider, but none of your groups grants a Warden"
              + " role. Ask the operator.");
    }
    String tenant = claims.getStringClaim(s.string(JwtVerifier.TENANT_CLAIM, "tenant").trim());
    return new Identity(principal, tenant, roles, null, null, "oidc");
  }

  private static List<String> groups(IDTokenClaimsSet claims, String name) {
    Object value = claims.getClaim(name);
    if (value instanceof String one) {
      return List.of(one);
    }
    List<String> list = claims.getStringListClaim(name);
    return list == null ? List.of() : list;
  }

  private static ClientAuthentication clientAuthentication(Settings s, Provider p)
      throws SignInFailed {
    Secret secret = new Secret(clientSecret(s));
    ClientID id = new ClientID(p.clientId());
    List<ClientAuthenticationMethod> methods = p.metadata().getTokenEndpointAuthMethods();
    if (methods != null
        && !methods.contains(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
        && methods.contains(ClientAuthenticationMethod.CLIENT_SECRET_POST)) {
      return new ClientSecretPost(id, secret);
    }
    return new ClientSecretBasic(id, secret);
  }

  private static String clientSecret(Settings s) throws SignInFailed {
    Optional<String> file = s.string(CLIENT_SECRET_FILE).filter(v -> !v.isBlank());
    if (file.isPresent()) {
      try {
        return Files.readString(Path.of(file.get().trim()), StandardCharsets.UTF_8).strip();
      } catch (IOException e) {
        LOG.log(
            Level.SEVERE,
            "WARDEN0875E: cannot read " + CLIENT_SECRET_FILE + " ({0})",
            e.getClass().getSimpleName());
        throw new SignInFailed(500, "Single sign-on is misconfigured on this server.");
      }
    }
    return s.string(CLIENT_SECRET)
        .filter(v -> !v.isBlank())
        .orElseThrow(
            () -> {
              LOG.severe(
                  "WARDEN0875E: neither "
                      + CLIENT_SECRET
                      + " nor "
                      + CLIENT_SECRET_FILE
                      + " is set: OpenID Connect sign-in cannot complete");
              return new SignInFailed(500, "Single sign-on is misconfigured on this server.");
            });
  }

  /** The provider's metadata and ID token validator, from its discovery document (cached). */
  private Provider provider(Settings s) throws SignInFailed {
    String issuer = s.string(ISSUER).map(String::trim).filter(v -> !v.isBlank()).orElse(null);
    String clientId = s.string(CLIENT_ID).map(String::trim).filter(v -> !v.isBlank()).orElse(null);
    if (issuer == null || clientId == null) {
      throw new SignInFailed(404, "Single sign-on is not configured on this server.");
    }
    if (!issuer.startsWith("https://") && !DevelopmentMode.on(s)) {
      LOG.severe("WARDEN0878E: " + ISSUER + " must be an https URL outside development mode");
      throw new SignInFailed(500, "Single sign-on is misconfigured on this server.");
    }
    Provider p = provider;
    Instant now = Instant.now();
    if (p != null
        && p.issuer().equals(issuer)
        && p.clientId().equals(clientId)
        && now.isBefore(p.fetched().plus(METADATA_TTL))) {
      return p;
    }
    synchronized (this) {
      p = provider;
      if (p != null
          && p.issuer().equals(issuer)
          && p.clientId().equals(clientId)
          && now.isBefore(p.fetched().plus(METADATA_TTL))) {
        return p;
      }
      try {
        OIDCProviderMetadata metadata =
            OIDCProviderMetadata.resolve(new Issuer(issuer), TIMEOUT_MS, TIMEOUT_MS);
        List<JWSAlgorithm> algorithms = metadata.getIDTokenJWSAlgs();
        JWSAlgorithm algorithm =
            algorithms == null || algorithms.isEmpty() || algorithms.contains(JWSAlgorithm.RS256)
                ? JWSAlgorithm.RS256
                : algorithms.get(0);
        if (!JWSAlgorithm.Family.SIGNATURE.contains(algorithm)) {
          throw new IllegalStateException("the provider signs ID tokens with " + algorithm);
        }
        IDTokenValidator validator =
            new IDTokenValidator(
                metadata.getIssuer(),
                new ClientID(clientId),
                algorithm,
                metadata.getJWKSetURI().toURL());
        p = new Provider(issuer, clientId, now, metadata, validator);
        provider = p;
        LOG.log(Level.INFO, "WARDEN0874I: OpenID Connect provider {0} discovered", issuer);
        return p;
      } catch (com.nimbusds.oauth2.sdk.GeneralException | IOException | RuntimeException e) {
        LOG.log(
            Level.WARNING,
            "WARDEN0879W: the OpenID Connect provider {0} could not be discovered: {1}",
            new Object[] {issuer, e.getClass().getSimpleName()});
        if (p != null && p.issuer().equals(issuer) && p.clientId().equals(clientId)) {
          return p; // keep the last good document while the provider is away
        }
        throw new SignInFailed(
            502, "The identity provider could not be reached. Please try again later.");
      }
    }
  }

  private static SignInFailed refused(String reason, int status, String message) {
    LOG.log(Level.FINE, "WARDEN0871I: a console sign-in was refused: {0}", reason);
    return new SignInFailed(status, message);
  }
}
