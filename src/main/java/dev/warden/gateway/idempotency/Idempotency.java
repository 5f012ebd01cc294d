package dev.warden.gateway.idempotency;

import dev.warden.audit.log.SealedAnswers;
import dev.warden.call.CallContext;
import dev.warden.call.Caller;
import dev.warden.call.Callers;
import dev.warden.config.ConfigProducer;
import dev.warden.config.Jsonp;
import dev.warden.config.Settings;
import dev.warden.crypto.AssociatedData;
import dev.warden.openai.internal.SharedJsonb;
import dev.warden.openai.model.ErrorBody;
import dev.warden.openai.model.ErrorDetail;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Idempotent replays of {@code /v1} calls, as OpenAI and Stripe do them: a caller's {@value
 * #HEADER} is scoped to the caller (tenant and principal). The first request with a key claims it
 * (in the database, so every server sees the claim) and runs; its successful answer is recorded,
 * sealed under the data key of the call's audit record ({@link SealedAnswers}). The same key with
 * the same request within {@value #WINDOW} gets the recorded answer again, status, body and
 * Warden's headers, plus {@value #REPLAYED}{@code : true}: no upstream call, no charge, an audit
 * record of operation {@value SealedAnswers#REPLAY}. The same key with another request is refused
 * (409 {@value #REUSED}), as is a key whose first request is still running (409 {@value
 * #IN_PROGRESS}).
 *
 * <p>Only successful answers are recorded: a call that fails (any 4xx or 5xx, before or after the
 * upstream answered) releases its key, so the caller's retry runs again. Streams are recorded as
 * the events were relayed and replayed as one event stream; a stream that fails or is cut releases
 * its key.
 */
@ApplicationScoped
public class Idempotency {
  private static final Logger LOG = Logger.getLogger(Idempotency.class.getName());

  /** The request header a caller sets. */
  public static final String HEADER = "Idempotency-Key";

  /** The answer header of a replayed answer. */
  public static final String REPLAYED = "Idempotent-Replayed";

  /** How long a recorded answer is replayed (ISO-8601; {@code PT0S} ignores keys). */
  public static final String WINDOW = "warden.idempotency.window";

  /**
   * How long a claimed key whose request never finished (its server stopped) blocks the key before
   * another request may take it over.
   */
  public static final String LOCK_TIMEOUT = "warden.idempotency.lock-timeout";

  /** The error code of a key reused with another request. */
  public static final String REUSED = "idempotency_key_reused";

  /** The error code of a key whose first request is still running. */
  public static final String IN_PROGRESS = "idempotency_key_in_progress";

  /** The error code of a key that is empty or too long. */
  public static final String INVALID = "invalid_idempotency_key";

  /** The longest key accepted (as OpenAI and Stripe). */
  public static final int MAX_KEY_LENGTH = 255;

  private static final String TABLE = "idempotent_request";

  @Inject IdempotentRequests rows;
  @Inject SealedAnswers answers;
  @Inject Callers callers;
  @Inject Clock clock;

  private Duration window;
  private Duration lockTimeout;

  /** For CDI. */
  public Idempotency() {}

  private synchronized void settings() {
    if (window == null) {
      Settings settings = ConfigProducer.settings();
      window = settings.duration(WINDOW, Duration.ofHours(24));
      lockTimeout = settings.duration(LOCK_TIMEOUT, Duration.ofMinutes(10));
    }
  }

  /**
   * Runs {@code call} under the caller's {@code key}: without a key (or with {@value #WINDOW} zero)
   * as it is, with a null claim; otherwise the recorded answer, a refusal, or {@code call} with the
   * key's claim, which the call completes ({@link Claim#complete}) with its successful answer. A
   * call that throws releases the claim.
   *
   * @param operation the operation, part of what must be the same for a replay
   * @param request the parsed request; its canonical JSON is compared
   * @param subject the data subject the request names ({@code safety_identifier}, else {@code
   *     user}), {@code null} when none
   */
  public Response run(
      String key,
      String operation,
      Object request,
      String subject,
      Function<Claim, Response> call) {
    settings();
    if (key == null || window.isZero()) {
      return call.apply(null);
    }
    if (key.isBlank() || key.length() > MAX_KEY_LENGTH) {
      return refusal(
          400,
          INVALID,
          HEADER + " must be 1 to " + MAX_KEY_LENGTH + " characters and not blank.",
          false);
    }
    Caller caller = callers.current();
    String id = AssociatedData.sha256Hex(caller.tenant(), caller.principal(), key);
    String requestHash =
        AssociatedData.sha256Hex(
            operation, request == null ? "null" : SharedJsonb.JSONB.toJson(request));
    for (int round = 0; round < 3; round++) {
      Instant now = clock.instant();
      Optional<IdempotentRequestEntity> found = rows.find(id);
      if (found.isEmpty()) {
        Claim claim =
            new Claim(
                id, UUID.randomUUID().toString(), answers.keySubject(caller.tenant(), subject));
        if (!insert(
            new IdempotentRequestEntity(
                id, claim.token, requestHash, operation, now, now.plus(window)))) {
          continue; // another request claimed the key just now: look again
        }
        try {
          return call.apply(claim);
        } catch (RuntimeException | Error e) {
          claim.release();
          throw e;
        }
      }
      IdempotentRequestEntity row = found.get();
      boolean expired = !now.isBefore(row.expiresAt);
      boolean abandoned =
          row.state() == IdempotentRequestEntity.State.IN_PROGRESS
              && !now.isBefore(row.createdAt.plus(lockTimeout));
      if (expired || abandoned) {
        rows.delete(id, row.claim);
        continue;
      }
      if (!row.requestHash.equals(requestHash)) {
        return refusal(
            409,
            REUSED,
            "This "
                + HEADER
                + " was already used with a different request. Use a new key for a new request.",
            false);
      }
      if (row.state() == IdempotentRequestEntity.State.IN_PROGRESS) {
        return refusal(
            409,
            IN_PROGRESS,
            "A request with this " + HEADER + " is still in progress. Retry after it has finished.",
            true);
      }
      Optional<Response> replay = replay(row, caller, subject);
      if (replay.isPresent()) {
        return replay.get();
      }
      // the data subject was erased since: the recorded answer is gone, and with it the key
      rows.delete(id, row.claim);
    }
    return refusal(
        409,
        IN_PROGRESS,
        "A request with this " + HEADER + " is still in progress. Retry after it has finished.",
        true);
  }

  /** Inserts the claim; false when another request inserted one for the key first. */
  private boolean insert(IdempotentRequestEntity row) {
    try {
      rows.insert(row);
      return true;
    } catch (RuntimeException e) {
      if (rows.find(row.id).isPresent()) {
        return false; // the primary key: another request claimed the key first
      }
      throw e;
    }
  }

  private Optional<Response> replay(IdempotentRequestEntity row, Caller caller, String subject) {
    Optional<byte[]> plain =
        answers.open(row.keySubject, row.answerEnc, associatedData(row.id, row.claim));
    if (plain.isEmpty()) {
      return Optional.empty();
    }
    JsonObject recorded;
    try (JsonReader reader =
        Jsonp.createReader(new StringReader(new String(plain.get(), StandardCharsets.UTF_8)))) {
      recorded = reader.readObject();
    }
    answers.recordReplay(caller, subject, row.operation, row.requestId);
    LOG.log(
        Level.FINE,
        "WARDEN0840I: replayed the recorded answer of request {0}",
        new Object[] {row.requestId});
    Response.ResponseBuilder response =
        Response.status(recorded.getInt("status"))
            .type(recorded.getString("content_type"))
            .entity(recorded.getString("body"));
    recorded.getJsonObject("headers").forEach((name, value) -> response.header(name, str(value)));
    return Optional.of(response.header(REPLAYED, "true").build());
  }

  private static String str(jakarta.json.JsonValue value) {
    return value instanceof jakarta.json.JsonString s ? s.getString() : value.toString();
  }

  private static Response refusal(int status, String code, String message, boolean retryable) {
    Response.ResponseBuilder response =
        Response.status(status)
            .type(MediaType.APPLICATION_JSON_TYPE)
            .entity(new ErrorBody(new ErrorDetail(message, "invalid_request_error", null, code)))
            .header("x-request-id", CallContext.newRequestId());
    if (retryable) {
      response.header("Retry-After", "1");
    } else {
      response.header("x-should-retry", "false"); // OpenAI SDKs: retrying cannot help
    }
    return response.build();
  }

  private static byte[] associatedData(String id, String claim) {
    return AssociatedData.forField(TABLE, "answer_enc", id + "/" + claim);
  }

  /** The canonical JSON of an answer's body, the same for the first answer and its replays. */
  public static String json(Object body) {
    return SharedJsonb.JSONB.toJson(body);
  }

  /** A key claimed for one request: the request records its answer, or releases the key. */
  public final class Claim {
    private final String id;
    private final String token;
    private final String keySubject;

    private Claim(String id, String token, String keySubject) {
      this.id = id;
      this.token = token;
      this.keySubject = keySubject;
    }

    /**
     * Records the successful answer for replays: its status, content type, the headers named (in
     * order) and the body as sent. Never throws: an answer that cannot be recorded (a database
     * failure) still reaches the caller, and its key is released.
     */
    public void complete(
        int status,
        String contentType,
        Map<String, String> headers,
        String body,
        String requestId) {
      try {
        JsonObjectBuilder names = Jsonp.createObjectBuilder();
        headers.forEach(
            (name, value) -> {
              if (value != null) {
                names.add(name, value);
              }
            });
        byte[] plain =
            Jsonp.createObjectBuilder()
                .add("status", status)
                .add("content_type", contentType)
                .add("headers", names)
                .add("body", body)
                .build()
                .toString()
                .getBytes(StandardCharsets.UTF_8);
        byte[] sealed = answers.seal(keySubject, plain, associatedData(id, token));
        if (!rows.complete(id, token, requestId, keySubject, sealed)) {
          LOG.log(
              Level.INFO,
              "WARDEN0841I: the answer of request {0} was not recorded for replays: its"
                  + " idempotency key was taken over after "
                  + LOCK_TIMEOUT,
              requestId);
        }
      } catch (RuntimeException e) {
        LOG.log(
            Level.WARNING,
            "WARDEN0843W: the answer of request {0} could not be recorded for replays ({1}); its"
                + " idempotency key is released",
            new Object[] {requestId, e.getClass().getName()});
        release();
      }
    }

    /** Frees the key: the request failed, and a retry with the key runs again. */
    public void release() {
      try {
        rows.delete(id, token);
      } catch (RuntimeException e) {
        LOG.log(
            Level.WARNING,
            "WARDEN0842W: an idempotency key could not be released ({0}); it frees itself after "
                + LOCK_TIMEOUT,
            e.getClass().getName());
      }
    }
  }
}
