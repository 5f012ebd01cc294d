package dev.warden.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.warden.call.refusal.OutputValidationRefusal;
import dev.warden.openai.model.ChatCompletion;
import dev.warden.openai.model.ChatCompletionRequest;
import dev.warden.openai.model.CreateResponseRequest;
import dev.warden.openai.model.ModelResponse;
import dev.warden.openai.stream.StreamResult;
import dev.warden.openai.stream.TokenUsage;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.validation.Validation;
import jakarta.validation.ValidatorFactory;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class OutputValidatorTest {

  private static final Jsonb JSONB = JsonbBuilder.create();
  private static final ValidatorFactory BEANS = Validation.buildDefaultValidatorFactory();

  private static final String ORDER_SCHEMA =
      "{'type':'object','additionalProperties':false,'required':['sku','quantity'],"
          + "'properties':{'sku':{'type':'string','pattern':'^[A-Z]{3}-[0-9]{4}$'},"
          + "'quantity':{'type':'integer','minimum':1}}}";

  private static final String TOOLS =
      "'tools':[{'type':'function','function':{'name':'refund','strict':true,'parameters':"
          + "{'type':'object','additionalProperties':false,'required':['order','amount'],"
          + "'properties':{'order':{'type':'string'},'amount':{'type':'number'}}}}}]";

  private final List<String> seenByApplication = new ArrayList<>();

  /** An application validator: refunds above 100 need a human. */
  private final ToolCallValidator refundLimit =
      new ToolCallValidator() {
        @Override
        public boolean appliesTo(String toolName) {
          return toolName.equals("refund");
        }

        @Override
        public List<OutputViolation> validate(ProposedToolCall call) {
          seenByApplication.add(call.callId());
          return call.arguments().getJsonNumber("amount").doubleValue() > 100
              ? List.of(new OutputViolation("amount", "refunds above 100 need approval"))
              : List.of();
        }
      };

  private final OutputValidator validator =
      new OutputValidator(List.of(refundLimit), BEANS.getValidator());

  @AfterAll
  static void close() throws Exception {
    JSONB.close();
    BEANS.close();
  }

  private static String q(String json) {
    return json.replace('\'', '"');
  }

  private static ChatCompletionRequest chatRequest(String extra) {
    return JSONB.fromJson(
        q("{'model':'m','messages':[{'role':'user','content':'x'}]" + extra + "}"),
        ChatCompletionRequest.class);
  }

  private static ChatCompletion answer(String message) {
    return JSONB.fromJson(
        q(
            "{'id':'c','object':'chat.completion','model':'m','choices':[{'index':0,"
                + "'finish_reason':'stop','message':"
                + message
                + "}]}"),
        ChatCompletion.class);
  }

  private static ChatCompletion text(String content) {
    return answer(
        "{'role':'assistant','content':" + JSONB.toJson(content).replace('"', '\'') + "}");
  }

  private static ChatCompletion toolCall(String id, String name, String arguments) {
    return answer(
        "{'role':'assistant','content':null,'tool_calls':[{'id':'"
            + id
            + "','type':'function','function':{'name':'"
            + name
            + "','arguments':"
            + JSONB.toJson(arguments).replace('"', '\'')
            + "}}]}");
  }

  private static final String SCHEMA_FORMAT =
      ",'response_format':{'type':'json_schema','json_schema':{'name':'order','strict':true,"
          + "'schema':"
          + ORDER_SCHEMA
          + "}}";

  @Test
  void aStructuredOutputMatchingItsSchemaPasses() {
    assertThatCode(
            () ->
                validator.check(
                    chatRequest(SCHEMA_FORMAT), text("{\"sku\":\"ABC-1234\",\"quantity\":2}")))
        .doesNotThrowAnyException();
  }

  @Test
  void aStructuredOutputBreakingItsSchemaIsWithheldNamingWhereAndWhichRule() {
    OutputValidationRefusal e =
        catchThrowableOfType(
            OutputValidationRefusal.class,
            () ->
                validator.check(
                    chatRequest(SCHEMA_FORMAT),
                    text("{\"sku\":\"secret-value-42\",\"quantity\":0,\"extra\":true}")));

    assertThat(e.status()).isEqualTo(502);
    assertThat(e.code()).isEqualTo("output_validation_failed");
    assertThat(e.violations())
        .anySatisfy(v -> assertThat(v).startsWith("choices[0].sku").contains("pattern"))
        .anySatisfy(v -> assertThat(v).startsWith("choices[0].quantity").contains("minimum"))
        .anySatisfy(v -> assertThat(v).contains("additionalProperties"));
    assertThat(e.getMessage()).doesNotContain("secret-value-42");
  }

  @Test
  void truncatedOrNonJsonOutputIsWithheld() {
    assertThat(
            catchThrowableOfType(
                    OutputValidationRefusal.class,
                    () -> validator.check(chatRequest(SCHEMA_FORMAT), text("{\"sku\":\"AB")))
                .violations())
        .containsExactly("choices[0]: the output is not valid JSON");
    assertThat(
            catchThrowableOfType(
                    OutputValidationRefusal.class,
                    () ->
                        validator.check(
                            chatRequest(",'response_format':{'type':'json_object'}"),
                            text("Sure! Here it is")))
                .violations())
        .containsExactly("choices[0]: the output is not a JSON object");
  }

  @Test
  void aRefusalIsNotValidated() {
    assertThatCode(
            () ->
                validator.check(
                    chatRequest(SCHEMA_FORMAT),
                    answer("{'role':'assistant','content':null,'refusal':'I cannot help'}")))
        .doesNotThrowAnyException();
  }

  @Test
  void toolCallsAreCheckedAgainstTheirSchemaThenByTheApplication() {
    ChatCompletionRequest request = chatRequest("," + TOOLS);

    assertThatCode(
            () ->
                validator.check(
                    request, toolCall("call_1", "refund", "{\"order\":\"o-1\",\"amount\":20}")))
        .doesNotThrowAnyException();
    assertThat(seenByApplication).containsExactly("call_1");

    OutputValidationRefusal tooMuch =
        catchThrowableOfType(
            OutputValidationRefusal.class,
            () ->
                validator.check(
                    request, toolCall("call_2", "refund", "{\"order\":\"o-1\",\"amount\":500}")));
    assertThat(tooMuch.violations())
        .containsExactly("tool_calls[call_2] amount: refunds above 100 need approval");

    OutputValidationRefusal badArguments =
        catchThrowableOfType(
            OutputValidationRefusal.class,
            () -> validator.check(request, toolCall("call_3", "refund", "{\"order\":7}")));
    assertThat(badArguments.violations())
        .anySatisfy(v -> assertThat(v).startsWith("tool_calls[call_3]").contains("required"))
        .anySatisfy(v -> assertThat(v).startsWith("tool_calls[call_3].order").contains("type"));
    // the application never saw the calls that failed the schema
    assertThat(seenByApplication).containsExactly("call_1", "call_2");

    assertThat(
            catchThrowableOfType(
                    OutputValidationRefusal.class,
                    () -> validator.check(request, toolCall("call_4", "delete_all", "{}")))
                .violations())
        .containsExactly("tool_calls[call_4]: the model called a tool that was not offered");
    assertThat(
            catchThrowableOfType(
                    OutputValidationRefusal.class,
                    () -> validator.check(request, toolCall("call_5", "refund", "[1,2]")))
                .violations())
        .containsExactly("tool_calls[call_5]: the arguments are not a JSON object");
  }

  @Test
  void aFailingApplicationValidatorRejectsTheCall() {
    ToolCallValidator broken =
        new ToolCallValidator() {
          @Override
          public boolean appliesTo(String toolName) {
            return true;
          }

          @Override
          public List<OutputViolation> validate(ProposedToolCall call) {
            throw new IllegalStateException("database down");
          }
        };
    OutputValidator strict = new OutputValidator(List.of(broken), BEANS.getValidator());

    assertThat(
            catchThrowableOfType(
                    OutputValidationRefusal.class,
                    () ->
                        strict.check(
                            chatRequest("," + TOOLS),
                            toolCall("call_1", "refund", "{\"order\":\"o\",\"amount\":1}")))
                .violations())
        .singleElement()
        .asString()
        .contains("failed");
  }

  @Test
  void responsesFunctionCallsAndStructuredTextAreChecked() {
    CreateResponseRequest request =
        JSONB.fromJson(
            q(
                "{'model':'m','input':'x','text':{'format':{'type':'json_schema','name':'order',"
                    + "'schema':"
                    + ORDER_SCHEMA
                    + "}},'tools':[{'type':'function','name':'refund','parameters':"
                    + "{'type':'object','required':['order'],'properties':{'order':"
                    + "{'type':'string'}}}}]}"),
            CreateResponseRequest.class);
    ModelResponse good =
        JSONB.fromJson(
            q(
                "{'id':'r','object':'response','status':'completed','model':'m','output':["
                    + "{'type':'message','role':'assistant','content':[{'type':'output_text',"
                    + "'text':'{\\'sku\\':\\'ABC-1234\\',\\'quantity\\':1}'}]}]}"),
            ModelResponse.class);
    assertThatCode(() -> validator.check(request, good)).doesNotThrowAnyException();

    ModelResponse badCall =
        JSONB.fromJson(
            q(
                "{'id':'r','object':'response','status':'completed','model':'m','output':["
                    + "{'type':'function_call','call_id':'call_9','name':'refund',"
                    + "'arguments':'{}'}]}"),
            ModelResponse.class);
    assertThat(
            catchThrowableOfType(
                    OutputValidationRefusal.class, () -> validator.check(request, badCall))
                .violations())
        .singleElement()
        .asString()
        .startsWith("tool_calls[call_9]")
        .contains("required");
  }

  @Test
  void aCompletedStreamIsCheckedLikeAWholeAnswer() {
    StreamResult streamed =
        new StreamResult(
            "{\"sku\":\"nope\",\"quantity\":1}",
            List.of(),
            "stop",
            TokenUsage.NONE,
            "m",
            "c",
            null);
    assertThat(
            catchThrowableOfType(
                    OutputValidationRefusal.class,
                    () -> validator.check(chatRequest(SCHEMA_FORMAT), streamed))
                .violations())
        .singleElement()
        .asString()
        .startsWith("output.sku");
  }

  /** A typed result with Bean Validation constraints. */
  public record Order(@NotBlank String sku, @Positive int quantity) {}

  @Test
  void bindingChecksTheSchemaThenBeanValidation() {
    Order order =
        validator.bind(
            "{\"sku\":\"ABC-1234\",\"quantity\":3}",
            JSONB.fromJson(q(ORDER_SCHEMA), jakarta.json.JsonObject.class),
            Order.class);
    assertThat(order).isEqualTo(new Order("ABC-1234", 3));

    assertThat(
            catchThrowableOfType(
                    OutputValidationRefusal.class,
                    () -> validator.bind("{\"sku\":\" \",\"quantity\":-1}", null, Order.class))
                .violations())
        .containsExactlyInAnyOrder(
            "$.sku: must not be blank", "$.quantity: must be greater than 0");
  }

  @Test
  void remoteReferencesInASchemaAreNeverFetched() {
    String schema = "{\"$ref\":\"http://127.0.0.1:9/evil.json\"}";
    List<OutputViolation> found =
        new SchemaCheck().check(JSONB.fromJson(schema, jakarta.json.JsonObject.class), "{\"a\":1}");
    assertThat(found).singleElement().extracting(OutputViolation::location).isEqualTo("$");
  }
}
