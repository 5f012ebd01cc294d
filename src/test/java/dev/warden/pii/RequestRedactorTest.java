package dev.warden.pii;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.call.refusal.PiiBlockedRefusal;
import dev.warden.call.refusal.RedactionFailedRefusal;
import dev.warden.openai.model.ChatCompletion;
import dev.warden.openai.model.ChatCompletionRequest;
import dev.warden.openai.model.CreateResponseRequest;
import dev.warden.openai.model.EmbeddingInput;
import dev.warden.openai.model.EmbeddingRequest;
import dev.warden.openai.model.ModelResponse;
import dev.warden.openai.model.ResponseItemList;
import jakarta.json.Json;
import jakarta.json.JsonValue;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * DTO redaction and rehydration, checked on the JSON wire form: the redacted copy must equal the
 * expected JSON exactly, so every listed field is redacted and nothing else changes.
 */
class RequestRedactorTest {

  private static final Jsonb JSONB = JsonbBuilder.create();
  private static final RequestRedactor REDACTOR =
      new RequestRedactor(new PiiEngine(PiiPolicy.defaults()));

  @AfterAll
  static void close() throws Exception {
    JSONB.close();
  }

  private static String q(String json) {
    return json.replace('\'', '"');
  }

  private static JsonValue tree(String json) {
    return Json.createReader(new StringReader(json)).readValue();
  }

  private static void assertSameJson(Object actual, String expected) {
    assertThat(tree(JSONB.toJson(actual))).isEqualTo(tree(q(expected)));
  }

  @Test
  void chatCompletionRequestRedactsEveryTextTheModelSees() {
    String json =
        q(
            "{'model':'gpt-4o-mini','temperature':0.2,'user':'jane@example.com',"
                + "'metadata':{'owner':'jane@example.com'},"
                + "'tools':[{'type':'function','function':{'name':'lookup','description':"
                + "'Finds jane@example.com','parameters':{'type':'object'}}}],"
                + "'messages':["
                + "{'role':'system','content':'Support agent for jane@example.com'},"
                + "{'role':'user','name':'jane','content':[{'type':'text','text':'Call me at"
                + " (415) 555-2671'},{'type':'image_url','image_url':{'url':"
                + "'https://img.example.com/a.png?u=jane@example.com'}}]},"
                + "{'role':'assistant','content':null,'tool_calls':[{'id':'call_1','type':"
                + "'function','function':{'name':'lookup','arguments':"
                + "'{\\'email\\':\\'jane@example.com\\',\\'card\\':4111111111111111}'}}]},"
                + "{'role':'tool','tool_call_id':'call_1','content':'Found bob@example.org"
                + " at 10.0.0.7'},"
                + "{'role':'assistant','content':'Done, I wrote to bob@example.org',"
                + "'refusal':'no jane@example.com'}]}");
    ChatCompletionRequest request = JSONB.fromJson(json, ChatCompletionRequest.class);
    PlaceholderVault vault = new PlaceholderVault();
    Redacted<ChatCompletionRequest> r = REDACTOR.redact(request, "acme", vault);
    assertSameJson(
        r.value(),
        "{'model':'gpt-4o-mini','temperature':0.2,'user':'<EMAIL_1>',"
            + "'metadata':{'owner':'<EMAIL_1>'},"
            + "'tools':[{'type':'function','function':{'name':'lookup','description':"
            + "'Finds jane@example.com','parameters':{'type':'object'}}}],"
            + "'messages':["
            + "{'role':'system','content':'Support agent for <EMAIL_1>'},"
            + "{'role':'user','name':'jane','content':[{'type':'text','text':'Call me at"
            + " <PHONE_1>'},{'type':'image_url','image_url':{'url':"
            + "'https://img.example.com/a.png?u=jane@example.com'}}]},"
            + "{'role':'assistant','tool_calls':[{'id':'call_1','type':"
            + "'function','function':{'name':'lookup','arguments':"
            + "'{\\'email\\':\\'<EMAIL_1>\\',\\'card\\':\\'<CARD_1>\\'}'}}]},"
            + "{'role':'tool','tool_call_id':'call_1','content':'Found <EMAIL_2>"
            + " at <IP_1>'},"
            + "{'role':'assistant','content':'Done, I wrote to <EMAIL_2>',"
            + "'refusal':'no <EMAIL_1>'}]}");
    // user and metadata values reach the upstream too: redacted and counted (keys stay)
    assertThat(r.counts())
        .containsEntry("EMAIL", 7)
        .containsEntry("PHONE", 1)
        .containsEntry("CARD", 1)
        .containsEntry("IP", 1);
    assertThat(r.total()).isEqualTo(10);
    assertThat(r.toString()).doesNotContain("example");
    // the original is untouched
    assertThat(request.messages().get(0).text()).contains("jane@example.com");
  }

