package dev.warden.mock;

import com.github.tomakehurst.wiremock.http.Request;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** The Files API, in memory: upload (multipart), list, retrieve, delete, content. */
final class FilesApi {
  static final Set<String> PURPOSES =
      Set.of(
          "assistants",
          "assistants_output",
          "batch",
          "batch_output",
          "fine-tune",
          "fine-tune-results",
          "vision",
          "user_data",
          "evals");

  /** A stored file and its bytes. */
  static final class StoredFile {
    final String id;
    final String filename;
    final String purpose;
    final long createdAt;
    final long sequence;
    private final byte[] bytes;

    StoredFile(
        String id, String filename, String purpose, long createdAt, long sequence, byte[] bytes) {
      this.id = id;
      this.filename = filename;
      this.purpose = purpose;
      this.createdAt = createdAt;
      this.sequence = sequence;
      this.bytes = bytes.clone();
    }

    byte[] bytes() {
      return bytes.clone();
    }

    String text() {
      return new String(bytes, StandardCharsets.UTF_8);
    }

    JsonObject toJson() {
      return JsonSupport.JSON
          .createObjectBuilder()
          .add("id", id)
          .add("object", "file")
          .add("bytes", bytes.length)
          .add("created_at", createdAt)
          .addNull("expires_at")
          .add("filename", filename)
          .add("purpose", purpose)
          .add("status", "processed")
          .addNull("status_details")
          .build();
    }
  }

  private final Map<String, StoredFile> files = new ConcurrentHashMap<>();
  private final AtomicLong sequence = new AtomicLong();

  void clear() {
    files.clear();
  }

  /** {@code POST /v1/files} with multipart fields {@code purpose} and {@code file}. */
  JsonObject upload(Request request) {
    if (!request.isMultipart()) {
      throw ApiException.invalid(
          null,
          "Invalid Content-Type header: expected multipart/form-data with 'file' and 'purpose'.");
    }
    Request.Part purposePart = request.getPart("purpose");
    Request.Part filePart = request.getPart("file");
    if (purposePart == null) {
      throw ApiException.invalid(
          "purpose", "Missing required parameter: 'purpose'.", "missing_required_parameter");
    }
    if (filePart == null) {
      throw ApiException.invalid(
          "file", "Missing required parameter: 'file'.", "missing_required_parameter");
    }
    String purpose = purposePart.getBody().asString().trim();
    if (!PURPOSES.contains(purpose)) {
      throw ApiException.invalid(
          "purpose", "Invalid value for 'purpose': '" + purpose + "'.", "invalid_value");
    }
    String filename = filePart.getFileName();
    if (filename == null || filename.isBlank()) {
      filename = "upload";
    }
    return put(filename, purpose, filePart.getBody().asBytes()).toJson();
  }

  StoredFile put(String filename, String purpose, byte[] bytes) {
    StoredFile file =
        new StoredFile(
            JsonSupport.alnumId("file-", 22),
            filename,
            purpose,
            JsonSupport.now(),
            sequence.incrementAndGet(),
            bytes);
    files.put(file.id, file);
    return file;
  }

  StoredFile get(String id) {
    return files.get(id);
  }

  StoredFile find(String id) {
    StoredFile file = files.get(id);
    if (file == null) {
      throw ApiException.notFound("file_id", "No such File object: " + id);
    }
    return file;
  }

  JsonObject retrieve(String id) {
    return find(id).toJson();
  }

  JsonObject delete(String id) {
    if (files.remove(id) == null) {
      throw ApiException.notFound("file_id", "No such File object: " + id);
    }
    return JsonSupport.JSON
        .createObjectBuilder()
        .add("id", id)
        .add("object", "file")
        .add("deleted", true)
        .build();
  }

  /**
   * {@code GET /v1/files}: newest first by default; {@code purpose}, {@code limit}, {@code after}.
   */
  JsonObject list(String purpose, Integer limit, String order, String after) {
    List<StoredFile> all = new ArrayList<>(files.values());
    all.removeIf(f -> purpose != null && !purpose.equals(f.purpose));
    Comparator<StoredFile> bySequence = Comparator.comparingLong(f -> f.sequence);
    all.sort("asc".equals(order) ? bySequence : bySequence.reversed());
    int start = 0;
    if (after != null) {
      for (int i = 0; i < all.size(); i++) {
        if (all.get(i).id.equals(after)) {
          start = i + 1;
        }
      }
    }
    int end = limit == null ? all.size() : Math.min(all.size(), start + Math.max(1, limit));
    JsonArrayBuilder data = JsonSupport.JSON.createArrayBuilder();
    for (int i = start; i < end; i++) {
      data.add(all.get(i).toJson());
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
}
