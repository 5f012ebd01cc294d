package dev.warden.openai.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.warden.openai.model.OpenApiExamples.Example;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every JSON request and response body of the OpenAPI description's examples for the operations
 * Warden models, read into the records with Yasson and written back: the written JSON must hold the
 * original value for every key, and every modelled key of the original must survive.
 */
class OpenApiExamplesRoundTripTest {

  /** An operation, the record of its JSON request body (null if none) and of its response. */
  private record Operation(String path, String method, Class<?> request, Class<?> response) {}

  private static final List<Operation> OPERATIONS =
      List.of(
          new Operation(
              "/chat/completions", "post", ChatCompletionRequest.class, ChatCompletion.class),
          new Operation("/responses", "post", CreateResponseRequest.class, ModelResponse.class),
          new Operation("/responses/{response_id}", "get", null, ModelResponse.class),
          new Operation("/responses/{response_id}", "delete", null, DeletedObject.class),
          new Operation(
              "/responses/{response_id}/input_items", "get", null, ResponseItemList.class),
          new Operation(
              "/conversations", "post", CreateConversationRequest.class, ConversationObject.class),
          new Operation("/conversations/{conversation_id}", "get", null, ConversationObject.class),
          new Operation(
              "/conversations/{conversation_id}",
              "post",
              UpdateConversationRequest.class,
              ConversationObject.class),
          new Operation("/conversations/{conversation_id}", "delete", null, DeletedObject.class),
          new Operation(
              "/conversations/{conversation_id}/items", "get", null, ResponseItemList.class),
          new Operation(
              "/conversations/{conversation_id}/items",
              "post",
              ConversationItemsRequest.class,
              ResponseItemList.class),
          new Operation(
              "/conversations/{conversation_id}/items/{item_id}", "get", null, ResponseItem.class),
          new Operation(
              "/conversations/{conversation_id}/items/{item_id}",
              "delete",
              null,
              ConversationObject.class),
          new Operation("/embeddings", "post", EmbeddingRequest.class, EmbeddingResponse.class),
          new Operation("/models", "get", null, ModelList.class),
          new Operation("/files", "post", null, FileObject.class),
          new Operation("/batches", "post", CreateBatchRequest.class, Batch.class),
          new Operation("/batches/{batch_id}", "get", null, Batch.class),
          new Operation("/batches", "get", null, BatchList.class));

  /** A JSON body of an example, with the record it is read into. */
  private record Body(String name, JsonValue json, Class<?> type) {}

  /** A response that is not one JSON document: must be a streaming example. */
  private record Skipped(String name, Example example) {}

  private static final List<Body> BODIES = new ArrayList<>();
  private static final List<Skipped> SKIPPED = new ArrayList<>();

  private static synchronized void collect() {
    if (!BODIES.isEmpty()) {
      return;
    }
    for (Operation operation : OPERATIONS) {
      for (Example example : OpenApiExamples.examples(operation.path(), operation.method())) {
        String name = example.operation() + " [" + example.title() + "]";
        if (example.requestBody() != null) {
          assertThat(operation.request())
              .as("%s sends a JSON body that no record is mapped to", name)
              .isNotNull();
          Optional<JsonValue> request = OpenApiExamples.lenientJson(example.requestBody());
          assertThat(request).as("request body of %s is JSON", name).isPresent();
          BODIES.add(new Body(name + " request", request.get(), operation.request()));
        }
        Optional<JsonValue> response = OpenApiExamples.lenientJson(example.response());
        if (response.isPresent()) {
          BODIES.add(new Body(name + " response", response.get(), operation.response()));
        } else {
          SKIPPED.add(new Skipped(name + " response", example));
        }
      }
    }
  }

  @TestFactory
  Stream<DynamicTest> everyExampleBodyRoundTrips() {
    collect();
    return BODIES.stream()
        .map(
            body ->
                dynamicTest(
                    body.name() + " as " + body.type().getSimpleName(),
                    () -> RoundTrip.assertRoundTrip(body.json(), body.type())));
  }

  @Test
  void theExamplesCoverEveryOperationAndOnlyStreamsAreSkipped() {
    collect();
    // 5 chat + 8 responses requests, 1 embeddings, 1 batch; every JSON response.
    assertThat(BODIES).hasSizeGreaterThanOrEqualTo(35);
    for (Operation operation : OPERATIONS) {
      String prefix = operation.method().toUpperCase() + " " + operation.path() + " [";
      assertThat(BODIES)
          .as("bodies of %s%s", operation.method(), operation.path())
          .anyMatch(body -> body.name().startsWith(prefix) && body.name().endsWith(" response"));
    }
    assertThat(BODIES)
        .filteredOn(body -> body.name().endsWith(" request"))
        .extracting(Body::type)
        .contains(
            ChatCompletionRequest.class,
            CreateResponseRequest.class,
            EmbeddingRequest.class,
            CreateBatchRequest.class,
            CreateConversationRequest.class,
            ConversationItemsRequest.class);
    assertThat(SKIPPED)
        .as("responses that are not a JSON document")
        .extracting(Skipped::name)
        .containsExactlyInAnyOrder(
            "POST /chat/completions [Streaming] response", "POST /responses [Streaming] response");
    for (Skipped skipped : SKIPPED) {
      assertThat(skipped.example().response())
          .as("%s is a stream", skipped.name())
          .containsAnyOf("event: response.", "chat.completion.chunk");
    }
  }
}