  @Test
  void responsesRequestRedactsInstructionsInputItemsAndOutputs() {
    String json =
        q(
            "{'model':'gpt-4.1','instructions':'Customer is jane@example.com','store':false,"
                + "'input':["
                + "{'role':'user','content':'My SSN is 123-45-6789'},"
                + "{'type':'message','role':'user','content':[{'type':'input_text','text':"
                + "'IBAN DE89 3704 0044 0532 0130 00'},{'type':'input_image','image_url':"
                + "'https://x.example.com/i.png','detail':'auto'}]},"
                + "{'type':'message','role':'assistant','content':[{'type':'output_text',"
                + "'text':'Noted (415) 555-2671','annotations':[]}]},"
                + "{'type':'function_call','call_id':'c1','name':'crm','arguments':"
                + "'{\\'q\\':\\'jane@example.com\\'}'},"
                + "{'type':'function_call_output','call_id':'c1','output':'owner:"
                + " bob@example.org'},"
                + "{'type':'function_call_output','call_id':'c2','output':[{'type':"
                + "'input_text','text':'born on 1985-03-12'}]}]}");
    CreateResponseRequest request = JSONB.fromJson(json, CreateResponseRequest.class);
    Redacted<CreateResponseRequest> r = REDACTOR.redact(request, null, new PlaceholderVault());
    assertSameJson(
        r.value(),
        "{'model':'gpt-4.1','instructions':'Customer is <EMAIL_1>','store':false,"
            + "'input':["
            + "{'role':'user','content':'My SSN is <SSN_1>'},"
            + "{'type':'message','role':'user','content':[{'type':'input_text','text':"
            + "'IBAN <IBAN_1>'},{'type':'input_image','image_url':"
            + "'https://x.example.com/i.png','detail':'auto'}]},"
            + "{'type':'message','role':'assistant','content':[{'type':'output_text',"
            + "'text':'Noted <PHONE_1>','annotations':[]}]},"
            + "{'type':'function_call','call_id':'c1','name':'crm','arguments':"
            + "'{\\'q\\':\\'<EMAIL_1>\\'}'},"
            + "{'type':'function_call_output','call_id':'c1','output':'owner: <EMAIL_2>'},"
            + "{'type':'function_call_output','call_id':'c2','output':[{'type':"
            + "'input_text','text':'born on <DOB_1>'}]}]}");
    assertThat(r.counts())
        .containsEntry("EMAIL", 3)
        .containsEntry("SSN", 1)
        .containsEntry("IBAN", 1)
        .containsEntry("PHONE", 1)
        .containsEntry("DOB", 1);
  }

  @Test
  void stringInputStaysAString() {
    CreateResponseRequest request =
        JSONB.fromJson(
            q("{'model':'m','input':'mail jane@example.com'}"), CreateResponseRequest.class);
    assertSameJson(
        REDACTOR.redact(request, null, new PlaceholderVault()).value(),
        "{'model':'m','input':'mail <EMAIL_1>'}");
  }

  @Test
  void blockedSecretInAToolResultRefusesTheRequest() {
    ChatCompletionRequest request =
        JSONB.fromJson(
            q(
                "{'model':'m','messages':[{'role':'tool','tool_call_id':'c','content':"
                    + "'key AKIAIOSFODNN7EXAMPLE'}]}"),
            ChatCompletionRequest.class);
    assertThatThrownBy(() -> REDACTOR.redact(request, null, new PlaceholderVault()))
        .isInstanceOf(PiiBlockedRefusal.class)
        .hasMessageNotContaining("AKIA");
  }

