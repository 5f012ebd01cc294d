package dev.warden.pii;

import dev.warden.config.ConfigProducer;
import dev.warden.crypto.AssociatedData;
import dev.warden.crypto.MasterKeyset;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Placeholder vaults that outlive one request, so placeholders stay stable across a conversation:
 * the vault of a stored Responses API response (the next turn names it as {@code
 * previous_response_id}, and {@code GET /v1/responses/{id}} rehydrates with it), the vault of an
 * upstream conversation (its items are restored when they are read), and the vault of a batch input
 * file (its results are rehydrated when they are read).
 *
 * <p>A vault holds PII values, so it is stored only as an AEAD ciphertext under the audit master
 * keyset, the associated data binding the table and the vault's key (a ciphertext moved to another
 * row does not decrypt). Each vault expires after {@code warden.pii.vault.ttl} (default 30 days,
 * OpenAI's retention of stored responses); {@link #purgeExpired()} deletes expired rows, and a
 * vault is deleted with its response.
 */
@ApplicationScoped
public class ConversationVaults {

  /** How long a stored vault lives. */
  public static final String TTL = "warden.pii.vault.ttl";

  private static final String DOMAIN = "warden.pii.vault.v1";

  @PersistenceContext(unitName = "warden")
  EntityManager em;

  @Inject MasterKeyset keyset;
  @Inject Clock clock;

  /** The vault stored for a response, if any (and not expired). */
  @Transactional(TxType.REQUIRES_NEW)
  public Optional<PlaceholderVault> forResponse(String responseId) {
    return load("response:" + responseId);
  }

  /** Stores (or replaces) the vault of a response; an empty vault is not stored. */
  @Transactional(TxType.REQUIRES_NEW)
  public void saveForResponse(String responseId, PlaceholderVault vault) {
    save("response:" + responseId, vault);
  }

  /** Forgets the vault of a deleted response. */
  @Transactional(TxType.REQUIRES_NEW)
  public void deleteForResponse(String responseId) {
    VaultEntity row = em.find(VaultEntity.class, "response:" + responseId);
    if (row != null) {
      em.remove(row);
    }
  }

  /**
   * The vault of an upstream conversation (Conversations API), if any: its items hold the
   * placeholders of every turn and of the items added to it.
   */
  @Transactional(TxType.REQUIRES_NEW)
  public Optional<PlaceholderVault> forConversation(String conversationId) {
    return load("conversation:" + conversationId);
  }

  /** Stores (or replaces) the vault of a conversation; an empty vault is not stored. */
  @Transactional(TxType.REQUIRES_NEW)
  public void saveForConversation(String conversationId, PlaceholderVault vault) {
    save("conversation:" + conversationId, vault);
  }

  /** Forgets the vault of a deleted conversation. */
  @Transactional(TxType.REQUIRES_NEW)
  public void deleteForConversation(String conversationId) {
    VaultEntity row = em.find(VaultEntity.class, "conversation:" + conversationId);
    if (row != null) {
      em.remove(row);
    }
  }

  /** The vault stored for a file (a batch input file, or a batch output file linked to one). */
  @Transactional(TxType.REQUIRES_NEW)
  public Optional<PlaceholderVault> forFile(String fileId) {
    return load("file:" + fileId);
  }

  /** Stores the vault of an uploaded file; an empty vault is not stored. */
  @Transactional(TxType.REQUIRES_NEW)
  public void saveForFile(String fileId, PlaceholderVault vault) {
    save("file:" + fileId, vault);
  }

  /** Forgets the vault of a deleted file. */
  @Transactional(TxType.REQUIRES_NEW)
  public void deleteForFile(String fileId) {
    VaultEntity row = em.find(VaultEntity.class, "file:" + fileId);
    if (row != null) {
      em.remove(row);
    }
  }

  /**
   * Makes the vault of {@code fromFileId} (a batch's input file) also the vault of {@code toFileId}
   * (its output or error file), so the results can be rehydrated; nothing happens when the input
   * file had no vault or the link exists.
   */
  @Transactional(TxType.REQUIRES_NEW)
  public void linkFile(String fromFileId, String toFileId) {
    if (em.find(VaultEntity.class, "file:" + toFileId) != null) {
      return;
    }
    load("file:" + fromFileId).ifPresent(vault -> save("file:" + toFileId, vault));
  }

  /** Deletes every expired vault; returns how many. */
  @Transactional(TxType.REQUIRES_NEW)
  public int purgeExpired() {
    return em.createNamedQuery("VaultEntity.deleteExpired")
        .setParameter("now", clock.instant())
        .executeUpdate();
  }

  private Optional<PlaceholderVault> load(String key) {
    VaultEntity row = em.find(VaultEntity.class, key);
    if (row == null || row.expiresAt.isBefore(clock.instant())) {
      return Optional.empty();
    }
    return Optional.of(PlaceholderVault.fromBytes(keyset.decrypt(row.ciphertext, ad(key))));
  }

  private void save(String key, PlaceholderVault vault) {
    if (vault.isEmpty()) {
      return;
    }
    Instant now = clock.instant();
    byte[] ciphertext = keyset.encrypt(vault.toBytes(), ad(key));
    Instant expires = now.plus(ttl());
    VaultEntity row = em.find(VaultEntity.class, key);
    if (row == null) {
      em.persist(new VaultEntity(key, ciphertext, now, expires));
    } else {
      row.ciphertext = ciphertext;
      row.expiresAt = expires;
    }
  }

  private static Duration ttl() {
    return ConfigProducer.settings().duration(TTL, Duration.ofDays(30));
  }

  private static byte[] ad(String key) {
    return AssociatedData.encode(DOMAIN, "pii_vault", key);
  }
}
