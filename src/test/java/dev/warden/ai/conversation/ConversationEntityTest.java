package dev.warden.ai.conversation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class ConversationEntityTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void theChainAdvancesOnlyFromItsCurrentHeadAndTruncationSticks() {
    ConversationEntity c = new ConversationEntity("conv_1", "alice", "gpt-4o-mini", false, T0);

    assertTrue(c.advance(null, "resp_1", false, 40, false, T0.plusSeconds(1)));
    assertFalse(
        c.advance(null, "resp_x", false, 50, false, T0.plusSeconds(2)), "a stale head is refused");
    assertTrue(c.advance("resp_1", "resp_2", true, 90, false, T0.plusSeconds(3)));
    assertTrue(c.advance("resp_2", "resp_3", false, 30, true, T0.plusSeconds(4)));

    Conversation v = c.view();
    assertEquals("resp_3", v.lastResponseId());
    assertEquals(3, v.turns());
    assertTrue(v.truncating());
    assertEquals(30, v.contextTokens(), "the context the last turn left");
    assertEquals(1, v.summaries());
    assertEquals(T0.plusSeconds(4), v.updatedAt());
    assertTrue(c.ownedBy("alice"));
    assertFalse(c.ownedBy("bob"));
  }
}
