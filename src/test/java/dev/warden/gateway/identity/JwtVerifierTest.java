package dev.warden.gateway.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.config.Settings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.keys.HmacKey;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JwtVerifierTest {

  private static KeyPair pair;
  private static KeyPair other;

  private final JwtVerifier verifier = new JwtVerifier();
  private final Map<String, String> config = new HashMap<>();

  @BeforeAll
  static void keys() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    pair = g.generateKeyPair();
    other = g.generateKeyPair();
  }

  private Settings settings() {
    return new Settings(k -> Optional.ofNullable(config.get(k)), config.keySet());
  }

  private static String pem(PublicKey key) {
    return "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder().encodeToString(key.getEncoded())
        + "\n-----END PUBLIC KEY-----\n";
  }

  private static JwtClaims claims(String upn, List<String> groups) {
    JwtClaims c = new JwtClaims();
    c.setIssuer("https://issuer.example");
    c.setAudience("warden");
    if (upn != null) {
      c.setClaim("upn", upn);
    }
    c.setSubject("subject-of-" + upn);
    c.setStringListClaim("groups", groups);
    c.setClaim("tenant", "acme");
    c.setIssuedAtToNow();
    c.setExpirationTimeMinutesInTheFuture(5);
    return c;
  }

  private static String sign(JwtClaims claims, java.security.Key key, String alg) throws Exception {
    JsonWebSignature jws = new JsonWebSignature();
    jws.setPayload(claims.toJson());
    jws.setKey(key);
    jws.setAlgorithmHeaderValue(alg);
    if (AlgorithmIdentifiers.NONE.equals(alg)) {
      jws.setAlgorithmConstraints(org.jose4j.jwa.AlgorithmConstraints.NO_CONSTRAINTS);
    }
    return jws.getCompactSerialization();
  }

  private static String rs256(JwtClaims claims, KeyPair keys) throws Exception {
    return sign(claims, keys.getPrivate(), AlgorithmIdentifiers.RSA_USING_SHA256);
  }

  private void inlineKey() {
    config.put("mp.jwt.verify.publickey", pem(pair.getPublic()));
    config.put("mp.jwt.verify.issuer", "https://issuer.example");
    config.put("mp.jwt.verify.audiences", "warden,other");
  }

  private void assertRefused(String token) {
    assertThatThrownBy(() -> verifier.verify(token, settings()))
        .isInstanceOf(AuthenticationFailedException.class)
        .extracting(e -> ((AuthenticationFailedException) e).code())
        .isEqualTo("invalid_token");
  }

  @Test
  void aValidTokenGivesItsUpnMappedGroupsAsRolesAndTenant() throws Exception {
    inlineKey();
    config.put("warden.identity.roles.ai-user", "staff, contractors");
    config.put("warden.identity.roles.auditor", "acme-auditors");
    config.put("warden.identity.roles.admin", "warden-admins");
    Identity id =
        verifier.verify(
            rs256(claims("alice", List.of("contractors", "acme-auditors", "unrelated")), pair),
            settings());
    assertThat(id.principal()).isEqualTo("alice");
    assertThat(id.roles()).containsExactlyInAnyOrder(Role.AI_USER, Role.AUDITOR);
    assertThat(id.tenant()).isEqualTo("acme");
    assertThat(id.method()).isEqualTo("jwt");
    assertThat(id.apiKeyId()).isNull();
  }

  @Test
  void aGroupNamedLikeARoleGrantsNothingUnlessMapped() throws Exception {
    inlineKey();
    String token =
        rs256(
            claims("mallory", List.of("admin", "auditor", "auditor-all-tenants", "ai-user")), pair);
    Identity id = verifier.verify(token, settings());
    assertThat(id.principal()).isEqualTo("mallory");
    assertThat(id.roles()).isEmpty();

    config.put("warden.identity.roles.admin", "warden-admins");
    config.put("warden.identity.roles.key-delegate", "warden-admins");
    assertThat(verifier.verify(token, settings()).roles()).isEmpty();
    assertThat(
            verifier
                .verify(rs256(claims("root", List.of("warden-admins")), pair), settings())
                .roles())
        .containsExactlyInAnyOrder(Role.ADMIN, Role.KEY_DELEGATE);
    // the mapping is exact: no case folding, no prefix
    assertThat(
            verifier
                .verify(
                    rs256(claims("x", List.of("Warden-Admins", "warden-admin")), pair), settings())
                .roles())
        .isEmpty();
  }

  @Test
  void withoutUpnThePrincipalIsPreferredUsernameThenSub() throws Exception {
    inlineKey();
    JwtClaims c = claims(null, List.of("ai-user"));
    c.setClaim("preferred_username", "bob");
    assertThat(verifier.verify(rs256(c, pair), settings()).principal()).isEqualTo("bob");
    JwtClaims s = claims(null, List.of("ai-user"));
    assertThat(verifier.verify(rs256(s, pair), settings()).principal())
        .isEqualTo("subject-of-null");
  }

  @Test
  void wrongSignatureIssuerAudienceOrLifetimeIsRefused() throws Exception {
    inlineKey();
    assertRefused(rs256(claims("m", List.of("ai-user")), other));
    JwtClaims issuer = claims("m", List.of("ai-user"));
    issuer.setIssuer("https://elsewhere.example");
    assertRefused(rs256(issuer, pair));
    JwtClaims audience = claims("m", List.of("ai-user"));
    audience.setAudience("not-warden");
    assertRefused(rs256(audience, pair));
    JwtClaims expired = claims("m", List.of("ai-user"));
    expired.setExpirationTime(
        org.jose4j.jwt.NumericDate.fromSeconds(Instant.now().getEpochSecond() - 600));
    assertRefused(rs256(expired, pair));
    JwtClaims noExp = claims("m", List.of("ai-user"));
    noExp.unsetClaim("exp");
    assertRefused(rs256(noExp, pair));
    assertRefused("a.b.c");
  }

  @Test
  void unsignedAndAlgorithmConfusionTokensAreRefused() throws Exception {
    inlineKey();
    assertRefused(sign(claims("m", List.of("admin")), null, AlgorithmIdentifiers.NONE));
    // HS256 keyed with the public key's bytes: the classic confusion attack
    HmacKey hmac = new HmacKey(pem(pair.getPublic()).getBytes(StandardCharsets.US_ASCII));
    assertRefused(sign(claims("m", List.of("admin")), hmac, AlgorithmIdentifiers.HMAC_SHA256));
  }

  @Test
  void withoutAConfiguredKeyEveryJwtIsRefused() throws Exception {
    assertRefused(rs256(claims("alice", List.of("ai-user")), pair));
  }

  @Test
  void aJwksWorksAndAKeyFileIsReReadWhenItChanges(@TempDir Path dir) throws Exception {
    RsaJsonWebKey jwk = new RsaJsonWebKey((java.security.interfaces.RSAPublicKey) pair.getPublic());
    jwk.setKeyId("k1");
    config.put("mp.jwt.verify.publickey", new JsonWebKeySet(jwk).toJson());
    assertThat(verifier.verify(rs256(claims("alice", List.of()), pair), settings()).principal())
        .isEqualTo("alice");

    config.clear();
    Path file = dir.resolve("key.pem");
    Files.writeString(file, pem(pair.getPublic()));
    config.put("mp.jwt.verify.publickey.location", file.toString());
    assertThat(verifier.verify(rs256(claims("alice", List.of()), pair), settings()).principal())
        .isEqualTo("alice");

    Files.writeString(file, pem(other.getPublic()));
    Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
    assertRefused(rs256(claims("alice", List.of()), pair));
    assertThat(verifier.verify(rs256(claims("carol", List.of()), other), settings()).principal())
        .isEqualTo("carol");
  }

  @Test
  void anUnreadableKeyIsRefusedNotAServerError(@TempDir Path dir) throws Exception {
    config.put("mp.jwt.verify.publickey.location", dir.resolve("missing.pem").toString());
    assertRefused(rs256(claims("alice", List.of()), pair));
    config.clear();
    config.put("mp.jwt.verify.publickey", "not a key");
    assertRefused(rs256(claims("alice", List.of()), pair));
  }
}
