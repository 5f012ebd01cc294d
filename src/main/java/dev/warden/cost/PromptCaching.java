package dev.warden.cost;

import dev.warden.openai.model.ChatCompletionRequest;
import dev.warden.openai.model.CreateResponseRequest;

/**
 * Makes OpenAI's prompt cache work per prompt version: requests rendered from the same prompt id
 * and version share {@code prompt_cache_key = "<id>@<version>"}, so the upstream routes them to the
 * same cache. A key the caller set itself is kept. The prompt stage sets the prompt id and version
 * on the call ({@code CallContext.prompt}); admission then applies this.
 */
public final class PromptCaching {
  private PromptCaching() {}

  /** The cache key of a prompt version, {@code null} unless both parts are known. */
  public static String key(String promptId, String promptVersion) {
    if (promptId == null
        || promptId.isBlank()
        || promptVersion == null
        || promptVersion.isBlank()) {
      return null;
    }
    return promptId + "@" + promptVersion;
  }

  public static ChatCompletionRequest keyed(
      ChatCompletionRequest request, String promptId, String promptVersion) {
    String key = key(promptId, promptVersion);
    if (key == null || request.promptCacheKey() != null) {
      return request;
    }
    return request.toBuilder().promptCacheKey(key).build();
  }

  public static CreateResponseRequest keyed(
      CreateResponseRequest request, String promptId, String promptVersion) {
    String key = key(promptId, promptVersion);
    if (key == null || request.promptCacheKey() != null) {
      return request;
    }
    return request.toBuilder().promptCacheKey(key).build();
  }
}
