package dev.warden.guard;

/**
 * One reason an output was rejected.
 *
 * @param location where: a JSON path into the output ({@code $.items[0].sku}), or a tool call
 *     ({@code tool_calls[call_1]}), or a Bean Validation property path
 * @param message what is wrong; names the rule, never the offending value
 */
public record OutputViolation(String location, String message) {
  @Override
  public String toString() {
    return location + ": " + message;
  }
}
