package dev.warden.openai.model;

import jakarta.json.bind.annotation.JsonbProperty;

/**
 * The {@code reasoning} configuration of reasoning models: {@code effort} ({@code none}, {@code
 * minimal}, {@code low}, {@code medium}, {@code high}, {@code xhigh}) and {@code summary} ({@code
 * auto}, {@code concise}, {@code detailed}).
 */
public record ReasoningConfig(
    @JsonbProperty("effort") String effort, @JsonbProperty("summary") String summary) {
  /** A configuration with only an effort. */
  public static ReasoningConfig effort(String effort) {
    return new ReasoningConfig(effort, null);
  }
}
