package dev.warden.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warden.ai.StreamEvent;
import dev.warden.ai.service.AiService;
import dev.warden.ai.service.Prompt;
import dev.warden.ai.service.Var;
import dev.warden.audit.log.AuditReader;
import dev.warden.audit.log.AuditRecord;
import dev.warden.call.CallFinished;
import dev.warden.call.Caller;
import dev.warden.call.Outcome;
import dev.warden.call.PromptRef;
import dev.warden.call.refusal.OutputValidationRefusal;
import dev.warden.openai.error.ServerErrorException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;
import java.io.StringReader;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.faulttolerance.Asynchronous;
import org.eclipse.microprofile.faulttolerance.Fallback;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/**
 * Declarative AI services in the container, tried as an application would: it declares an
 * interface, injects it into its own bean, and gets validated typed results, text and streams, with
 * the prompt's id, version and hash recorded with the call and Fault Tolerance annotations applied.
 */
class AiServiceIT extends WardenIntegrationTest {

  public enum Category {
    BILLING,
    OUTAGE,
    OTHER
  }

  /** The typed result the application wants. */
  public record Triage(
      @NotBlank String summary, Category category, @Positive int priority, List<String> tags) {}

  /** The application's declaration. */
  @AiService(model = "gpt-4o-mini")
  public interface TicketTriage {
    @Prompt(id = "ticket-triage", version = "1.0.0")
    Triage classify(@Var("ticket") String ticket);

    @Prompt(id = "ticket-triage")
    String explain(@Var("ticket") String ticket);

    @Prompt(id = "support-reply", version = "1.0.0")
    Flow.Publisher<StreamEvent> reply(
        @Var("customer") String customer, @Var("question") String question);

    /**
     * A blocking upstream read ignores interruption: {@code @Asynchronous} lets {@code @Timeout}
     * answer the caller on time (the specification's advice for blocking I/O).
     */
    @Prompt(id = "support-reply", version = "1.0.0")
    @Asynchronous
    @Timeout(300)
    @Fallback(fallbackMethod = "apologise")
    CompletionStage<String> quickReply(
        @Var("customer") String customer, @Var("question") String question);

    default CompletionStage<String> apologise(String customer, String question) {
      return CompletableFuture.completedFuture("Sorry " + customer + ", we will answer shortly.");
    }

    @Prompt(id = "support-reply", version = "1.0.0", model = "gpt-4.1-nano")
    @Retry(maxRetries = 2, delay = 40, jitter = 0)
    String stubbornReply(@Var("customer") String customer, @Var("question") String question);

    /** Its maxRetries is 1 in the test server's configuration (see pom.xml). */
    @Prompt(id = "support-reply", version = "1.0.0")
    @Retry(maxRetries = 6, delay = 10, jitter = 0)
    String configuredReply(@Var("customer") String customer, @Var("question") String question);

    @Prompt(id = "support-reply", version = "1.0.0")
    @Asynchronous
    CompletionStage<String> laterReply(
        @Var("customer") String customer, @Var("question") String question);
  }

  /** The application's own bean that injects the service. */
  @ApplicationScoped
  public static class HelpDesk {
    @Inject TicketTriage triage;

    public TicketTriage triage() {
      return triage;
    }
  }

  @Deployment
  static WebArchive deployment() {
    return Deployments.warden()
        .addClasses(Category.class, Triage.class, TicketTriage.class, HelpDesk.class);
  }

  @Inject HelpDesk desk;
  @Inject AuditReader audit;

  private static final String V100 =
      "0f2671a350092c22d2a3d3764a1b84b332b2b66a035e3226a1fdfef3cf800fd3";
  private static final String V110 =
      "812067612e0e041425ccb12bec8893b7e702f7701531d64310d3b2311fe5fceb";

  private List<JsonObject> chatRequests() {
    return mock.find(MockAdmin.request("POST", CHAT)).stream()
        .map(r -> Json.createReader(new StringReader(r.getString("body"))).readObject())
        .toList();
  }

