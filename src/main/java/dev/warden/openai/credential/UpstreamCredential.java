package dev.warden.openai.credential;

/**
 * One HTTP header that authenticates Warden to the upstream, e.g. {@code Authorization: Bearer
 * sk-...} for OpenAI or {@code api-key: ...} for Azure OpenAI. {@link #toString()} never shows the
 * value.
 */
public record UpstreamCredential(String header, String value) {

  public static UpstreamCredential bearer(String token) {
    return new UpstreamCredential("Authorization", "Bearer " + token);
  }

  @Override
  public String toString() {
    return "UpstreamCredential[header=" + header + ", value=***]";
  }
}
