package dev.warden.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warden.ai.Answer;
import dev.warden.ai.FallbackChain;
import dev.warden.call.FallbackKind;
import dev.warden.gateway.health.UpstreamHealth;
import dev.warden.openai.model.ChatCompletion;
import dev.warden.openai.model.ChatCompletionRequest;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The fallback chain and the circuit breaker, in a deployment of their own so the breaker starts
 * closed. Ordered: the second test opens the breaker on purpose.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CircuitBreakerIT extends WardenIntegrationTest {

  @Inject @Readiness UpstreamHealth upstreamHealth;

  @Deployment
  static WebArchive deployment() {
    return Deployments.warden();
  }

  private static ChatCompletionRequest ask(String model) {
    return ask(model, "Summarise the incident");
  }

  @Test
  @Order(1)
  void whenTheRequestedModelKeepsFailingTheNextModelOfTheChainAnswers() {
    mock.stub(
        MockAdmin.forModel(MockAdmin.request("POST", CHAT), "gpt-4o"),
        MockAdmin.error(503, "server_error", null, "The engine is currently overloaded"));

    Answer<ChatCompletion> answer = openAi.chat(ask("gpt-4o"));

    assertEquals(FallbackKind.MODEL, answer.fallback());
    assertTrue(answer.fallbackUsed());
    assertEquals("gpt-4o-mini", answer.answeredBy());
    assertEquals("gpt-4o", answer.requestedModel());
    assertEquals("gpt-4o-mini", answer.body().model());
    assertEquals(4, answer.attempts());
    assertTrue(answer.body().firstText().startsWith("Mock answer to: Summarise the incident"));
  }

  @Test
  @Order(2)
  void serverErrorsAreRetriedThenTheFallbackChainAnswers() {
    mock.stub(MockAdmin.request("POST", CHAT), MockAdmin.error(500, "server_error", null, "boom"));

    Answer<ChatCompletion> answer = openAi.chat(ask("gpt-4o"));

    // 1 attempt + 3 retries of gpt-4o, then the fallback model once, then the deterministic answer
    assertEquals(4, mock.count(MockAdmin.forModel(MockAdmin.request("POST", CHAT), "gpt-4o")));
    assertEquals(1, mock.count(MockAdmin.forModel(MockAdmin.request("POST", CHAT), "gpt-4o-mini")));
    assertEquals(FallbackKind.DETERMINISTIC, answer.fallback());
    assertEquals(FallbackChain.DETERMINISTIC_MODEL, answer.answeredBy());
    assertEquals(
        "The assistant is unavailable right now. Please try again later.",
        answer.body().firstText());
    assertEquals(3, sleeper.slept().size());
  }

  @Test
  @Order(3)
  void anOpenCircuitFailsFastIntoTheDeterministicFallback() {
    mock.stub(MockAdmin.request("POST", CHAT), MockAdmin.error(500, "server_error", null, "down"));

    int openedAt = -1;
    Answer<ChatCompletion> fastAnswer = null;
    for (int call = 1; call <= 8 && openedAt < 0; call++) {
      int before = mock.count(MockAdmin.request("POST", CHAT));
      Answer<ChatCompletion> answer = openAi.chat(ask("gpt-4o"));
      int reached = mock.count(MockAdmin.request("POST", CHAT)) - before;
      assertEquals(FallbackKind.DETERMINISTIC, answer.fallback());
      if (reached == 0) {
        openedAt = call;
        fastAnswer = answer;
      }
    }

    // 20 requests in the window (request volume threshold), all failing: the breaker opens after
    // at most five calls of four attempts each (fewer when the first test's failures still count).
    assertTrue(openedAt > 0 && openedAt <= 6, "the circuit never opened");
    assertEquals(0, fastAnswer.attempts());
    // readiness reflects the open breaker
    HealthCheckResponse upstream = upstreamHealth.call();
    assertEquals(HealthCheckResponse.Status.DOWN, upstream.getStatus());
    assertEquals("open", upstream.getData().orElseThrow().get("circuit"));
    assertEquals(FallbackChain.DETERMINISTIC_MODEL, fastAnswer.answeredBy());
    assertEquals(
        "The assistant is unavailable right now. Please try again later.",
        fastAnswer.body().firstText());
  }
}