  private CallFinished onlyCall() throws InterruptedException {
    CallFinished call = callLog.await(Duration.ofSeconds(5)).orElseThrow();
    assertEquals(1, callLog.calls().size());
    return call;
  }

  @Test
  void aDeclaredServiceReturnsAValidatedRecordFromAGeneratedStrictSchema() throws Exception {
    Triage triage = desk.triage().classify("The invoice for March is wrong");

    assertEquals(new Triage("mock", Category.BILLING, 1, List.of()), triage);
    JsonObject sent = chatRequests().get(0);
    assertEquals("gpt-4o-mini", sent.getString("model"));
    JsonObject format = sent.getJsonObject("response_format").getJsonObject("json_schema");
    assertEquals("Triage", format.getString("name"));
    assertTrue(format.getBoolean("strict"));
    JsonObject schema = format.getJsonObject("schema");
    assertEquals(false, schema.getBoolean("additionalProperties"));
    assertEquals(
        List.of("summary", "category", "priority", "tags"),
        schema.getJsonArray("required").getValuesAs(jakarta.json.JsonString::getString));
    assertEquals("system", sent.getJsonArray("messages").getJsonObject(0).getString("role"));
    assertEquals(
        "The invoice for March is wrong",
        sent.getJsonArray("messages").getJsonObject(1).getString("content"));

    CallFinished call = onlyCall();
    assertEquals(new PromptRef("ticket-triage", "1.0.0", V100), call.prompt());
    AuditRecord record = audit.byRequestId(call.requestId()).get(0);
    assertEquals("ticket-triage", record.getPromptId());
    assertEquals("1.0.0+sha256." + V100, record.getPromptVersion());
  }

  @Test
  void aBeanValidationFailureOfTheBoundResultIsAnError() throws Exception {
    JsonObject body =
        Json.createObjectBuilder()
            .add("id", "chatcmpl-x")
            .add("object", "chat.completion")
            .add("created", 1)
            .add("model", "gpt-4o-mini")
            .add(
                "choices",
                Json.createArrayBuilder()
                    .add(
                        Json.createObjectBuilder()
                            .add("index", 0)
                            .add("finish_reason", "stop")
                            .add(
                                "message",
                                Json.createObjectBuilder()
                                    .add("role", "assistant")
                                    .add(
                                        "content",
                                        "{\"summary\":\" \",\"category\":\"OTHER\","
                                            + "\"priority\":0,\"tags\":[]}"))))
            .build();
    mock.stub(
        MockAdmin.request("POST", CHAT),
        Json.createObjectBuilder()
            .add("status", 200)
            .add("headers", Json.createObjectBuilder().add("Content-Type", "application/json"))
            .add("body", body.toString()));

    OutputValidationRefusal e =
        assertThrows(OutputValidationRefusal.class, () -> desk.triage().classify("x"));

    assertEquals(2, e.violations().size(), e.violations().toString());
    assertEquals(Outcome.FAILED, onlyCall().outcome());
  }

  @Test
  void aStringMethodWithoutAPinnedVersionUsesTheNewestPublished() throws Exception {
    String text = desk.triage().explain("VPN is down");

    assertTrue(text.startsWith("Mock answer to: Ticket:"), text);
    List<String> roles =
        chatRequests().get(0).getJsonArray("messages").getValuesAs(JsonObject.class).stream()
            .map(m -> m.getString("role"))
            .toList();
    assertEquals(List.of("system", "developer", "user"), roles);
    assertEquals(new PromptRef("ticket-triage", "1.1.0", V110), onlyCall().prompt());
  }

