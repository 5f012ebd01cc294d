package dev.warden.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.util.Base64;
import java.util.List;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;

/**
 * JWTs for integration tests: a key pair generated per test class, whose public half is written
 * where the IT server reads {@code mp.jwt.verify.publickey.location} (the server re-reads the file
 * when it changes), and tokens signed with it for the issuer and audience the server requires.
 * Which groups grant which role is the server's {@code warden.identity.roles.*} configuration
 * (pom.xml): {@code ai-user} and {@code staff} grant ai-user, {@code tenant-auditors} auditor,
 * {@code compliance} auditor-all-tenants, {@code warden-admins} admin, {@code warden-key-delegates}
 * key-delegate; {@code admin} grants nothing.
 */
final class TestJwts {

  static final String ISSUER = "https://issuer.warden-it.example";

  private final PrivateKey key;

  private TestJwts(PrivateKey key) {
    this.key = key;
  }

  /** A new key pair whose public half the server now verifies with. */
  static TestJwts install() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    KeyPair pair = g.generateKeyPair();
    // the client JVM is told it.jwt.dir; inside the server the location itself is a property
    String location = System.getProperty("mp.jwt.verify.publickey.location");
    Path file =
        System.getProperty("it.jwt.dir") == null && location != null
            ? Path.of(location)
            : Path.of(System.getProperty("it.jwt.dir", "target/it-jwt"), "public.pem");
    Files.createDirectories(file.getParent());
    Files.writeString(
        file,
        "-----BEGIN PUBLIC KEY-----\n"
            + Base64.getMimeEncoder().encodeToString(pair.getPublic().getEncoded())
            + "\n-----END PUBLIC KEY-----\n");
    return new TestJwts(pair.getPrivate());
  }

  /** {@code Authorization: Bearer <JWT>} for {@code upn} in {@code tenant}, valid 5 minutes. */
  String bearer(String upn, String tenant, String... groups) throws Exception {
    JwtClaims claims = new JwtClaims();
    claims.setIssuer(ISSUER);
    claims.setAudience("warden");
    claims.setClaim("upn", upn);
    claims.setSubject(upn);
    claims.setStringListClaim("groups", List.of(groups));
    claims.setClaim("tenant", tenant);
    claims.setIssuedAtToNow();
    claims.setExpirationTimeMinutesInTheFuture(5);
    JsonWebSignature jws = new JsonWebSignature();
    jws.setPayload(claims.toJson());
    jws.setKey(key);
    jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
    return "Bearer " + jws.getCompactSerialization();
  }
}
