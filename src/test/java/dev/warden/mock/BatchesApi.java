package dev.warden.mock;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Batch API. Each {@code GET /v1/batches/{id}} advances a batch one step: {@code validating →
 * in_progress} (or {@code failed} when the input file is invalid) {@code → completed}; on
 * completion every input line has been run through the mock's own endpoint logic and the output
 * (and, when some lines failed, error) file is stored.
 */
final class BatchesApi {
  static final Set<String> ENDPOINTS =
      Set.of("/v1/chat/completions", "/v1/embeddings", "/v1/responses");

  /** Runs one batch line: the endpoint's logic for {@code url} with {@code body}. */
  interface LineRunner {
    JsonObject run(String url, JsonObject body);
  }

  private final Map<String, Batch> batches = new ConcurrentHashMap<>();
  private final AtomicLong sequence = new AtomicLong();
  private final FilesApi files;
  private final LineRunner runner;

  BatchesApi(FilesApi files, LineRunner runner) {
    this.files = files;
    this.runner = runner;
  }

  void clear() {
    batches.clear();
  }

  JsonObject create(JsonObject body) {
    String inputFileId = JsonSupport.string(body, "input_file_id");
    String endpoint = JsonSupport.string(body, "endpoint");
    String window = JsonSupport.string(body, "completion_window");
    if (inputFileId == null) {
      throw ApiException.invalid(
          "input_file_id",
          "Missing required parameter: 'input_file_id'.",
          "missing_required_parameter");
    }
    if (endpoint == null) {
      throw ApiException.invalid(
          "endpoint", "Missing required parameter: 'endpoint'.", "missing_required_parameter");
    }
    if (window == null) {
      throw ApiException.invalid(
          "completion_window",
          "Missing required parameter: 'completion_window'.",
          "missing_required_parameter");
    }
    if (!ENDPOINTS.contains(endpoint)) {
      throw ApiException.invalid(
          "endpoint",
          "Invalid value for 'endpoint': '"
              + endpoint
              + "'. The mock supports "
              + "'/v1/chat/completions', '/v1/embeddings' and '/v1/responses'.",
          "invalid_value");
    }
    if (!"24h".equals(window)) {
      throw ApiException.invalid(
          "completion_window",
          "Invalid value for 'completion_window': '" + window + "'. Supported values are: '24h'.",
          "invalid_value");
    }
    FilesApi.StoredFile input = files.get(inputFileId);
    if (input == null) {
      throw ApiException.invalid(
          "input_file_id",
          "Invalid 'input_file_id': '" + inputFileId + "'. Unable to find the file.",
          "invalid_value");
    }
    Batch batch = new Batch();
    batch.id = JsonSupport.hexId("batch_", 32);
    batch.sequence = sequence.incrementAndGet();
    batch.endpoint = endpoint;
    batch.inputFileId = inputFileId;
    batch.window = window;
    batch.metadata = JsonSupport.valueOr(body, "metadata", JsonValue.NULL);
    batch.createdAt = JsonSupport.now();
    batch.expiresAt = batch.createdAt + 24 * 3600;
    batch.status = "validating";
    batches.put(batch.id, batch);
    return batch.toJson();
  }

  /** {@code GET /v1/batches/{id}}: returns the batch after advancing it one step. */
  JsonObject retrieve(String id) {
    Batch batch = find(id);
    synchronized (batch) {
      advance(batch);
      return batch.toJson();
    }
  }

  JsonObject cancel(String id) {
    Batch batch = find(id);
    synchronized (batch) {
      switch (batch.status) {
        case "validating":
        case "in_progress":
        case "finalizing":
          batch.status = "cancelling";
          batch.cancellingAt = JsonSupport.now();
          break;
        case "cancelling":
        case "cancelled":
          break;
        default:
          throw ApiException.invalid(
              null, "Cannot cancel a batch with status '" + batch.status + "'.");
      }
      return batch.toJson();
    }
  }

  /** {@code GET /v1/batches}: newest first, with {@code limit} (default 20) and {@code after}. */
  JsonObject list(Integer limit, String after) {
    List<Batch> all = new ArrayList<>(batches.values());
    all.sort(Comparator.comparingLong((Batch b) -> b.sequence).reversed());
    int start = 0;
    if (after != null) {
      for (int i = 0; i < all.size(); i++) {
        if (all.get(i).id.equals(after)) {
          start = i + 1;
        }
      }
    }
    int pageSize = limit == null ? 20 : Math.max(1, Math.min(100, limit));
    int end = Math.min(all.size(), start + pageSize);
    JsonArrayBuilder data = JsonSupport.JSON.createArrayBuilder();
    for (int i = start; i < end; i++) {
      Batch b = all.get(i);
      synchronized (b) {
        data.add(b.toJson());
      }
    }
    JsonObjectBuilder list =
        JsonSupport.JSON.createObjectBuilder().add("object", "list").add("data", data);
    if (end > start) {
      list.add("first_id", all.get(start).id).add("last_id", all.get(end - 1).id);
    } else {
      list.addNull("first_id").addNull("last_id");
    }
    return list.add("has_more", end < all.size()).build();
  }