  @Test
  void aStreamingMethodStreamsThroughThePipeline() throws Exception {
    StreamingIT.Collector collector = new StreamingIT.Collector(false);
    Caller ada = new Caller("ada-streams", "acme", null);

    // the stream runs on another thread, for the caller it was asked for
    Caller.runAs(ada, () -> desk.triage().reply("Ada", "Where is my parcel?")).subscribe(collector);

    assertNull(collector.done.get(10, TimeUnit.SECONDS));
    assertTrue(collector.events.stream().anyMatch(e -> e instanceof StreamEvent.TextDelta));
    StreamEvent last = collector.events.get(collector.events.size() - 1);
    StreamEvent.Completed completed = assertInstanceOf(StreamEvent.Completed.class, last);
    assertTrue(completed.result().text().startsWith("Mock answer to: Customer:"));
    CallFinished call = onlyCall();
    assertTrue(call.streamed());
    assertEquals("support-reply", call.prompt().id());
    assertEquals(ada, call.caller());
    collector.assertRelayedOnAVirtualThreadFromJava21();
  }

  @Test
  void timeoutAndFallbackOnAnInterfaceMethodApply() throws Exception {
    mock.stub(
        MockAdmin.request("POST", CHAT),
        Json.createObjectBuilder()
            .add("transformers", Json.createArrayBuilder().add("openai-mock"))
            .add("fixedDelayMilliseconds", 1500));

    long start = System.nanoTime();
    String reply =
        desk.triage().quickReply("Ada", "Hello?").toCompletableFuture().get(5, TimeUnit.SECONDS);
    long millis = (System.nanoTime() - start) / 1_000_000;

    assertEquals("Sorry Ada, we will answer shortly.", reply);
    assertTrue(millis < 1400, "answered by the fallback after the 300 ms timeout: " + millis);
    // the abandoned upstream call still ends as one recorded call
    assertEquals(
        "support-reply", callLog.await(Duration.ofSeconds(10)).orElseThrow().prompt().id());
  }

  @Test
  void retryOnAnInterfaceMethodRetriesTheWholeCall() {
    // a 400 is never retried by Warden itself; @Retry on the method calls again
    mock.stubTimes(
        2,
        MockAdmin.request("POST", CHAT),
        MockAdmin.error(400, "invalid_request_error", "bad", "transient for the test"));

    String reply = desk.triage().stubbornReply("Ada", "Hello?");

    assertTrue(reply.startsWith("Mock answer to: Customer: Ada"), reply);
    assertEquals(3, mock.count(MockAdmin.request("POST", CHAT)));
  }

  @Test
  void aMethodWithItsOwnRetryIsTheOnlyLayerThatRetries() {
    mock.stub(
        MockAdmin.request("POST", CHAT),
        MockAdmin.error(503, "server_error", null, "overloaded for the test"));

    assertThrows(ServerErrorException.class, () -> desk.triage().stubbornReply("Ada", "Hello?"));

    // maxRetries = 2: three attempts in all, none of them retried again underneath
    assertEquals(3, mock.count(MockAdmin.request("POST", CHAT)));
    assertEquals(List.of(), sleeper.slept(), "Warden's own backoff never ran");
  }

  @Test
  void theSpecificationsConfigurationOverridesAnInterfaceMethodsRetry() {
    mock.stub(
        MockAdmin.request("POST", CHAT),
        MockAdmin.error(503, "server_error", null, "overloaded for the test"));

    assertThrows(ServerErrorException.class, () -> desk.triage().configuredReply("Ada", "Hi"));

    // @Retry(maxRetries = 6), overridden to 1 by <interface>/configuredReply/Retry/maxRetries
    assertEquals(2, mock.count(MockAdmin.request("POST", CHAT)));
  }

  @Test
  void anAsynchronousMethodRunsElsewhereAsItsCaller() throws Exception {
    Caller ada = new Caller("async-ada", "acme", null);
    String caller = Thread.currentThread().getName();

    CompletionStage<String> reply =
        Caller.runAs(ada, () -> desk.triage().laterReply("Ada", "Where is my parcel?"));

    String text = reply.toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertTrue(text.startsWith("Mock answer to: Customer: Ada"), text);
    CallFinished call = onlyCall();
    assertEquals(ada, call.caller());
    assertTrue(!callLog.thread(call).equals(caller), "ran on " + callLog.thread(call));
  }
}
