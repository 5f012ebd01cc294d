package dev.warden.openai.model;

import jakarta.json.bind.annotation.JsonbProperty;

/**
 * The Responses {@code text} configuration: the output {@code format} and the {@code verbosity}
 * ({@code low}, {@code medium}, {@code high}).
 */
public record ResponseTextConfig(
    @JsonbProperty("format") ResponseTextFormat format,
    @JsonbProperty("verbosity") String verbosity) {
  /** A configuration with only a format. */
  public static ResponseTextConfig of(ResponseTextFormat format) {
    return new ResponseTextConfig(format, null);
  }
}
