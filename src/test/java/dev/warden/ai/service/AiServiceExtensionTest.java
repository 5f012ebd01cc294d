package dev.warden.ai.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warden.ai.DeferredCall;
import dev.warden.ai.StreamEvent;
import dev.warden.prompt.PromptCatalog;
import dev.warden.prompt.PromptTemplate;
import jakarta.enterprise.inject.spi.AfterDeploymentValidation;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import org.eclipse.microprofile.faulttolerance.Asynchronous;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Fallback;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AiServiceExtensionTest {

  @TempDir Path dir;

  private static final String TEXT = "[system]\nYou triage.\n[user]\n{{ticket}}\n";

  private ClassLoader promptsIn(String template, String lockedText) throws Exception {
    Path root = dir.resolve(PromptCatalog.CLASSPATH_ROOT);
    Files.createDirectories(root.resolve("triage"));
    Files.writeString(root.resolve("triage/1.0.0"), template);
    Files.writeString(
        root.resolve(PromptCatalog.LOCK_FILE),
        "triage 1.0.0 "
            + PromptTemplate.sha256(lockedText.getBytes(StandardCharsets.UTF_8))
            + "\n");
    return new URLClassLoader(new URL[] {dir.toUri().toURL()}, null);
  }

  private List<Throwable> startWith(ClassLoader loader) {
    List<Throwable> problems = new ArrayList<>();
    AfterDeploymentValidation event = problems::add;
    Thread thread = Thread.currentThread();
    ClassLoader outer = thread.getContextClassLoader();
    thread.setContextClassLoader(loader);
    try {
      new AiServiceExtension().validate(event, null);
    } finally {
      thread.setContextClassLoader(outer);
    }
    return problems;
  }

  @Test
  void aPublishedPromptChangedWithoutANewVersionStopsTheDeployment() throws Exception {
    List<Throwable> problems = startWith(promptsIn(TEXT + "Be nice.\n", TEXT));

    assertEquals(1, problems.size());
    assertTrue(
        problems.get(0).getMessage().contains("prompt triage 1.0.0 changed after it was published"),
        problems.get(0).getMessage());
  }

  @Test
  void anUnchangedCatalogStarts() throws Exception {
    assertEquals(List.of(), startWith(promptsIn(TEXT, TEXT)));
  }

  @AiService(model = "gpt-4o-mini")
  interface Broken {
    @Prompt(id = "triage", version = "1.0.0")
    Map<String, String> mapResult(@Var("ticket") String ticket);

    @Prompt(id = "triage", version = "1.0.0")
    String wrongVariable(@Var("text") String text);

    @Prompt(id = "missing")
    String unpublished(@Var("ticket") String ticket);

    @Prompt(id = "triage", version = "1.0.0")
    @Asynchronous
    String asynchronousWithoutAStage(@Var("ticket") String ticket);

    @Prompt(id = "triage", version = "1.0.0")
    @Retry
    Flow.Publisher<StreamEvent> retriedStream(@Var("ticket") String ticket);

    @Prompt(id = "triage", version = "1.0.0")
    @Fallback(fallbackMethod = "nowhere")
    String fallbackToNowhere(@Var("ticket") String ticket);

    @Prompt(id = "triage", version = "1.0.0")
    @SuppressWarnings("rawtypes")
    CompletionStage untypedStage(@Var("ticket") String ticket);

    @Prompt(id = "triage", version = "1.0.0")
    @Deferrable
    String deferredText(@Var("ticket") String ticket);

    @Prompt(id = "triage", version = "1.0.0")
    @Deferrable
    @Retry
    DeferredCall retriedLater(@Var("ticket") String ticket);
  }

  @AiService(model = "gpt-4o-mini")
  @CircuitBreaker
  interface BreakerOnTheInterface {
    @Prompt(id = "triage", version = "1.0.0")
    String answer(@Var("ticket") String ticket);
  }

  @AiService(model = "gpt-4o-mini")
  interface Fine {
    @Prompt(id = "triage", version = "1.0.0")
    @Asynchronous
    @CircuitBreaker
    @Fallback(fallbackMethod = "later")
    CompletionStage<String> answer(@Var("ticket") String ticket);

    default CompletionStage<String> later(String ticket) {
      return CompletableFuture.completedFuture("later");
    }

    @Prompt(id = "triage", version = "1.0.0")
    @Deferrable
    DeferredCall handle(@Var("ticket") String ticket);

    @Prompt(id = "triage", version = "1.0.0")
    @Deferrable
    CompletionStage<String> whenReady(@Var("ticket") String ticket);
  }

  @Test
  void methodDeclarationsAreCheckedAtStartUp() throws Exception {
    PromptCatalog catalog =
        new PromptCatalog(
            p ->
                p.equals("prompts.lock")
                    ? ("triage 1.0.0 "
                            + PromptTemplate.sha256(TEXT.getBytes(StandardCharsets.UTF_8)))
                        .getBytes(StandardCharsets.UTF_8)
                    : p.equals("triage/1.0.0") ? TEXT.getBytes(StandardCharsets.UTF_8) : null);
    for (String[] c :
        new String[][] {
          {"mapResult", "root must be a record or class"},
          {"wrongVariable", "parameters fill [text] but prompt triage 1.0.0 uses [ticket]"},
          {"unpublished", "prompt missing is not published"},
          {"asynchronousWithoutAStage", "returns CompletionStage<T> or Future<T>"},
          {"retriedStream", "do not apply to a stream"},
          {"fallbackToNowhere", "fallbackMethod nowhere with the same parameters not found"},
          {"untypedStage", "CompletionStage needs a result type"},
          {"deferredText", "a @Deferrable method returns DeferredCall or CompletionStage<T>"},
          {"retriedLater", "a @Deferrable method declares no Fault Tolerance annotations"}
        }) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> AiMethod.of(Broken.class, Broken.class.getMethod(c[0], String.class), catalog));
      assertTrue(e.getMessage().contains(c[1]), e.getMessage());
    }
    IllegalArgumentException onInterface =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                AiMethod.of(
                    BreakerOnTheInterface.class,
                    BreakerOnTheInterface.class.getMethod("answer", String.class),
                    catalog));
    assertTrue(
        onInterface.getMessage().contains("put it on the methods"), onInterface.getMessage());
  }

  @Test
  void anAsynchronousMethodWithFaultToleranceIsDescribedByItsStagesResult() throws Exception {
    AiMethod m = AiMethod.of(Fine.class, Fine.class.getMethod("answer", String.class), catalog());

    assertEquals(AiMethod.Async.COMPLETION_STAGE, m.async());
    assertEquals(String.class, m.resultType());
    assertEquals(AiMethod.Kind.TEXT, m.kind());
    assertTrue(m.ownsFaultTolerance());
  }

  @Test
  void deferrableMethodsReturnTheirHandleOrAStage() throws Exception {
    AiMethod handle =
        AiMethod.of(Fine.class, Fine.class.getMethod("handle", String.class), catalog());
    assertEquals(AiMethod.Deferral.HANDLE, handle.deferral());
    assertEquals(AiMethod.Kind.TEXT, handle.kind());
    AiMethod stage =
        AiMethod.of(Fine.class, Fine.class.getMethod("whenReady", String.class), catalog());
    assertEquals(AiMethod.Deferral.STAGE, stage.deferral());
    assertEquals(String.class, stage.resultType());
    AiMethod direct =
        AiMethod.of(Fine.class, Fine.class.getMethod("answer", String.class), catalog());
    assertEquals(AiMethod.Deferral.NONE, direct.deferral());
  }

  private static PromptCatalog catalog() {
    return new PromptCatalog(
        p ->
            p.equals("prompts.lock")
                ? ("triage 1.0.0 " + PromptTemplate.sha256(TEXT.getBytes(StandardCharsets.UTF_8)))
                    .getBytes(StandardCharsets.UTF_8)
                : p.equals("triage/1.0.0") ? TEXT.getBytes(StandardCharsets.UTF_8) : null);
  }
}
