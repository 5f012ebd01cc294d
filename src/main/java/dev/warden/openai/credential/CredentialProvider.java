package dev.warden.openai.credential;

/**
 * Supplies the credential for the next upstream request.
 *
 * <p>Called once per attempt, so a rotated key or a refreshed token is used from the next attempt
 * on without a restart. Implementations must be thread-safe and fast (cache, refresh in the
 * background when a token service is slow). Warden's default reads {@code OPENAI_API_KEY} (or a
 * mounted secret file) through MicroProfile Config; an application replaces it with a CDI
 * {@code @Alternative @Priority} bean, e.g. one that returns Entra ID tokens for Azure OpenAI.
 *
 * @throws dev.warden.openai.error.NoCredentialException when no credential is configured: the
 *     request is then not sent
 */
public interface CredentialProvider {
  UpstreamCredential credential();
}
