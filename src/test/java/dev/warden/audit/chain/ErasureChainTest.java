package dev.warden.audit.chain;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.crypto.AssociatedData;
import dev.warden.crypto.InMemorySubjectKeyStore;
import dev.warden.crypto.Keysets;
import dev.warden.crypto.MasterKeyset;
import dev.warden.crypto.SubjectErasedException;
import dev.warden.crypto.SubjectKeys;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Crypto-shredding end to end: erased records stay in the chain, verifiable and unreadable. */
class ErasureChainTest {

  @Test
  void erasingASubjectKeepsTheChainVerifiableButTheirFieldsUnreadable() {
    MasterKeyset master = MasterKeyset.of(Keysets.generateAead());
    InMemorySubjectKeyStore store = new InMemorySubjectKeyStore();
    SubjectKeys keys =
        new SubjectKeys(master, store, 100, Duration.ofMinutes(5), Clock.systemUTC());
    CheckpointSigner signer = CheckpointSigner.of(Keysets.generateMac());
    InMemoryChain chain = new InMemoryChain();

    String[] subjects = {"alice", "bob", "alice", "carol", "alice"};
    List<byte[]> storedPrompts = new java.util.ArrayList<>();
    for (int i = 0; i < subjects.length; i++) {
      String id = "rec-" + i;
      byte[] prompt =
          keys.encrypt(
              subjects[i],
              ("prompt of " + subjects[i]).getBytes(UTF_8),
              AssociatedData.forField("audit_record", "prompt", id));
      storedPrompts.add(prompt); // the column the lead's entity holds
      chain.append(
          id,
          CanonicalRecord.builder()
              .string("id", id)
              .string("subject", subjects[i])
              .bytes("prompt_ct", prompt)
              .build());
    }
    chain.checkpoint(signer, java.time.Instant.now());

    keys.erase("alice");

    List<ChainRecord> records = chain.records();
    assertThat(new ChainVerifier(signer).verify(records, chain.checkpoints()).intact()).isTrue();
    for (int i = 0; i < records.size(); i++) {
      ChainRecord r = records.get(i);
      byte[] ct = storedPrompts.get(i);
      byte[] ad = AssociatedData.forField("audit_record", "prompt", r.recordId());
      if (subjects[i].equals("alice")) {
        assertThatThrownBy(() -> keys.decrypt("alice", ct, ad))
            .isInstanceOf(SubjectErasedException.class);
      } else {
        assertThat(new String(keys.decrypt(subjects[i], ct, ad), UTF_8))
            .isEqualTo("prompt of " + subjects[i]);
      }
    }
  }
}
