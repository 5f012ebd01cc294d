package dev.warden.openai.internal;

import dev.warden.openai.OpenAiSettings;
import dev.warden.security.CredentialProvider;
import dev.warden.security.UpstreamCredential;
import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientRequestFilter;

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
    UpstreamCredential credential = credentials.credential();
    request.getHeaders().putSingle(credential.header(), credential.value());
    if (settings.organization() != null) {
      request.getHeaders().putSingle("OpenAI-Organization", settings.organization());
    }
    if (settings.project() != null) {
      request.getHeaders().putSingle("OpenAI-Project", settings.project());
    }
    request.getHeaders().putSingle("User-Agent", USER_AGENT);
  }
}
