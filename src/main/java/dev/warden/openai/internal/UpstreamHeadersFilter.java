package dev.warden.openai.internal;

import dev.warden.openai.OpenAiSettings;
import dev.warden.openai.credential.CredentialProvider;
import dev.warden.openai.credential.UpstreamCredential;
import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientRequestFilter;
import java.util.function.BiConsumer;

/**
 * Adds the credential (fetched per request, so rotation needs no restart), the organization and
 * project headers, and Warden's user agent to every upstream request.
 */
public final class UpstreamHeadersFilter implements ClientRequestFilter {

  static final String USER_AGENT = "warden/0.1";

  private final CredentialProvider credentials;
  private final OpenAiSettings settings;

  public UpstreamHeadersFilter(CredentialProvider credentials, OpenAiSettings settings) {
    this.credentials = credentials;
    this.settings = settings;
  }

  @Override
  public void filter(ClientRequestContext request) {
    apply((name, value) -> request.getHeaders().putSingle(name, value));
  }

  /** Hands every header to {@code header}; also used for requests sent outside the REST client. */
  public void apply(BiConsumer<String, String> header) {
    UpstreamCredential credential = credentials.credential();
    header.accept(credential.header(), credential.value());
    if (settings.organization() != null) {
      header.accept("OpenAI-Organization", settings.organization());
    }
    if (settings.project() != null) {
      header.accept("OpenAI-Project", settings.project());
    }
    header.accept("User-Agent", USER_AGENT);
  }
}
