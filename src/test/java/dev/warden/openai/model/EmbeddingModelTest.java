package dev.warden.openai.model;

import static dev.warden.openai.model.RoundTrip.JSONB;
import static dev.warden.openai.model.RoundTrip.json;
import static dev.warden.openai.model.RoundTrip.read;
import static dev.warden.openai.model.RoundTrip.written;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.json.bind.JsonbException;
import java.util.List;
import org.junit.jupiter.api.Test;

class EmbeddingModelTest {

  /**
   * 1.0f, -2.0f, 0.5f, 0.15625f as little-endian float32s (0000803f 000000c0 0000003f 0000203e).
   */
  private static final String BASE64 = "AACAPwAAAMAAAAA/AAAgPg==";

  private static final float[] FLOATS = {1.0f, -2.0f, 0.5f, 0.15625f};

  @Test
  void base64EmbeddingPassesThroughUntouchedAndDecodes() {
    String response =
        "{\"data\":[{\"embedding\":\""
            + BASE64
            + "\",\"index\":0,\"object\":\"embedding\"}],\"model\":\"text-embedding-3-small\","
            + "\"object\":\"list\",\"usage\":{\"prompt_tokens\":3,\"total_tokens\":3}}";

    EmbeddingResponse parsed = read(response, EmbeddingResponse.class);

    Embedding embedding = parsed.data().get(0);
    assertThat(embedding.embedding().isBase64()).isTrue();
    assertThat(embedding.embedding().base64()).isEqualTo(BASE64);
    assertThat(embedding.vector()).containsExactly(FLOATS);
    assertThat(embedding.embedding().dimensions()).isEqualTo(4);
    assertThat(JSONB.toJson(parsed)).isEqualTo(response);
    assertThat(parsed.usage().promptTokens()).isEqualTo(3);
  }

  @Test
  void floatEmbeddingPassesThroughDigitForDigitAndDecodes() {
    String response =
        "{\"data\":[{\"embedding\":[0.0023064255,-0.009327292,1,0.123456789012345678],"
            + "\"index\":0,\"object\":\"embedding\"}],\"object\":\"list\"}";

    EmbeddingResponse parsed = read(response, EmbeddingResponse.class);

    assertThat(parsed.data().get(0).embedding().isBase64()).isFalse();
    assertThat(parsed.data().get(0).vector())
        .containsExactly(0.0023064255f, -0.009327292f, 1f, 0.12345679f);
    assertThat(JSONB.toJson(parsed)).isEqualTo(response);
  }

  @Test
  void bothFormsOfTheSameVectorDecodeAlike() {
    assertThat(EmbeddingVector.ofBase64(BASE64).vector())
        .containsExactly(EmbeddingVector.of(FLOATS).vector());
    assertThat(written(EmbeddingVector.of(FLOATS))).isEqualTo(json("[1.0,-2.0,0.5,0.15625]"));
  }

  @Test
  void aBase64StringThatIsNotWholeFloatsIsRejectedOnDecode() {
    assertThatThrownBy(() -> EmbeddingVector.ofBase64("AAAA").vector())
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void everyInputFormRoundTripsExactly() {
    for (String input : List.of("\"one text\"", "[\"a\",\"b\"]", "[1,2,3]", "[[1,2],[3]]")) {
      String request = "{\"encoding_format\":\"base64\",\"input\":" + input + ",\"model\":\"m\"}";
      assertThat(JSONB.toJson(read(request, EmbeddingRequest.class))).isEqualTo(request);
    }
  }

  @Test
  void inputAccessorsDescribeTheForm() {
    EmbeddingInput one = read("{\"input\":\"x\"}", EmbeddingRequest.class).input();
    EmbeddingInput texts = read("{\"input\":[\"a\",\"b\"]}", EmbeddingRequest.class).input();
    EmbeddingInput tokens = read("{\"input\":[1,2,3]}", EmbeddingRequest.class).input();
    EmbeddingInput tokenArrays = read("{\"input\":[[1],[2],[3]]}", EmbeddingRequest.class).input();

    assertThat(one.isString()).isTrue();
    assertThat(one.texts()).containsExactly("x");
    assertThat(texts.texts()).containsExactly("a", "b");
    assertThat(texts.count()).isEqualTo(2);
    assertThat(tokens.isTokens()).isTrue();
    assertThat(tokens.texts()).isNull();
    assertThat(tokens.count()).isEqualTo(1);
    assertThat(tokenArrays.count()).isEqualTo(3);
    assertThat(EmbeddingInput.ofTokens(1, 2, 3)).isEqualTo(tokens);
    assertThat(EmbeddingInput.ofTokenArrays(List.of(new int[] {1}, new int[] {2}, new int[] {3})))
        .isEqualTo(tokenArrays);
    assertThatThrownBy(() -> read("{\"input\":{\"a\":1}}", EmbeddingRequest.class))
        .isInstanceOf(JsonbException.class);
  }

  @Test
  void factoriesProduceTheWireFormat() {
    assertThat(written(EmbeddingRequest.of("text-embedding-3-small", "hello")))
        .isEqualTo(json("{\"model\":\"text-embedding-3-small\",\"input\":\"hello\"}"));
    assertThat(
            written(
                EmbeddingRequest.of("m", List.of("a", "b"))
                    .withEncodingFormat("float")
                    .withModel("n")))
        .isEqualTo(json("{\"model\":\"n\",\"input\":[\"a\",\"b\"],\"encoding_format\":\"float\"}"));
  }
}
