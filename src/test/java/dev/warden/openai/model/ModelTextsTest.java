package dev.warden.openai.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.openai.internal.SharedJsonb;
import dev.warden.openai.model.ModelTexts.Field;
import dev.warden.openai.model.ModelTexts.Place;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelTextsTest {

  private static String q(String json) {
    return json.replace('\'', '"');
  }

  private static String json(Object o) {
    return SharedJsonb.JSONB.toJson(o);
  }

  @Test
  void aChatRequestsTextsAreVisitedWithTheirPlaceAndEverythingElseIsKept() {
    ChatCompletionRequest request =
        SharedJsonb.JSONB.fromJson(
            q(
                "{'model':'m','temperature':0.5,'messages':["
                    + "{'role':'system','content':'sys'},"
                    + "{'role':'user','content':[{'type':'text','text':'a'},"
                    + "{'type':'image_url','image_url':{'url':'https://x/i.png'}},"
                    + "{'type':'text','text':'b'}]},"
                    + "{'role':'assistant','refusal':'no','tool_calls':[{'id':'c1','type':"
                    + "'function','function':{'name':'f','arguments':'{\\'k\\':\\'v\\'}'}},"
                    + "{'id':'c2','type':'custom','custom':{'name':'g','input':'free'}}]},"
                    + "{'role':'tool','tool_call_id':'c1','content':'result'}]}"),
            ChatCompletionRequest.class);
    List<String> seen = new ArrayList<>();
    ModelTexts.forEach(
        request,
        (text, at) -> seen.add(at.index() + " " + at.role() + " " + at.field() + " " + text));
    assertThat(seen)
        .containsExactly(
            "0 system CONTENT sys",
            "1 user CONTENT a",
            "1 user CONTENT b",
            "2 assistant ARGUMENTS {\"k\":\"v\"}",
            "2 assistant TOOL_INPUT free",
            "2 assistant REFUSAL no",
            "3 tool CONTENT result");

    ChatCompletionRequest upper = ModelTexts.map(request, (text, at) -> text.toUpperCase());
    assertThat(json(upper))
        .isEqualTo(
            json(request)
                .replace("\"sys\"", "\"SYS\"")
                .replace("\"a\"", "\"A\"")
                .replace("\"b\"", "\"B\"")
                .replace("{\\\"k\\\":\\\"v\\\"}", "{\\\"K\\\":\\\"V\\\"}")
                .replace("\"free\"", "\"FREE\"")
                .replace("\"no\"", "\"NO\"")
                .replace("\"result\"", "\"RESULT\""));
    assertThat(ModelTexts.map(request, (text, at) -> text)).isEqualTo(request);
  }

  @Test
  void aResponsesRequestKeepsStringContentAStringAndSkipsIdentifiersInOutputs() {
    CreateResponseRequest request =
        SharedJsonb.JSONB.fromJson(
            q(
                "{'model':'m','instructions':'ins','input':["
                    + "{'role':'user','content':'hi'},"
                    + "{'type':'function_call','call_id':'c1','name':'f','arguments':'{}'},"
                    + "{'type':'function_call_output','call_id':'c1','output':[{'type':"
                    + "'input_text','text':'out'},{'type':'input_image','file_id':'file-1'}]}]}"),
            CreateResponseRequest.class);
    List<Place> places = new ArrayList<>();
    List<String> texts = new ArrayList<>();
    ModelTexts.forEach(
        request,
        (text, at) -> {
          places.add(at);
          texts.add(text);
        });
    assertThat(texts).containsExactly("ins", "hi", "{}", "out");
    assertThat(places)
        .containsExactly(
            new Place(Field.INSTRUCTIONS, null, null, -1),
            new Place(Field.CONTENT, "user", null, 0),
            new Place(Field.ARGUMENTS, null, "function_call", 1),
            new Place(Field.TOOL_OUTPUT, null, "function_call_output", 2));
    assertThat(places.get(2).json()).isTrue();

    CreateResponseRequest mapped = ModelTexts.map(request, (text, at) -> "[" + text + "]");
    assertThat(json(mapped))
        .contains("\"content\":\"[hi]\"")
        .contains("\"text\":\"[out]\"")
        .contains("\"file_id\":\"file-1\"")
        .contains("\"instructions\":\"[ins]\"");
    CreateResponseRequest plain =
        CreateResponseRequest.builder().model("m").input(ResponseInput.of("text")).build();
    assertThat(ModelTexts.map(plain, (text, at) -> text + "!").input().string()).isEqualTo("text!");
  }

  @Test
  void embeddingTextsAreMappedAndTokenIdsLeftAlone() {
    EmbeddingRequest texts = EmbeddingRequest.of("e", List.of("x", "y"));
    assertThat(ModelTexts.map(texts, (t, at) -> t + at.index()).input().texts())
        .containsExactly("x0", "y1");
    EmbeddingRequest one = EmbeddingRequest.of("e", "x");
    assertThat(ModelTexts.map(one, (t, at) -> t + "!").input().isString()).isTrue();
    EmbeddingRequest tokens =
        new EmbeddingRequest(EmbeddingInput.ofTokens(1, 2), "e", null, null, null);
    assertThat(ModelTexts.map(tokens, (t, at) -> "changed")).isSameAs(tokens);
  }

  @Test
  void answersAreMappedToo() {
    ChatCompletion completion =
        SharedJsonb.JSONB.fromJson(
            q(
                "{'id':'x','object':'chat.completion','created':1,'model':'m','choices':[{"
                    + "'index':0,'finish_reason':'stop','message':{'role':'assistant',"
                    + "'content':'hello'}}]}"),
            ChatCompletion.class);
    assertThat(ModelTexts.map(completion, (t, at) -> t + "!").choices().get(0).message().text())
        .isEqualTo("hello!");
    ModelResponse response =
        SharedJsonb.JSONB.fromJson(
            q(
                "{'id':'r','object':'response','created_at':1,'status':'completed','model':'m',"
                    + "'instructions':'be brief','output':[{'type':'message','role':'assistant',"
                    + "'content':[{'type':'output_text','text':'hi','annotations':[]}]}]}"),
            ModelResponse.class);
    ModelResponse mapped = ModelTexts.map(response, (t, at) -> t.toUpperCase());
    assertThat(mapped.instructionsText()).isEqualTo("BE BRIEF");
    assertThat(mapped.output().get(0).text()).isEqualTo("HI");
    assertThat(mapped.id()).isEqualTo("r");
  }

  @Test
  void userSafetyIdentifierAndMetadataValuesAreTextsOfEveryRequestKeysStay() {
    ChatCompletionRequest chat =
        SharedJsonb.JSONB.fromJson(
            q(
                "{'model':'m','user':'u','safety_identifier':'s','metadata':{'k1':'v1','k2':'v2'},"
                    + "'messages':[{'role':'user','content':'c'}]}"),
            ChatCompletionRequest.class);
    List<String> seen = new ArrayList<>();
    ModelTexts.forEach(chat, (text, at) -> seen.add(at.field() + " " + text + " " + at.index()));
    assertThat(seen)
        .contains("USER u -1", "SAFETY_IDENTIFIER s -1", "METADATA v1 -1", "METADATA v2 -1");
    ChatCompletionRequest mapped = ModelTexts.map(chat, (text, at) -> text.toUpperCase());
    assertThat(mapped.user()).isEqualTo("U");
    assertThat(mapped.safetyIdentifier()).isEqualTo("S");
    assertThat(mapped.metadata()).containsExactly(Map.entry("k1", "V1"), Map.entry("k2", "V2"));
    assertThat(ModelTexts.map(chat, (text, at) -> text)).isEqualTo(chat);

    CreateResponseRequest responses =
        CreateResponseRequest.builder()
            .model("m")
            .input(ResponseInput.of("hi"))
            .user("u")
            .safetyIdentifier("s")
            .metadata("k", "v")
            .build();
    CreateResponseRequest mappedResponses = ModelTexts.map(responses, (t, at) -> "[" + t + "]");
    assertThat(mappedResponses.user()).isEqualTo("[u]");
    assertThat(mappedResponses.safetyIdentifier()).isEqualTo("[s]");
    assertThat(mappedResponses.metadata()).containsExactly(Map.entry("k", "[v]"));

    EmbeddingRequest embedding = new EmbeddingRequest(EmbeddingInput.of("x"), "e", null, null, "u");
    List<Place> places = new ArrayList<>();
    ModelTexts.forEach(embedding, (t, at) -> places.add(at));
    assertThat(places)
        .containsExactly(
            new Place(Field.EMBEDDING_INPUT, null, null, 0), new Place(Field.USER, null, null, -1));
    assertThat(ModelTexts.map(embedding, (t, at) -> t + "!").user()).isEqualTo("u!");
    EmbeddingRequest tokens =
        new EmbeddingRequest(EmbeddingInput.ofTokens(1, 2), "e", null, null, "u");
    EmbeddingRequest tokensMapped = ModelTexts.map(tokens, (t, at) -> t + "!");
    assertThat(tokensMapped.user()).isEqualTo("u!");
    assertThat(tokensMapped.input()).isSameAs(tokens.input());

    ModelResponse echoed =
        SharedJsonb.JSONB.fromJson(
            q(
                "{'id':'r','object':'response','created_at':1,'status':'completed','model':'m',"
                    + "'user':'u','safety_identifier':'s','metadata':{'k':'v'},'output':[]}"),
            ModelResponse.class);
    ModelResponse restored = ModelTexts.map(echoed, (t, at) -> t.toUpperCase());
    assertThat(restored.user()).isEqualTo("U");
    assertThat(restored.safetyIdentifier()).isEqualTo("S");
    assertThat(restored.metadata()).containsEntry("k", "V");
  }

  @Test
  void everyImageAudioAndFilePartOfAChatRequestIsOpaque() {
    ChatCompletionRequest request =
        SharedJsonb.JSONB.fromJson(
            q(
                "{'model':'m','messages':[{'role':'system','content':'sys'},"
                    + "{'role':'user','content':[{'type':'text','text':'look'},"
                    + "{'type':'image_url','image_url':{'url':'data:image/png;base64,iVBORw0K'}},"
                    + "{'type':'image_url','image_url':{'url':'https://x/i.png','detail':'low'}}]},"
                    + "{'role':'user','content':[{'type':'input_audio','input_audio':"
                    + "{'data':'UklGRg==','format':'wav'}},"
                    + "{'type':'file','file':{'filename':'a.pdf','file_data':'data:application/pdf;"
                    + "base64,JVBERi0='}},{'type':'file','file':{'file_id':'file-1'}}]}]}"),
            ChatCompletionRequest.class);
    assertThat(ModelTexts.opaque(request))
        .containsExactly(
            new ModelTexts.Opaque(ModelTexts.Media.IMAGE, "image_url", 1),
            new ModelTexts.Opaque(ModelTexts.Media.IMAGE, "image_url", 1),
            new ModelTexts.Opaque(ModelTexts.Media.AUDIO, "input_audio", 2),
            new ModelTexts.Opaque(ModelTexts.Media.FILE, "file", 2),
            new ModelTexts.Opaque(ModelTexts.Media.FILE, "file", 2));
    assertThat(ModelTexts.opaque(ChatCompletionRequest.builder().model("m").build())).isEmpty();
    assertThat(
            ModelTexts.opaque(
                ChatCompletionRequest.builder()
                    .model("m")
                    .messages(List.of(ChatMessage.user("only text")))
                    .build()))
        .isEmpty();
  }

  @Test
  void everyImageAudioAndFilePartOfAResponsesRequestIsOpaqueInToolOutputsAndPromptsToo() {
    CreateResponseRequest request =
        SharedJsonb.JSONB.fromJson(
            q(
                "{'model':'m','input':[{'role':'user','content':["
                    + "{'type':'input_text','text':'look'},"
                    + "{'type':'input_image','image_url':'data:image/png;base64,iVBORw0K'},"
                    + "{'type':'input_image','file_id':'file-1'},"
                    + "{'type':'input_file','filename':'a.pdf','file_data':'JVBERi0='},"
                    + "{'type':'input_file','file_url':'https://x/a.pdf'},"
                    + "{'type':'input_file','file_id':'file-2'}]},"
                    + "{'type':'function_call_output','call_id':'c1','output':[{'type':"
                    + "'input_text','text':'out'},{'type':'input_image','image_url':'https://x/o.png'}]},"
                    + "{'type':'computer_call_output','call_id':'c2','output':{'type':"
                    + "'computer_screenshot','image_url':'data:image/png;base64,AA=='}},"
                    + "{'type':'function_call_output','call_id':'c3','output':'plain text'}],"
                    + "'prompt':{'id':'pmpt_1','variables':{'who':'Ada','pic':{'type':'input_file',"
                    + "'file_id':'file-3'}}}}"),
            CreateResponseRequest.class);
    assertThat(ModelTexts.opaque(request))
        .containsExactly(
            new ModelTexts.Opaque(ModelTexts.Media.IMAGE, "input_image", 0),
            new ModelTexts.Opaque(ModelTexts.Media.IMAGE, "input_image", 0),
            new ModelTexts.Opaque(ModelTexts.Media.FILE, "input_file", 0),
            new ModelTexts.Opaque(ModelTexts.Media.FILE, "input_file", 0),
            new ModelTexts.Opaque(ModelTexts.Media.FILE, "input_file", 0),
            new ModelTexts.Opaque(ModelTexts.Media.IMAGE, "input_image", 1),
            new ModelTexts.Opaque(ModelTexts.Media.IMAGE, "computer_screenshot", 2),
            new ModelTexts.Opaque(ModelTexts.Media.FILE, "input_file", -1));
    assertThat(
            ModelTexts.opaque(
                CreateResponseRequest.builder().model("m").input(ResponseInput.of("hi")).build()))
        .isEmpty();
  }
}