  @Test
  void jsonlFilesAreRedactedLineByLineAndStayValid() {
    String line1 =
        q(
            "{'custom_id':'r1','method':'POST','url':'/v1/chat/completions','body':{'model':'m',"
                + "'messages':[{'role':'user','content':'Mail jane@example.com \\'now\\''}]}}");
    String line2 =
        q(
            "{'custom_id':'r2','method':'POST','url':'/v1/chat/completions','body':{'model':'m',"
                + "'messages':[{'role':'user','content':'Card 4111 1111 1111 1111'}]}}");
    byte[] file = (line1 + "\n" + line2 + "\n").getBytes(StandardCharsets.UTF_8);
    Redacted<byte[]> r = REDACTOR.redactJsonl(file, null, new PlaceholderVault());
    String[] lines = new String(r.value(), StandardCharsets.UTF_8).split("\n");
    assertThat(lines).hasSize(2);
    assertThat(tree(lines[0])).isEqualTo(tree(line1.replace("jane@example.com", "<EMAIL_1>")));
    assertThat(tree(lines[1])).isEqualTo(tree(line2.replace("4111 1111 1111 1111", "<CARD_1>")));
    assertThat(r.counts()).containsEntry("EMAIL", 1).containsEntry("CARD", 1);
  }

  @Test
  void invalidUtf8FailsClosed() {
    byte[] bad = {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
    assertThatThrownBy(() -> REDACTOR.redactJsonl(bad, null, new PlaceholderVault()))
        .isInstanceOf(RedactionFailedRefusal.class);
  }

  @Test
  void plainTextFiles() {
    byte[] file = "name,email\nJane,jane@example.com\n".getBytes(StandardCharsets.UTF_8);
    Redacted<byte[]> r = REDACTOR.redactText(file, null, new PlaceholderVault());
    assertThat(new String(r.value(), StandardCharsets.UTF_8))
        .isEqualTo("name,email\nJane,<EMAIL_1>\n");
  }

  @Test
  void chatCompletionRehydrationRestoresTextAndJsonEscapedToolArguments() {
    PlaceholderVault vault = new PlaceholderVault();
    vault.placeholder(EntityType.EMAIL, "jane@example.com");
    vault.placeholder(EntityType.of("NOTE"), "He said \"hi\"\\\n");
    String json =
        q(
            "{'id':'c1','object':'chat.completion','created':1,'model':'m','choices':["
                + "{'index':0,'finish_reason':'tool_calls','message':{'role':'assistant',"
                + "'content':'Writing to <EMAIL_1> now, not <EMAIL_7>.','tool_calls':["
                + "{'id':'t1','type':'function','function':{'name':'send','arguments':"
                + "'{\\'to\\':\\'<EMAIL_1>\\',\\'note\\':\\'<NOTE_1>\\'}'}}]}}],"
                + "'usage':{'prompt_tokens':3,'completion_tokens':4,'total_tokens':7}}");
    ChatCompletion completion = JSONB.fromJson(json, ChatCompletion.class);
    ChatCompletion restored = new Rehydrator(vault).rehydrate(completion);
    assertThat(restored.firstText()).isEqualTo("Writing to jane@example.com now, not <EMAIL_7>.");
    String arguments = restored.firstMessage().toolCalls().get(0).function().arguments();
    assertThat(tree(arguments).asJsonObject().getString("note")).isEqualTo("He said \"hi\"\\\n");
    assertThat(tree(arguments).asJsonObject().getString("to")).isEqualTo("jane@example.com");
    assertThat(restored.usage()).isEqualTo(completion.usage());
    assertThat(restored.id()).isEqualTo("c1");
  }

  @Test
  void modelResponseRehydration() {
    PlaceholderVault vault = new PlaceholderVault();
    vault.placeholder(EntityType.PHONE, "(415) 555-2671");
    String json =
        q(
            "{'id':'r1','object':'response','created_at':1,'status':'completed','model':'m',"
                + "'output':[{'type':'message','id':'m1','status':'completed','role':'assistant',"
                + "'content':[{'type':'output_text','text':'Call <PHONE_1>.','annotations':[]}]},"
                + "{'type':'function_call','id':'f1','call_id':'c1','name':'dial','arguments':"
                + "'{\\'n\\':\\'<PHONE_1>\\'}','status':'completed'}]}");
    ModelResponse response = JSONB.fromJson(json, ModelResponse.class);
    ModelResponse restored = new Rehydrator(vault).rehydrate(response);
    assertThat(restored.outputText()).isEqualTo("Call (415) 555-2671.");
    assertThat(restored.functionCalls().get(0).arguments()).isEqualTo("{\"n\":\"(415) 555-2671\"}");
    assertSameJson(
        restored,
        json.replace("<PHONE_1>", "(415) 555-2671").replace('"', '\'').replace("\\'", "\\'"));
  }

  @Test
  void redactThenRehydrateRoundTrips() {
    PlaceholderVault vault = new PlaceholderVault();
    String text = "jane@example.com, 4111 1111 1111 1111, +44 20 7946 0958, 10.1.2.3";
    String redacted = REDACTOR.engine().redact(text, null, vault).text();
    assertThat(redacted).doesNotContain("jane", "4111", "7946", "10.1.2.3");
    assertThat(new Rehydrator(vault).text(redacted)).isEqualTo(text);
  }

  @Test
  void embeddingInputTextsAreRedactedWithOneVault() {
    PlaceholderVault vault = new PlaceholderVault();
    EmbeddingRequest request =
        new EmbeddingRequest(
            EmbeddingInput.of(
                java.util.List.of(
                    "About jane@example.com", "jane@example.com and bob@example.org")),
            "text-embedding-3-small",
            256,
            null,
            "u-1");

    Redacted<EmbeddingRequest> red = REDACTOR.redact(request, null, vault);

    assertSameJson(
        red.value(),
        "{'model':'text-embedding-3-small','dimensions':256,'user':'u-1','input':"
            + "['About <EMAIL_1>','<EMAIL_1> and <EMAIL_2>']}");
    assertThat(red.counts()).containsEntry("EMAIL", 3);
    assertSameJson(
        REDACTOR
            .redact(
                EmbeddingRequest.of("text-embedding-3-small", "mail jane@example.com"), null, vault)
            .value(),
        "{'model':'text-embedding-3-small','input':'mail <EMAIL_1>'}");
  }

  @Test
  void embeddingTokenInputIsLeftAlone() {
    EmbeddingRequest tokens =
        new EmbeddingRequest(EmbeddingInput.ofTokens(1, 2, 3), "m", null, null, null);
    assertThat(REDACTOR.redact(tokens, null, new PlaceholderVault()).value()).isSameAs(tokens);
  }

  @Test
  void storedInputItemsAndBatchResultsAreRehydrated() {
    PlaceholderVault vault = new PlaceholderVault();
    String placeholder = vault.placeholder(EntityType.EMAIL, "o'hara\"q@example.com");
    ResponseItemList items =
        JSONB.fromJson(
            q(
                "{'object':'list','data':[{'type':'message','role':'user','content':"
                    + "[{'type':'input_text','text':'mail "
                    + placeholder
                    + "'}]}],'has_more':false}"),
            ResponseItemList.class);
    Rehydrator rehydrator = new Rehydrator(vault);

    assertThat(JSONB.toJson(rehydrator.rehydrate(items)))
        .contains("mail o'hara\\\"q@example.com")
        .doesNotContain("<EMAIL_1>");

    byte[] jsonl =
        ("{\"custom_id\":\"a\",\"response\":{\"body\":{\"text\":\"to " + placeholder + "\"}}}\n")
            .getBytes(StandardCharsets.UTF_8);
    String restored = new String(rehydrator.rehydrateJson(jsonl), StandardCharsets.UTF_8);
    assertThat(
            tree(restored.strip())
                .asJsonObject()
                .getJsonObject("response")
                .getJsonObject("body")
                .getString("text"))
        .isEqualTo("to o'hara\"q@example.com");
  }
}
