package dev.warden.ai.conversation;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The conversation rows; each method its own short transaction (never across an upstream call). */
@ApplicationScoped
public class ConversationStore {

  @PersistenceContext(unitName = "warden")
  EntityManager em;

  @Inject Clock clock;

  @Transactional(TxType.REQUIRES_NEW)
  public Conversation create(String owner, String model, boolean truncating) {
    ConversationEntity row =
        new ConversationEntity(
            "conv_" + UUID.randomUUID().toString().replace("-", ""),
            owner,
            model,
            truncating,
            clock.instant());
    em.persist(row);
    em.flush();
    return row.view();
  }

  /** The conversation if {@code owner} owns it. */
  @Transactional(TxType.REQUIRES_NEW)
  public Optional<Conversation> find(String id, String owner) {
    ConversationEntity row = id == null ? null : em.find(ConversationEntity.class, id);
    return row == null || !row.ownedBy(owner) ? Optional.empty() : Optional.of(row.view());
  }

  @Transactional(TxType.REQUIRES_NEW)
  public List<Conversation> ofOwner(String owner) {
    return ofOwner(owner, 0, Integer.MAX_VALUE);
  }

  /**
   * {@code owner}'s conversations, most recently updated first, {@code limit} from {@code offset}.
   */
  @Transactional(TxType.REQUIRES_NEW)
  public List<Conversation> ofOwner(String owner, int offset, int limit) {
    return em
        .createQuery(
            "select c from ConversationEntity c where c.owner = :owner"
                + " order by c.updatedAt desc, c.id",
            ConversationEntity.class)
        .setParameter("owner", owner)
        .setFirstResult(offset)
        .setMaxResults(limit)
        .getResultList()
        .stream()
        .map(ConversationEntity::view)
        .toList();
  }

  /**
   * Moves the chain's head from {@code expectedHead} to {@code responseId}, which left {@code
   * contextTokens} of context ({@code summarised}: a new chain started from a summary); false when
   * another turn moved it first (the caller's answer is then not part of the conversation).
   */
  @Transactional(TxType.REQUIRES_NEW)
  public boolean advance(
      String id,
      String expectedHead,
      String responseId,
      boolean truncating,
      int contextTokens,
      boolean summarised) {
    ConversationEntity row = em.find(ConversationEntity.class, id);
    return row != null
        && row.advance(
            expectedHead, responseId, truncating, contextTokens, summarised, clock.instant());
  }

  @Transactional(TxType.REQUIRES_NEW)
  public boolean delete(String id, String owner) {
    ConversationEntity row = em.find(ConversationEntity.class, id);
    if (row == null || !row.ownedBy(owner)) {
      return false;
    }
    em.remove(row);
    return true;
  }
}
