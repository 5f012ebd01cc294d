package dev.warden.cost;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.openai.model.ChatCompletionRequest;
import dev.warden.openai.model.ChatMessage;
import dev.warden.openai.model.ContentPart;
import dev.warden.openai.model.CreateResponseRequest;
import dev.warden.openai.model.MessageContent;
import dev.warden.openai.model.ResponseInput;
import dev.warden.openai.model.ResponseItem;
import dev.warden.openai.model.Tool;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenCounterTest {

  private final TokenCounter counter = new TokenCounter(ModelCatalog.from(CostSettings.shipped()));

  /** OpenAI cookbook "How to count tokens with tiktoken": the same six messages on two models. */
  private static List<ChatMessage> cookbookMessages() {
    return List.of(
        ChatMessage.system(
            "You are a helpful, pattern-following assistant that translates corporate jargon into"
                + " plain English."),
        named("example_user", "New synergies will help drive top-line growth."),
        named("example_assistant", "Things working well together will increase revenue."),
        named(
            "example_user",
            "Let's circle back when we have more time to touch base on opportunities for increased"
                + " leverage."),
        named("example_assistant", "Let's talk later when we're less busy about how to do better."),
        ChatMessage.user(
            "This late pivot means we don't have time to boil the ocean for the client"
                + " deliverable."));
  }

  private static ChatMessage named(String name, String content) {
    return new ChatMessage(
        "system", MessageContent.of(content), name, null, null, null, null, null);
  }

  private static ChatCompletionRequest chat(String model, List<ChatMessage> messages) {
    return ChatCompletionRequest.builder().model(model).messages(messages).build();
  }

  @Test
  void matchesWhatTheApiReportsForTheCookbookExample() {
    // the prompt_tokens the API reported in the cookbook for these messages
    assertThat(counter.count(chat("gpt-4-0613", cookbookMessages()))).isEqualTo(129);
    assertThat(counter.count(chat("gpt-4o", cookbookMessages()))).isEqualTo(124);
  }

  @Test
  void countsEachEmbeddingInputOnItsOwn() {
    var texts =
        dev.warden.openai.model.EmbeddingRequest.of(
            "text-embedding-3-small", List.of("hello world", "a b c d"));
    int[] each = counter.countEach(texts);
    assertThat(each).containsExactly(2, 4);
    assertThat(counter.count(texts)).isEqualTo(6);
    var tokens =
        new dev.warden.openai.model.EmbeddingRequest(
            dev.warden.openai.model.EmbeddingInput.ofTokenArrays(
                List.of(new int[] {1, 2, 3}, new int[] {4})),
            "text-embedding-3-small",
            null,
            null,
            null);
    assertThat(counter.countEach(tokens)).containsExactly(3, 1);
  }

  @Test
  void picksTheEncodingByModelFamily() {
    assertThat(counter.encodingOf("gpt-4o-mini-2024-07-18").getName()).isEqualTo("o200k_base");
    assertThat(counter.encodingOf("gpt-4.1-nano").getName()).isEqualTo("o200k_base");
    assertThat(counter.encodingOf("gpt-5").getName()).isEqualTo("o200k_base");
    assertThat(counter.encodingOf("o3-mini").getName()).isEqualTo("o200k_base");
    assertThat(counter.encodingOf("gpt-4-turbo").getName()).isEqualTo("cl100k_base");
    assertThat(counter.encodingOf("gpt-3.5-turbo-0125").getName()).isEqualTo("cl100k_base");
    assertThat(counter.encodingOf("text-embedding-3-small").getName()).isEqualTo("cl100k_base");
  }

  @Test
  void theConfiguredEncodingWins() {
    TokenCounter custom =
        new TokenCounter(
            ModelCatalog.from(CostSettings.only("warden.model.my-model.encoding", "cl100k_base")));
    assertThat(custom.encodingOf("my-model").getName()).isEqualTo("cl100k_base");
    assertThat(custom.encodingOf("other").getName()).isEqualTo("o200k_base");
  }

  @Test
  void toolSchemasAndImagesAddTokens() {
    List<ChatMessage> one = List.of(ChatMessage.user("What is the weather in Paris?"));
    int bare = counter.count(chat("gpt-4o", one));
    JsonObject schema =
        Json.createObjectBuilder()
            .add("type", "object")
            .add(
                "properties",
                Json.createObjectBuilder()
                    .add("city", Json.createObjectBuilder().add("type", "string")))
            .build();
    ChatCompletionRequest withTool =
        chat("gpt-4o", one).toBuilder()
            .tools(List.of(Tool.function("get_weather", "Weather of a city", schema)))
            .build();
    int schemaTokens =
        counter.encodingOf("gpt-4o").countTokensOrdinary(schema.toString())
            + counter.encodingOf("gpt-4o").countTokensOrdinary("get_weather")
            + counter.encodingOf("gpt-4o").countTokensOrdinary("Weather of a city");
    assertThat(counter.count(withTool))
        .isEqualTo(bare + TokenCounter.TOOLS_OVERHEAD + TokenCounter.PER_TOOL + schemaTokens);

    ChatCompletionRequest image =
        chat(
            "gpt-4o",
            List.of(
                ChatMessage.user(
                    ContentPart.text("What is the weather in Paris?"),
                    ContentPart.imageUrl("https://example.com/a.png", "low"))));
    // a remote image at low detail: the base tokens of a GPT-4o tile model
    assertThat(counter.count(image)).isEqualTo(bare + 85);
  }

  @Test
  void specialTokenTextIsCountedAsText() {
    int n = counter.count(chat("gpt-4o", List.of(ChatMessage.user("<|endoftext|>"))));
    assertThat(n).isGreaterThan(TokenCounter.REPLY_PRIMING + TokenCounter.PER_MESSAGE + 1);
  }

  @Test
  void countsResponsesInputStringItemsAndInstructions() {
    var enc = counter.encodingOf("gpt-4o");
    CreateResponseRequest plain =
        CreateResponseRequest.builder()
            .model("gpt-4o")
            .input(ResponseInput.of("Tell me a joke"))
            .build();
    int text = enc.countTokensOrdinary("Tell me a joke");
    assertThat(counter.count(plain))
        .isEqualTo(TokenCounter.REPLY_PRIMING + TokenCounter.PER_MESSAGE + text);

    CreateResponseRequest withInstructions = plain.toBuilder().instructions("Be brief").build();
    assertThat(counter.count(withInstructions))
        .isEqualTo(
            counter.count(plain) + TokenCounter.PER_MESSAGE + enc.countTokensOrdinary("Be brief"));

    CreateResponseRequest items =
        CreateResponseRequest.builder()
            .model("gpt-4o")
            .input(
                ResponseInput.of(
                    List.of(
                        ResponseItem.message("user", "Tell me a joke"),
                        ResponseItem.functionCall("call_1", "lookup", "{\"q\":\"jokes\"}"))))
            .build();
    assertThat(counter.count(items))
        .isEqualTo(
            TokenCounter.REPLY_PRIMING
                + 2 * TokenCounter.PER_MESSAGE
                + enc.countTokensOrdinary("user")
                + text
                + enc.countTokensOrdinary("lookup")
                + enc.countTokensOrdinary("{\"q\":\"jokes\"}")
                + enc.countTokensOrdinary("call_1"));
  }
}
