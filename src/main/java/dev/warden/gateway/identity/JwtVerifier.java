package dev.warden.gateway.identity;

import dev.warden.config.ConfigProducer;
import dev.warden.config.Settings;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.HttpsJwks;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.HttpsJwksVerificationKeyResolver;
import org.jose4j.keys.resolvers.JwksVerificationKeyResolver;
import org.jose4j.lang.JoseException;

/**
 * Verifies MicroProfile JWT bearer tokens (MP-JWT 2.1) with the specification's own configuration
 * keys, so a deployment configured for Liberty's {@code mpJwt} or any MP-JWT runtime works
 * unchanged:
 *
 * <ul>
 *   <li>{@code mp.jwt.verify.publickey}: the key itself (PEM, JWK or JWKS), or
 *   <li>{@code mp.jwt.verify.publickey.location}: a file (re-read when it changes: key rotation
 *       without restart) or an {@code http(s)} JWKS URL (cached and refreshed by jose4j);
 *   <li>{@code mp.jwt.verify.publickey.algorithm}: {@code RS256} (default) or {@code ES256};
 *   <li>{@code mp.jwt.verify.issuer}, {@code mp.jwt.verify.audiences} (comma-separated): checked
 *       when set;
 *   <li>{@code mp.jwt.verify.clock.skew}: seconds, default 60.
 * </ul>
 *
 * The principal is {@code upn}, else {@code preferred_username}, else {@code sub} (MP-JWT's order);
 * the tenant from the claim named by {@value #TENANT_CLAIM} (default {@code tenant}). {@code exp}
 * is required. Without a configured key every JWT is refused.
 *
 * <p>Roles come only from configuration: {@code warden.identity.roles.<role>} lists the identity
 * provider's groups that grant {@code <role>} (comma-separated; e.g. {@code
 * warden.identity.roles.admin=warden-admins}). A group is never a role by its name alone: a token
 * whose {@code groups} include {@code admin} is no admin unless a mapping says so. A valid token
 * with no mapped group authenticates but holds no role ({@code api.AccessFilter} refuses it
 * everything with {@code no_role}).
 */
@ApplicationScoped
public class JwtVerifier {
  private static final Logger LOG = Logger.getLogger(JwtVerifier.class.getName());

  public static final String TENANT_CLAIM = "warden.identity.jwt.tenant-claim";

  /** The prefix of the group-to-role mappings: {@code warden.identity.roles.<role>=group,…}. */
  public static final String ROLES = "warden.identity.roles.";

  private record Built(String source, FileTime modified, JwtConsumer consumer) {}

  private final Supplier<Settings> settings;
  private volatile Built built;

  public JwtVerifier() {
    this(ConfigProducer::settings);
  }

  JwtVerifier(Supplier<Settings> settings) {
    this.settings = settings;
  }

  /**
   * The identity a valid token stands for.
   *
   * @throws AuthenticationFailedException if it is not valid, or JWTs are not configured
   */
  public Identity verify(String token) {
    return verify(token, settings.get());
  }

  /** {@link #verify(String)} with the given settings. */
  Identity verify(String token, Settings settings) {
    JwtConsumer consumer = consumer(settings);
    JwtClaims claims;
    try {
      claims = consumer.processToClaims(token);
    } catch (InvalidJwtException e) {
      LOG.log(Level.FINE, "WARDEN0803I: a JWT was refused: {0}", reason(e));
      throw new AuthenticationFailedException("invalid_token", "The bearer token is not valid");
    }
    try {
      String principal = claims.getClaimValueAsString("upn");
      if (principal == null) {
        principal = claims.getClaimValueAsString("preferred_username");
      }
      if (principal == null) {
        principal = claims.getSubject();
      }
      if (principal == null || principal.isBlank()) {
        throw new AuthenticationFailedException(
            "invalid_token", "The bearer token names no principal (upn, preferred_username, sub)");
      }
      Set<Role> roles =
          claims.hasClaim("groups")
              ? rolesOf(claims.getStringListClaimValue("groups"), settings)
              : EnumSet.noneOf(Role.class);
      String tenant = claims.getClaimValueAsString(settings.string(TENANT_CLAIM, "tenant").trim());
      return new Identity(principal, tenant, roles, null, null, "jwt");
    } catch (MalformedClaimException e) {
      throw new AuthenticationFailedException(
          "invalid_token", "The bearer token's claims are malformed");
    }
  }

  /**
   * The roles {@code groups} grant under the configured mappings ({@value #ROLES}{@code <role>}): a
   * role is held when one of its mapped groups is among them (exact, case-sensitive match).
   */
  public static Set<Role> rolesOf(List<String> groups, Settings settings) {
    Set<Role> roles = EnumSet.noneOf(Role.class);
    boolean anyMapping = false;
    for (Role r : Role.values()) {
      List<String> mapped = settings.list(ROLES + r.wireName());
      anyMapping |= !mapped.isEmpty();
      if (groups.stream().anyMatch(mapped::contains)) {
        roles.add(r);
      }
    }
    if (!anyMapping && !warnedUnmapped) {
      warnedUnmapped = true;
      LOG.log(
          Level.WARNING,
          "WARDEN0832W: a JWT was verified, but no warden.identity.roles.<role> maps a group to a"
              + " role: every JWT holds no role and is refused (403 no_role)");
    }
    return roles;
  }