  private Batch find(String id) {
    Batch batch = batches.get(id);
    if (batch == null) {
      throw ApiException.notFound("batch_id", "No batch found with id '" + id + "'.");
    }
    return batch;
  }

  // ---- lifecycle -------------------------------------------------------------------------

  private void advance(Batch batch) {
    switch (batch.status) {
      case "validating":
        validate(batch);
        break;
      case "in_progress":
        run(batch);
        break;
      case "cancelling":
        batch.status = "cancelled";
        batch.cancelledAt = JsonSupport.now();
        break;
      default:
        break;
    }
  }

  /** One parsed input line. */
  private record Line(String customId, String url, JsonObject body) {}

  private void validate(Batch batch) {
    FilesApi.StoredFile input = files.get(batch.inputFileId);
    List<JsonObject> errors = new ArrayList<>();
    List<Line> lines = new ArrayList<>();
    if (input == null) {
      errors.add(batchError("file_not_found", "The input file no longer exists.", null, null));
    } else {
      Set<String> ids = new HashSet<>();
      String[] raw = input.text().split("\r?\n");
      for (int i = 0; i < raw.length; i++) {
        if (raw[i].isBlank()) {
          continue;
        }
        int lineNo = i + 1;
        JsonObject line = JsonSupport.parseObjectOrNull(raw[i]);
        if (line == null) {
          errors.add(
              batchError(
                  "invalid_json_line", "This line is not parseable as valid JSON.", null, lineNo));
          continue;
        }
        String customId = JsonSupport.string(line, "custom_id");
        String method = JsonSupport.string(line, "method");
        String url = JsonSupport.string(line, "url");
        JsonObject body = JsonSupport.object(line, "body");
        if (customId == null) {
          errors.add(
              batchError(
                  "missing_required_parameter", "Missing 'custom_id'.", "custom_id", lineNo));
        } else if (!ids.add(customId)) {
          errors.add(
              batchError(
                  "duplicate_custom_id",
                  "The custom_id '" + customId + "' is duplicated.",
                  "custom_id",
                  lineNo));
        } else if (!"POST".equals(method)) {
          errors.add(batchError("invalid_method", "The method must be 'POST'.", "method", lineNo));
        } else if (!batch.endpoint.equals(url)) {
          errors.add(
              batchError(
                  "mismatched_endpoint",
                  "The URL provided for this request does not match the batch endpoint.",
                  "url",
                  lineNo));
        } else if (body == null) {
          errors.add(batchError("missing_required_parameter", "Missing 'body'.", "body", lineNo));
        } else {
          lines.add(new Line(customId, url, body));
        }
      }
      if (lines.isEmpty() && errors.isEmpty()) {
        errors.add(batchError("empty_file", "The input file is empty.", null, null));
      }
    }
    if (!errors.isEmpty()) {
      JsonArrayBuilder data = JsonSupport.JSON.createArrayBuilder();
      errors.forEach(data::add);
      batch.errors =
          JsonSupport.JSON.createObjectBuilder().add("object", "list").add("data", data).build();
      batch.status = "failed";
      batch.failedAt = JsonSupport.now();
      return;
    }
    batch.lines = lines;
    batch.total = lines.size();
    batch.status = "in_progress";
    batch.inProgressAt = JsonSupport.now();
  }

