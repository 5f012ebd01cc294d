package dev.warden.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warden.ai.job.Job;
import dev.warden.ai.job.Jobs;
import dev.warden.ai.job.NoSuchJobException;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.util.Optional;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/**
 * Background jobs in the container: a job is submitted with {@code background: true}, kept in the
 * database with its owner, polled until it completes and its result fetched; another user cannot
 * see it; a running job can be cancelled.
 */
class JobIT extends WardenIntegrationTest {

  @Deployment
  static WebArchive deployment() {
    return Deployments.warden();
  }

  @Inject Jobs jobs;

  @Test
  void aJobIsSubmittedPolledAndFetched() {
    Job job = jobs.submit("alice", "gpt-4o-mini", "Summarise the quarterly report");

    JsonObject sent =
        Json.createReader(
                new StringReader(
                    mock.find(MockAdmin.request("POST", "/v1/responses")).get(0).getString("body")))
            .readObject();
    assertTrue(sent.getBoolean("background"));
    assertTrue(sent.getBoolean("store"));
    assertEquals("queued", job.status());
    assertThrows(NoSuchJobException.class, () -> jobs.status(job.id(), "bob"));

    for (int i = 0; i < 5 && !jobs.status(job.id(), "alice").done(); i++) {
      jobs.poll();
    }

    Job done = jobs.status(job.id(), "alice");
    assertEquals("completed", done.status());
    assertTrue(done.tokensInput() > 0 && done.tokensOutput() > 0, done.toString());
    Optional<String> result = jobs.result(job.id(), "alice");
    assertEquals(Optional.of("Mock answer to: Summarise the quarterly report"), result);
  }

  @Test
  void aRunningJobCanBeCancelledByItsOwnerOnly() {
    Job job = jobs.submit("alice", "gpt-4o-mini", "A very long task");

    assertThrows(NoSuchJobException.class, () -> jobs.cancel(job.id(), "bob"));
    Job cancelled = jobs.cancel(job.id(), "alice");

    assertEquals("cancelled", cancelled.status());
    assertTrue(cancelled.done());
    assertThrows(IllegalStateException.class, () -> jobs.result(job.id(), "alice"));
    jobs.poll();
    assertEquals("cancelled", jobs.status(job.id(), "alice").status());
  }
}
