package dev.warden.openai.model;

import jakarta.json.JsonValue;
import jakarta.json.bind.annotation.JsonbProperty;

/**
 * One content part of a Responses item: {@code input_text} / {@code output_text} ({@code text},
 * plus {@code annotations} and {@code logprobs} on output), {@code input_image} ({@code image_url}
 * or {@code file_id}, {@code detail}), {@code input_file} ({@code file_id}, {@code file_url} or
 * {@code file_data} with {@code filename}), {@code refusal} ({@code refusal}), {@code
 * reasoning_text}, and so on.
 */
public record ResponseContent(
    @JsonbProperty("type") String type,
    @JsonbProperty("text") String text,
    @JsonbProperty("annotations") JsonValue annotations,
    @JsonbProperty("logprobs") JsonValue logprobs,
    @JsonbProperty("image_url") String imageUrl,
    @JsonbProperty("file_id") String fileId,
    @JsonbProperty("detail") String detail,
    @JsonbProperty("refusal") String refusal,
    @JsonbProperty("file_url") String fileUrl,
    @JsonbProperty("file_data") String fileData,
    @JsonbProperty("filename") String filename,
    @JsonbProperty("prompt_cache_breakpoint") JsonValue promptCacheBreakpoint) {
  public ResponseContent {
    annotations = Copies.json(annotations);
    logprobs = Copies.json(logprobs);
    promptCacheBreakpoint = Copies.json(promptCacheBreakpoint);
  }

  /** An {@code input_text} part. */
  public static ResponseContent inputText(String text) {
    return new ResponseContent(
        "input_text", text, null, null, null, null, null, null, null, null, null, null);
  }

  /** An {@code output_text} part (an earlier assistant turn), without annotations. */
  public static ResponseContent outputText(String text) {
    return new ResponseContent(
        "output_text",
        text,
        JsonValue.EMPTY_JSON_ARRAY,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null);
  }

  /** An {@code input_image} part from an https or {@code data:} URL, with {@code detail} auto. */
  public static ResponseContent inputImage(String imageUrl) {
    return new ResponseContent(
        "input_image", null, null, null, imageUrl, null, "auto", null, null, null, null, null);
  }

  /** An {@code input_file} part referring to an uploaded file. */
  public static ResponseContent inputFile(String fileId) {
    return new ResponseContent(
        "input_file", null, null, null, null, fileId, null, null, null, null, null, null);
  }

  /** A {@code refusal} part. */
  public static ResponseContent refusal(String refusal) {
    return new ResponseContent(
        "refusal", null, null, null, null, null, null, refusal, null, null, null, null);
  }
}
