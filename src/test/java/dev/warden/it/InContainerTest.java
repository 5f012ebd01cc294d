package dev.warden.it;

import dev.warden.ai.OpenAi;
import dev.warden.openai.model.ChatCompletionRequest;
import dev.warden.openai.model.ChatMessage;
import jakarta.inject.Inject;
import java.util.List;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Base of the tests that run inside Liberty against the mock upstream: the injected facade, the
 * recording sleeper, the mock's admin client, and a clean mock and sleeper around every test.
 * Subclasses declare their own {@code @Deployment} (each class is its own deployment, so circuit
 * breaker state never leaks between classes).
 */
@ExtendWith(ArquillianExtension.class)
abstract class InContainerTest {

  static final String CHAT = "/v1/chat/completions";

  @Inject OpenAi openAi;
  @Inject RecordingSleeper sleeper;
  @Inject CallLog callLog;

  final MockAdmin mock = MockAdmin.forIntegrationTests();

  @BeforeEach
  @AfterEach
  void clean() {
    mock.reset();
    sleeper.clear();
    callLog.clear();
  }

  static ChatCompletionRequest ask(String model, String question) {
    return ChatCompletionRequest.builder()
        .model(model)
        .messages(List.of(ChatMessage.user(question)))
        .build();
  }
}
