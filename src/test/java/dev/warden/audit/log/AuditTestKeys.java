package dev.warden.audit.log;

import static dev.warden.audit.log.AuditRecords.REQUEST;

import dev.warden.crypto.InMemorySubjectKeyStore;
import dev.warden.crypto.Keysets;
import dev.warden.crypto.MasterKeyset;
import dev.warden.crypto.SubjectKeys;
import dev.warden.crypto.SubjectPseudonyms;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

/** Fresh in-memory keys of one deployment, and a record factory on them, for unit tests. */
final class AuditTestKeys {
  /** A fixed instant with nanoseconds, which records keep to the microsecond. */
  static final Instant NOW = Instant.parse("2025-03-04T05:06:07.123456789Z");

  final MasterKeyset master = MasterKeyset.of(Keysets.generateAead());

  /** The wrapped keys, as the database all servers share holds them. */
  final InMemorySubjectKeyStore store = new InMemorySubjectKeyStore();

  final SubjectKeys keys = otherServersKeys();
  final SubjectPseudonyms pseudonyms = SubjectPseudonyms.of(Keysets.generatePseudonymKey());
  final AuditRecordFactory records =
      new AuditRecordFactory(keys, pseudonyms, Clock.fixed(NOW, ZoneOffset.UTC));

  /** The subject keys of another server on the same database (a cache of its own). */
  SubjectKeys otherServersKeys() {
    return new SubjectKeys(master, store, 100, Duration.ofMinutes(5), Clock.systemUTC());
  }

  /** The plaintext of {@code column} of {@code r}, decrypted under its key subject. */
  String decrypt(AuditRecord r, String column, byte[] ciphertext) {
    return new String(
        keys.decrypt(r.keySubject, ciphertext, AuditRecords.associatedData(column, r.recordId)),
        StandardCharsets.UTF_8);
  }

  /** The decrypted request column of {@code r}. */
  String request(AuditRecord r) {
    return decrypt(r, REQUEST, r.requestEnc);
  }
}
