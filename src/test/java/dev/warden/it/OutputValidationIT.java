package dev.warden.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warden.call.CallFinished;
import dev.warden.call.Outcome;
import dev.warden.call.refusal.OutputValidationRefusal;
import dev.warden.guard.OutputViolation;
import dev.warden.guard.ProposedToolCall;
import dev.warden.guard.ToolCallValidator;
import dev.warden.openai.model.ChatCompletion;
import dev.warden.openai.model.ChatCompletionRequest;
import dev.warden.openai.model.ChatMessage;
import dev.warden.openai.model.ResponseFormat;
import dev.warden.openai.model.Tool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;
import java.io.StringReader;
import java.time.Duration;
import java.util.List;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/**
 * Output validation before action, in the container: a structured output that breaks its schema or
 * its Bean Validation constraints is withheld, a tool call the application's own validator rejects
 * is never handed over, and the call is recorded as failed.
 */
class OutputValidationIT extends InContainerTest {

  /** The application's validator for a tool with side effects. */
  @ApplicationScoped
  public static class RefundLimit implements ToolCallValidator {
    @Override
    public boolean appliesTo(String toolName) {
      return toolName.equals("refund");
    }

    @Override
    public List<OutputViolation> validate(ProposedToolCall call) {
      return call.arguments().getJsonNumber("amount").doubleValue() > 100
          ? List.of(new OutputViolation("amount", "refunds above 100 need approval"))
          : List.of();
    }
  }

  /** A typed result with Bean Validation constraints. */
  public record Order(@NotBlank String sku, @Positive int quantity) {}

  @Deployment
  static WebArchive deployment() {
    return Deployments.warden().addClass(RefundLimit.class).addClass(Order.class);
  }

  private static final String MODEL = "gpt-4o-mini";

  private static JsonObject schema() {
    return Json.createReader(
            new StringReader(
                "{\"type\":\"object\",\"additionalProperties\":false,"
                    + "\"required\":[\"sku\",\"quantity\"],\"properties\":{"
                    + "\"sku\":{\"type\":\"string\"},\"quantity\":{\"type\":\"integer\"}}}"))
        .readObject();
  }

  private static ChatCompletionRequest orderRequest() {
    return ChatCompletionRequest.builder()
        .model(MODEL)
        .messages(List.of(ChatMessage.user("Extract the order")))
        .responseFormat(ResponseFormat.jsonSchema("order", schema(), true))
        .build();
  }

  /** Makes the mock answer every chat call with this assistant message. */
  private void answerWith(JsonObjectBuilder message) {
    JsonObject body =
        Json.createObjectBuilder()
            .add("id", "chatcmpl-validation")
            .add("object", "chat.completion")
            .add("created", 1)
            .add("model", MODEL)
            .add(
                "choices",
                Json.createArrayBuilder()
                    .add(
                        Json.createObjectBuilder()
                            .add("index", 0)
                            .add("finish_reason", "stop")
                            .add("message", message.add("role", "assistant"))))
            .add(
                "usage",
                Json.createObjectBuilder()
                    .add("prompt_tokens", 10)
                    .add("completion_tokens", 5)
                    .add("total_tokens", 15))
            .build();
    mock.stub(
        MockAdmin.request("POST", CHAT),
        Json.createObjectBuilder()
            .add("status", 200)
            .add("headers", Json.createObjectBuilder().add("Content-Type", "application/json"))
            .add("body", body.toString()));
  }

  private CallFinished lastCall() throws InterruptedException {
    return callLog.await(Duration.ofSeconds(5)).orElseThrow();
  }

  @Test
  void aTypedResultIsCheckedAgainstItsSchemaAndBound() {
    answerWith(Json.createObjectBuilder().add("content", "{\"sku\":\"ABC-1\",\"quantity\":3}"));

    Order order = openAi.chat(orderRequest(), Order.class).body();

    assertEquals(new Order("ABC-1", 3), order);
  }

  @Test
  void anOutputBreakingItsSchemaIsWithheldAndTheCallRecordedAsFailed() throws Exception {
    answerWith(Json.createObjectBuilder().add("content", "{\"sku\":\"ABC-1\",\"quantity\":\"3\"}"));

    OutputValidationRefusal e =
        assertThrows(OutputValidationRefusal.class, () -> openAi.chat(orderRequest()));

    assertTrue(e.violations().get(0).startsWith("choices[0].quantity"), e.violations().get(0));
    CallFinished call = lastCall();
    assertEquals(Outcome.FAILED, call.outcome());
    assertEquals("OutputValidationRefusal", call.errorType());
    assertEquals(15, call.usage().input() + call.usage().output());
  }

  @Test
  void beanValidationConstraintsOfTheTypedResultApply() {
    answerWith(Json.createObjectBuilder().add("content", "{\"sku\":\" \",\"quantity\":-2}"));

    OutputValidationRefusal e =
        assertThrows(OutputValidationRefusal.class, () -> openAi.chat(orderRequest(), Order.class));

    assertEquals(2, e.violations().size(), e.violations().toString());
    assertTrue(e.violations().stream().anyMatch(v -> v.startsWith("$.sku:")));
    assertTrue(e.violations().stream().anyMatch(v -> v.startsWith("$.quantity:")));
  }

  private static ChatCompletionRequest refundRequest() {
    JsonObject parameters =
        Json.createReader(
                new StringReader(
                    "{\"type\":\"object\",\"required\":[\"order\",\"amount\"],\"properties\":{"
                        + "\"order\":{\"type\":\"string\"},\"amount\":{\"type\":\"number\"}}}"))
            .readObject();
    return ChatCompletionRequest.builder()
        .model(MODEL)
        .messages(List.of(ChatMessage.user("Refund order o-1")))
        .tools(List.of(Tool.function("refund", "Refunds an order", parameters)))
        .build();
  }

  private void proposeRefund(String arguments) {
    answerWith(
        Json.createObjectBuilder()
            .addNull("content")
            .add(
                "tool_calls",
                Json.createArrayBuilder()
                    .add(
                        Json.createObjectBuilder()
                            .add("id", "call_refund")
                            .add("type", "function")
                            .add(
                                "function",
                                Json.createObjectBuilder()
                                    .add("name", "refund")
                                    .add("arguments", arguments)))));
  }

  @Test
  void aToolCallTheApplicationApprovesIsHandedOver() {
    proposeRefund("{\"order\":\"o-1\",\"amount\":20}");

    ChatCompletion answer = openAi.chat(refundRequest()).body();

    assertEquals("refund", answer.choices().get(0).message().toolCalls().get(0).function().name());
  }

  @Test
  void aToolCallTheApplicationRejectsIsNeverHandedOver() throws Exception {
    proposeRefund("{\"order\":\"o-1\",\"amount\":500}");

    OutputValidationRefusal e =
        assertThrows(OutputValidationRefusal.class, () -> openAi.chat(refundRequest()));

    assertEquals(
        List.of("tool_calls[call_refund] amount: refunds above 100 need approval"), e.violations());
    assertEquals(Outcome.FAILED, lastCall().outcome());
  }
}