  private static volatile boolean warnedUnmapped;

  /** Whether a key is configured at all. */
  public boolean configured() {
    Settings s = settings.get();
    return s.string("mp.jwt.verify.publickey").isPresent()
        || s.string("mp.jwt.verify.publickey.location").isPresent();
  }

  private JwtConsumer consumer(Settings settings) {
    String inline = settings.string("mp.jwt.verify.publickey").orElse(null);
    String location = settings.string("mp.jwt.verify.publickey.location").orElse(null);
    if (inline == null && location == null) {
      throw new AuthenticationFailedException(
          "invalid_token", "JWT authentication is not configured on this server");
    }
    String source = inline != null ? "inline" : location.trim();
    FileTime modified = null;
    boolean remote = location != null && inline == null && source.matches("(?i)https?://.*");
    if (inline == null && !remote) {
      modified = modifiedTime(Path.of(source.replaceFirst("^file:", "")));
    }
    Built b = built;
    if (b != null && b.source.equals(source) && java.util.Objects.equals(b.modified, modified)) {
      return b.consumer;
    }
    synchronized (this) {
      b = built;
      if (b != null && b.source.equals(source) && java.util.Objects.equals(b.modified, modified)) {
        return b.consumer;
      }
      JwtConsumer c = build(settings, inline, source, remote);
      built = new Built(source, modified, c);
      LOG.log(
          Level.INFO,
          "WARDEN0802I: JWT verification key loaded from {0}",
          remote ? source : (inline != null ? "configuration" : "file"));
      return c;
    }
  }

  private static JwtConsumer build(
      Settings settings, String inline, String source, boolean remote) {
    String algorithm = settings.string("mp.jwt.verify.publickey.algorithm", "RS256").trim();
    JwtConsumerBuilder builder =
        new JwtConsumerBuilder()
            .setRequireExpirationTime()
            .setAllowedClockSkewInSeconds(settings.integer("mp.jwt.verify.clock.skew", 60, 0))
            .setJwsAlgorithmConstraints(
                new AlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, algorithm));
    settings
        .string("mp.jwt.verify.issuer")
        .filter(s -> !s.isBlank())
        .ifPresent(i -> builder.setExpectedIssuer(i.trim()));
    List<String> audiences = settings.list("mp.jwt.verify.audiences");
    if (audiences.isEmpty()) {
      builder.setSkipDefaultAudienceValidation();
    } else {
      builder.setExpectedAudience(audiences.toArray(String[]::new));
    }
    if (remote) {
      builder.setVerificationKeyResolver(
          new HttpsJwksVerificationKeyResolver(new HttpsJwks(source)));
      return builder.build();
    }
    String text = inline != null ? inline : read(Path.of(source.replaceFirst("^file:", "")));
    String trimmed = text.trim();
    try {
      if (trimmed.startsWith("{")) {
        JsonWebKeySet set =
            trimmed.contains("\"keys\"")
                ? new JsonWebKeySet(trimmed)
                : new JsonWebKeySet(org.jose4j.jwk.JsonWebKey.Factory.newJwk(trimmed));
        builder.setVerificationKeyResolver(new JwksVerificationKeyResolver(set.getJsonWebKeys()));
      } else {
        builder.setVerificationKey(pem(trimmed, algorithm));
      }
    } catch (JoseException | GeneralSecurityException | IllegalArgumentException e) {
      LOG.log(
          Level.SEVERE,
          "WARDEN0804E: mp.jwt.verify.publickey(.location) holds no usable public key ({0})",
          e.getClass().getSimpleName());
      throw new AuthenticationFailedException(
          "invalid_token", "JWT authentication is misconfigured on this server");
    }
    return builder.build();
  }

  /** A PEM or bare base64 X.509 public key, RSA or EC by the algorithm's family. */
  static PublicKey pem(String text, String algorithm) throws GeneralSecurityException {
    String base64 = text.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
    byte[] der = Base64.getDecoder().decode(base64);
    String family = algorithm.startsWith("ES") ? "EC" : "RSA";
    return KeyFactory.getInstance(family).generatePublic(new X509EncodedKeySpec(der));
  }

  private static String read(Path path) {
    try {
      return Files.readString(path, StandardCharsets.UTF_8);
    } catch (IOException e) {
      LOG.log(Level.SEVERE, "WARDEN0804E: cannot read mp.jwt.verify.publickey.location {0}", path);
      throw new AuthenticationFailedException(
          "invalid_token", "JWT authentication is misconfigured on this server");
    }
  }

  private static FileTime modifiedTime(Path path) {
    try {
      return Files.getLastModifiedTime(path);
    } catch (IOException e) {
      throw new AuthenticationFailedException(
          "invalid_token", "JWT authentication is misconfigured on this server");
    }
  }

  private static String reason(InvalidJwtException e) {
    List<String> codes = new ArrayList<>();
    e.getErrorDetails().forEach(d -> codes.add(String.valueOf(d.getErrorCode())));
    return "error codes " + codes;
  }
}
