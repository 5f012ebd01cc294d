package dev.warden.cost;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.openai.model.ChatCompletionRequest;
import dev.warden.openai.model.ChatMessage;
import dev.warden.openai.model.CreateResponseRequest;
import java.util.List;
import org.junit.jupiter.api.Test;

class PromptCachingTest {

  private final ChatCompletionRequest chat =
      ChatCompletionRequest.builder()
          .model("gpt-4o")
          .messages(List.of(ChatMessage.user("hi")))
          .build();

  @Test
  void aKnownPromptVersionSetsTheCacheKey() {
    assertThat(PromptCaching.keyed(chat, "support-triage", "7").promptCacheKey())
        .isEqualTo("support-triage@7");
    CreateResponseRequest r = CreateResponseRequest.builder().model("gpt-4o").build();
    assertThat(PromptCaching.keyed(r, "support-triage", "7").promptCacheKey())
        .isEqualTo("support-triage@7");
  }

  @Test
  void withoutIdAndVersionOrWithTheCallersOwnKeyNothingChanges() {
    assertThat(PromptCaching.keyed(chat, null, null)).isSameAs(chat);
    assertThat(PromptCaching.keyed(chat, "p", null)).isSameAs(chat);
    ChatCompletionRequest own = chat.toBuilder().promptCacheKey("mine").build();
    assertThat(PromptCaching.keyed(own, "p", "1").promptCacheKey()).isEqualTo("mine");
  }
}
