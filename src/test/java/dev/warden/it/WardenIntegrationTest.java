package dev.warden.it;

import dev.warden.ai.OpenAi;
import dev.warden.openai.model.ChatCompletionRequest;
import dev.warden.openai.model.ChatMessage;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.net.URL;
import java.util.List;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Base of every Arquillian integration test: the Warden WAR deployed on the IT server, against the
 * mock upstream. It gives the deployment's URL and an HTTP client for it ({@link #http()}), the
 * mock's admin client, and a clean mock around every test.
 *
 * <p>Each subclass declares its own {@code @Deployment} ({@link Deployments#warden()} plus what it
 * adds; each class is its own deployment, so circuit breaker state never leaks between classes).
 * With {@code @Deployment(testable = false)} its tests run in the test JVM as an HTTP client;
 * otherwise they run inside Liberty, where the injected facade, the recording sleeper and the call
 * log are set too (and cleared around every test); they stay {@code null} in the test JVM.
 */
@ExtendWith(ArquillianExtension.class)
abstract class WardenIntegrationTest {

  static final String CHAT = "/v1/chat/completions";

  /** The deployment's URL, e.g. {@code http://localhost:15180/}. */
  @ArquillianResource URL base;

  /** Inside Liberty only. */
  @Inject OpenAi openAi;

  /** Inside Liberty only. */
  @Inject RecordingSleeper sleeper;

  /** Inside Liberty only. */
  @Inject CallLog callLog;

  final MockAdmin mock = MockAdmin.forIntegrationTests();

  private WardenHttp http;

  /** HTTP requests to the deployment. */
  WardenHttp http() {
    if (http == null) {
      http = new WardenHttp(base);
    }
    return http;
  }

  @BeforeEach
  @AfterEach
  void cleanMockAndRecorders() {
    mock.reset();
    if (sleeper != null) {
      sleeper.clear();
      callLog.clear();
    }
  }

  /** The JSON body of a chat completion of one user message. */
  static JsonObject chatBody(String model, String text) {
    return Json.createObjectBuilder()
        .add("model", model)
        .add(
            "messages",
            Json.createArrayBuilder()
                .add(Json.createObjectBuilder().add("role", "user").add("content", text)))
        .build();
  }

  static ChatCompletionRequest ask(String model, String question) {
    return ChatCompletionRequest.builder()
        .model(model)
        .messages(List.of(ChatMessage.user(question)))
        .build();
  }
}
