package dev.warden.ai.job;

import dev.warden.ai.OpenAi;
import dev.warden.openai.model.CreateResponseRequest;
import dev.warden.openai.model.ModelResponse;
import dev.warden.openai.model.ResponseInput;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Background jobs for long tasks: a Responses API call submitted with {@code background: true} (and
 * {@code store: true}); the job row (owner, status, token usage) is kept in the database and polled
 * by a managed scheduled executor every {@code warden.jobs.poll-interval} until it ends.
 *
 * <pre>{@code
 * @Inject Jobs jobs;
 * Job job = jobs.submit(user, "o3", "Summarise these 200 pages: ...");
 * jobs.status(job.id(), user);          // queued, in_progress, completed, failed, cancelled
 * jobs.result(job.id(), user);          // the text, once completed
 * jobs.cancel(job.id(), user);
 * }</pre>
 *
 * Every upstream call goes through the pipeline (redaction, audit). Only the owner can read or
 * cancel a job ({@link NoSuchJobException} otherwise, as for a missing one).
 */
@ApplicationScoped
public class Jobs {
  private static final Logger LOG = Logger.getLogger(Jobs.class.getName());

  @Inject OpenAi openAi;
  @Inject JobStore store;

  @Resource(lookup = "java:comp/DefaultManagedScheduledExecutorService")
  ManagedScheduledExecutorService scheduler;

  private ScheduledFuture<?> task;

  void onStart(@Observes @Initialized(ApplicationScoped.class) Object event) {
    long every =
        ConfigProvider.getConfig()
            .getOptionalValue("warden.jobs.poll-interval", String.class)
            .map(Duration::parse)
            .orElse(Duration.ofSeconds(5))
            .toMillis();
    task = scheduler.scheduleWithFixedDelay(this::pollSafely, every, every, TimeUnit.MILLISECONDS);
  }

  @PreDestroy
  void stop() {
    if (task != null) {
      task.cancel(false);
    }
  }

  /** Submits {@code input} to {@code model} as a background response owned by {@code owner}. */
  public Job submit(String owner, String model, String input) {
    if (owner == null || owner.isBlank()) {
      throw new IllegalArgumentException("owner is required");
    }
    ModelResponse response =
        openAi
            .respond(
                CreateResponseRequest.builder()
                    .model(model)
                    .input(ResponseInput.of(input))
                    .background(true)
                    .store(true)
                    .build())
            .body();
    Job job = store.create(owner, model, response.id(), response.status());
    return record(job, response).orElse(job);
  }

  /** {@code owner}'s jobs, newest first, {@code limit} from {@code offset}. */
  public List<Job> list(String owner, int offset, int limit) {
    return store.ofOwner(owner, offset, limit);
  }

  /** The job's current row (as of the last poll). */
  public Job status(String id, String owner) {
    return store.find(id, owner).orElseThrow(() -> new NoSuchJobException(id));
  }

  /**
   * The job's output text once it has completed; empty while it runs (the row is refreshed from the
   * upstream first).
   *
   * @throws NoSuchJobException when {@code owner} owns no job {@code id}
   * @throws IllegalStateException when the job ended without a result (failed, cancelled)
   */
  public Optional<String> result(String id, String owner) {
    Job job = status(id, owner);
    ModelResponse response = openAi.retrieveResponse(job.responseId()).body();
    job = record(job, response).orElse(job);
    if (!job.done()) {
      return Optional.empty();
    }
    if (!"completed".equals(job.status())) {
      throw new IllegalStateException("job " + id + " ended " + job.status() + " without a result");
    }
    return Optional.ofNullable(response.outputText());
  }

  /** Cancels a running job; a job that has ended stays as it is. */
  public Job cancel(String id, String owner) {
    Job job = status(id, owner);
    if (job.done()) {
      return job;
    }
    ModelResponse response = openAi.cancelResponse(job.responseId()).body();
    return record(job, response).orElse(job);
  }

  /** Polls every running job once (the scheduler calls it); returns how many were polled. */
  public int poll() {
    int updated = 0;
    for (Job job : store.running(100)) {
      try {
        ModelResponse response = openAi.retrieveResponse(job.responseId()).body();
        if (record(job, response).isPresent()) {
          updated++;
        }
      } catch (RuntimeException e) {
        LOG.log(
            Level.WARNING,
            "WARDEN0710W: polling job {0} failed: {1}",
            new Object[] {job.id(), e.getClass().getSimpleName()});
      }
    }
    return updated;
  }

  private void pollSafely() {
    try {
      poll();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "WARDEN0711W: polling jobs failed: {0}", e.getClass().getName());
    }
  }

  private Optional<Job> record(Job job, ModelResponse response) {
    long input = 0;
    long output = 0;
    if (response.usage() != null) {
      input = response.usage().inputTokens() == null ? 0 : response.usage().inputTokens();
      output = response.usage().outputTokens() == null ? 0 : response.usage().outputTokens();
    }
    String error = response.error() == null ? null : response.error().code();
    return store.update(job.id(), response.status(), input, output, error);
  }
}
