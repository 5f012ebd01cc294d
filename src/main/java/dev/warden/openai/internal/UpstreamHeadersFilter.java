package dev.warden.openai.internal;

import dev.warden.openai.OpenAiSettings;
import dev.warden.openai.credential.CredentialProvider;
import dev.warden.openai.credential.UpstreamCredential;
import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientRequestFilter;
import java.net.URI;
import java.util.function.BiConsumer;

/**
 * Adds the credential (fetched per request, so rotation needs no restart), the organization and
 * project headers, and Warden's user agent to every upstream request.
 */
public final class UpstreamHeadersFilter implements ClientRequestFilter {

  static final String USER_AGENT = "warden/0.1";

  private final CredentialProvider credentials;
  private final String organization;
  private final String project;
  private final String query;

  public UpstreamHeadersFilter(CredentialProvider credentials, OpenAiSettings settings) {
    this(credentials, settings.organization(), settings.project(), "");
  }

  /**
   * For any upstream: {@code query} (e.g. Azure OpenAI's {@code api-version=...}, empty for none)
   * is appended to every request's URI.
   */
  public UpstreamHeadersFilter(
      CredentialProvider credentials, String organization, String project, String query) {
    this.credentials = credentials;
    this.organization = organization;
    this.project = project;
    this.query = query;
  }

  @Override
  public void filter(ClientRequestContext request) {
    apply((name, value) -> request.getHeaders().putSingle(name, value));
    if (!query.isEmpty()) {
      URI uri = request.getUri();
      String existing = uri.getRawQuery();
      String raw = uri.toString();
      int cut = raw.indexOf('?');
      request.setUri(
          URI.create(
              (cut < 0 ? raw : raw.substring(0, cut))
                  + "?"
                  + (existing == null || existing.isEmpty() ? query : existing + "&" + query)));
    }
  }

  /** Hands every header to {@code header}; also used for requests sent outside the REST client. */
  public void apply(BiConsumer<String, String> header) {
    UpstreamCredential credential = credentials.credential();
    if (credential != null) { // an OpenAI-compatible server without a key
      header.accept(credential.header(), credential.value());
    }
    if (organization != null) {
      header.accept("OpenAI-Organization", organization);
    }
    if (project != null) {
      header.accept("OpenAI-Project", project);
    }
    header.accept("User-Agent", USER_AGENT);
  }
}