  private void run(Batch batch) {
    StringBuilder output = new StringBuilder();
    StringBuilder errorOutput = new StringBuilder();
    long inputTokens = 0;
    long outputTokens = 0;
    long reasoningTokens = 0;
    batch.finalizingAt = JsonSupport.now();
    for (Line line : batch.lines) {
      int status;
      JsonObject responseBody;
      try {
        if (JsonSupport.bool(line.body(), "stream", false)) {
          throw ApiException.invalid(
              "stream", "Streaming is not supported in batches.", "invalid_value");
        }
        responseBody = runner.run(line.url(), line.body());
        status = 200;
        if (batch.model == null) {
          batch.model = JsonSupport.string(responseBody, "model");
        }
        JsonObject usage = JsonSupport.object(responseBody, "usage");
        inputTokens += intOf(usage, "prompt_tokens") + intOf(usage, "input_tokens");
        outputTokens += intOf(usage, "completion_tokens") + intOf(usage, "output_tokens");
        reasoningTokens +=
            intOf(JsonSupport.object(usage, "completion_tokens_details"), "reasoning_tokens")
                + intOf(JsonSupport.object(usage, "output_tokens_details"), "reasoning_tokens");
      } catch (ApiException e) {
        status = e.status();
        responseBody = e.toJson();
      }
      JsonObject result =
          JsonSupport.JSON
              .createObjectBuilder()
              .add("id", JsonSupport.hexId("batch_req_", 32))
              .add("custom_id", line.customId())
              .add(
                  "response",
                  JsonSupport.JSON
                      .createObjectBuilder()
                      .add("status_code", status)
                      .add("request_id", JsonSupport.hexId("req_", 32))
                      .add("body", responseBody))
              .addNull("error")
              .build();
      if (status == 200) {
        batch.completed++;
        output.append(result).append('\n');
      } else {
        batch.failed++;
        errorOutput.append(result).append('\n');
      }
    }
    batch.outputFileId =
        files.put(
                "batch_" + batch.id + "_output.jsonl",
                "batch_output",
                output.toString().getBytes(StandardCharsets.UTF_8))
            .id;
    if (batch.failed > 0) {
      batch.errorFileId =
          files.put(
                  "batch_" + batch.id + "_error.jsonl",
                  "batch_output",
                  errorOutput.toString().getBytes(StandardCharsets.UTF_8))
              .id;
    }
    batch.usage =
        JsonSupport.JSON
            .createObjectBuilder()
            .add("input_tokens", inputTokens)
            .add(
                "input_tokens_details",
                JsonSupport.JSON.createObjectBuilder().add("cached_tokens", 0))
            .add("output_tokens", outputTokens)
            .add(
                "output_tokens_details",
                JsonSupport.JSON.createObjectBuilder().add("reasoning_tokens", reasoningTokens))
            .add("total_tokens", inputTokens + outputTokens)
            .build();
    batch.lines = null;
    batch.status = "completed";
    batch.completedAt = JsonSupport.now();
  }

  private static long intOf(JsonObject o, String key) {
    JsonValue v = o == null ? null : o.get(key);
    return v instanceof JsonNumber ? ((JsonNumber) v).longValue() : 0;
  }

  private static JsonObject batchError(String code, String message, String param, Integer line) {
    JsonObjectBuilder b =
        JsonSupport.JSON.createObjectBuilder().add("code", code).add("message", message);
    JsonSupport.addNullable(b, "param", param);
    if (line == null) {
      b.addNull("line");
    } else {
      b.add("line", line);
    }
    return b.build();
  }

  /** A batch's mutable state; guarded by its own monitor. */
  private static final class Batch {
    String id;
    long sequence;
    String endpoint;
    String inputFileId;
    String window;
    String model;
    JsonValue metadata;
    JsonValue errors = JsonValue.NULL;
    JsonValue usage;
    String status;
    long createdAt;
    long expiresAt;
    Long inProgressAt;
    Long finalizingAt;
    Long completedAt;
    Long failedAt;
    Long cancellingAt;
    Long cancelledAt;
    String outputFileId;
    String errorFileId;
    int total;
    int completed;
    int failed;
    List<Line> lines;

    JsonObject toJson() {
      JsonObjectBuilder b =
          JsonSupport.JSON
              .createObjectBuilder()
              .add("id", id)
              .add("object", "batch")
              .add("endpoint", endpoint);
      if (model != null) {
        b.add("model", model);
      }
      b.add("errors", errors)
          .add("input_file_id", inputFileId)
          .add("completion_window", window)
          .add("status", status)
          .add("output_file_id", JsonSupport.stringOrNull(outputFileId))
          .add("error_file_id", JsonSupport.stringOrNull(errorFileId))
          .add("created_at", createdAt)
          .add("in_progress_at", JsonSupport.longOrNull(inProgressAt))
          .add("expires_at", expiresAt)
          .add("finalizing_at", JsonSupport.longOrNull(finalizingAt))
          .add("completed_at", JsonSupport.longOrNull(completedAt))
          .add("failed_at", JsonSupport.longOrNull(failedAt))
          .addNull("expired_at")
          .add("cancelling_at", JsonSupport.longOrNull(cancellingAt))
          .add("cancelled_at", JsonSupport.longOrNull(cancelledAt))
          .add(
              "request_counts",
              JsonSupport.JSON
                  .createObjectBuilder()
                  .add("total", total)
                  .add("completed", completed)
                  .add("failed", failed));
      if (usage != null) {
        b.add("usage", usage);
      }
      return b.add("metadata", metadata).build();
    }
  }
}
