package dev.warden.openai.model;

import jakarta.json.JsonValue;
import jakarta.json.bind.annotation.JsonbProperty;

/**
 * One part of an array-form chat message content: {@code text} ({@code text}), {@code image_url}
 * ({@code image_url}), {@code input_audio} ({@code input_audio}), {@code file} ({@code file}) or,
 * in assistant messages, {@code refusal} ({@code refusal}). Only the fields of its {@code type} are
 * set.
 */
public record ContentPart(
    @JsonbProperty("type") String type,
    @JsonbProperty("text") String text,
    @JsonbProperty("image_url") ImageUrl imageUrl,
    @JsonbProperty("input_audio") InputAudio inputAudio,
    @JsonbProperty("file") FileInput file,
    @JsonbProperty("refusal") String refusal,
    @JsonbProperty("prompt_cache_breakpoint") JsonValue promptCacheBreakpoint) {
  public ContentPart {
    promptCacheBreakpoint = Copies.json(promptCacheBreakpoint);
  }

  /** A {@code text} part. */
  public static ContentPart text(String text) {
    return new ContentPart("text", text, null, null, null, null, null);
  }

  /** An {@code image_url} part (an https URL or a {@code data:} URL). */
  public static ContentPart imageUrl(String url) {
    return imageUrl(url, null);
  }

  /**
   * An {@code image_url} part with a {@code detail} of {@code auto}, {@code low} or {@code high}.
   */
  public static ContentPart imageUrl(String url, String detail) {
    return new ContentPart("image_url", null, new ImageUrl(url, detail), null, null, null, null);
  }

  /** An {@code input_audio} part: base64 {@code data} in {@code wav} or {@code mp3}. */
  public static ContentPart inputAudio(String data, String format) {
    return new ContentPart(
        "input_audio", null, null, new InputAudio(data, format), null, null, null);
  }

  /** A {@code file} part referring to an uploaded file. */
  public static ContentPart fileId(String fileId) {
    return new ContentPart("file", null, null, null, new FileInput(null, fileId, null), null, null);
  }

  /** A {@code file} part carrying the file itself as base64 data. */
  public static ContentPart fileData(String filename, String fileData) {
    return new ContentPart(
        "file", null, null, null, new FileInput(fileData, null, filename), null, null);
  }

  /** A {@code refusal} part (assistant messages only). */
  public static ContentPart refusal(String refusal) {
    return new ContentPart("refusal", null, null, null, null, refusal, null);
  }

  /** The {@code image_url} of an image part. */
  public record ImageUrl(
      @JsonbProperty("url") String url, @JsonbProperty("detail") String detail) {}

  /** The {@code input_audio} of an audio part. */
  public record InputAudio(
      @JsonbProperty("data") String data, @JsonbProperty("format") String format) {}

  /** The {@code file} of a file part: an uploaded {@code file_id} or inline {@code file_data}. */
  public record FileInput(
      @JsonbProperty("file_data") String fileData,
      @JsonbProperty("file_id") String fileId,
      @JsonbProperty("filename") String filename) {}
}
