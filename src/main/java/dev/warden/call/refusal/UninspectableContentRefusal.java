package dev.warden.call.refusal;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * 400 {@code invalid_request_error}, code {@value #CODE}: the request holds content Warden cannot
 * inspect for personal data (an image, audio or a file, inline or by reference), and the tenant's
 * input policy does not allow that kind. The message names the content types and how many parts of
 * each, never the content. The caller can remove them (or the operator allow them for the tenant);
 * nothing was sent upstream.
 */
public final class UninspectableContentRefusal extends WardenRefusal {
  private static final long serialVersionUID = 1L;

  /** The error code. */
  public static final String CODE = "uninspectable_content";

  private final Map<String, Integer> refused;

  /**
   * A refusal of the parts {@code refused} (part type, such as {@code image_url}, to count) of
   * {@code param} ({@code messages} or {@code input}).
   */
  public UninspectableContentRefusal(Map<String, Integer> refused, String param) {
    super(
        400,
        "invalid_request_error",
        CODE,
        param,
        "Request refused: it contains content Warden cannot inspect for personal data ("
            + describe(refused)
            + "); this tenant may not send it. Send text only; nothing was sent upstream.",
        null,
        null);
    this.refused = Map.copyOf(refused);
  }

  /** The refused parts: their type ({@code image_url}, {@code input_file}, ...) to their count. */
  public Map<String, Integer> refused() {
    return refused;
  }

  private static String describe(Map<String, Integer> refused) {
    Objects.requireNonNull(refused, "refused");
    return new TreeMap<>(refused)
        .entrySet().stream()
            .map(e -> e.getValue() + " " + e.getKey() + (e.getValue() == 1 ? " part" : " parts"))
            .collect(Collectors.joining(", "));
  }
}
