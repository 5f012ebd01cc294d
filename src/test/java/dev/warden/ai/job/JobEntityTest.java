package dev.warden.ai.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class JobEntityTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void aJobFollowsTheUpstreamUntilItEndsAndThenNeverChanges() {
    JobEntity job = new JobEntity("job_1", "alice", "o3", "resp_1", null, T0);
    assertEquals("queued", job.view().status());
    assertFalse(job.view().done());

    assertTrue(job.update("in_progress", 10, 0, null, T0.plusSeconds(1)));
    assertTrue(job.update("completed", 12, 30, null, T0.plusSeconds(2)));
    assertFalse(job.update("in_progress", 0, 0, null, T0.plusSeconds(3)), "an ended job stays");

    Job v = job.view();
    assertEquals("completed", v.status());
    assertTrue(v.done());
    assertEquals(12, v.tokensInput());
    assertEquals(30, v.tokensOutput());
    assertEquals(T0.plusSeconds(2), v.updatedAt());
    assertTrue(job.ownedBy("alice"));
    assertFalse(job.ownedBy("bob"));
  }
}
