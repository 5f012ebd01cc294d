package dev.warden.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/**
 * The official OpenAI SDK for Node ({@code src/test/e2e/openai-sdk.mjs}, installed by the build
 * with {@code npm ci}) pointed at Warden's {@code /v1}: chat, tools, responses, embeddings, models,
 * typed errors and streams (including a stream cut upstream, which must reach the SDK as an error)
 * must work unchanged; the same {@code Idempotency-Key} twice must give the recorded answer with
 * one upstream call (the script counts them at the mock, whose URL it is given). Two more scripts
 * run the SDK's batch workflow ({@code openai-sdk-batches.mjs}) and its Conversations calls ({@code
 * openai-sdk-conversations.mjs}).
 */
class OpenAiSdkIT extends WardenIntegrationTest {

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.warden();
  }

  /** What a finished SDK script printed, and its exit code. */
  private record Run(String output, int exitCode) {}

  private Run node(String script, String... options) throws Exception {
    File dir = new File(System.getProperty("e2e.dir", "src/test/e2e"));
    List<String> command = new ArrayList<>(List.of("node", script, base.toString() + "v1"));
    command.addAll(List.of(options));
    command.add("--mock=http://127.0.0.1:" + System.getProperty("mock.port"));
    Process node = new ProcessBuilder(command).directory(dir).redirectErrorStream(true).start();
    boolean finished = node.waitFor(120, TimeUnit.SECONDS);
    String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!finished) {
      node.destroyForcibly();
    }
    assertThat(finished).as(script + " finished: " + output).isTrue();
    return new Run(output, node.exitValue());
  }

  @Test
  void theOfficialNodeSdkWorksAgainstV1Unchanged() throws Exception {
    mock.stub(
        MockAdmin.forModel(MockAdmin.request("POST", "/v1/chat/completions"), "cut-model"),
        MockAdmin.eventStream(
            "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,"
                + "\"model\":\"cut-model\",\"choices\":[{\"index\":0,\"delta\":"
                + "{\"content\":\"Half\"},\"finish_reason\":null}]}\n\n"));
    Run run = node("openai-sdk.mjs", "--faults");
    assertThat(run.output())
        .contains("ok   a stream cut upstream reaches the SDK as an error")
        .contains("ok   the same Idempotency-Key twice: the recorded answer, one upstream call")
        .contains("11 passed, 0 failed")
        .doesNotContain("FAIL");
    assertThat(run.exitCode()).as(run.output()).isZero();
  }

  @Test
  void theOfficialNodeSdksBatchWorkflowWorksAgainstV1Unchanged() throws Exception {
    Run run = node("openai-sdk-batches.mjs");
    assertThat(run.output())
        .contains("ok   the upstream received it redacted")
        .contains("ok   files.content gives the output restored")
        .contains("7 passed, 0 failed")
        .doesNotContain("FAIL");
    assertThat(run.exitCode()).as(run.output()).isZero();
  }

  @Test
  void theOfficialNodeSdkUsesConversationsThroughV1() throws Exception {
    Run run = node("openai-sdk-conversations.mjs");
    assertThat(run.output())
        .contains("ok   responses.create({conversation}) answers within it")
        .contains("5 passed, 0 failed")
        .doesNotContain("FAIL");
    assertThat(run.exitCode()).as(run.output()).isZero();
  }
}
