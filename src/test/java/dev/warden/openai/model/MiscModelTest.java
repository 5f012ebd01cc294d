package dev.warden.openai.model;

import static dev.warden.openai.model.RoundTrip.JSONB;
import static dev.warden.openai.model.RoundTrip.json;
import static dev.warden.openai.model.RoundTrip.read;
import static dev.warden.openai.model.RoundTrip.written;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Errors, models, files and batches. */
class MiscModelTest {

  @Test
  void errorBodyIsReadWithNullAndNumericCodes() {
    ErrorBody withNulls =
        read(
            """
            {"error": {"message": "Incorrect API key provided", "type": "invalid_request_error",
                       "param": null, "code": "invalid_api_key", "zz_unknown": 1}}
            """,
            ErrorBody.class);
    ErrorBody numeric =
        read("{\"error\":{\"message\":\"m\",\"type\":\"t\",\"code\":429}}", ErrorBody.class);
    ErrorBody nullCode =
        read(
            "{\"error\":{\"message\":\"m\",\"type\":\"server_error\",\"code\":null}}",
            ErrorBody.class);

    assertThat(withNulls.error())
        .isEqualTo(
            new ErrorDetail(
                "Incorrect API key provided", "invalid_request_error", null, "invalid_api_key"));
    assertThat(numeric.error().code()).isEqualTo("429");
    assertThat(nullCode.error().code()).isNull();
    assertThat(JSONB.toJson(withNulls))
        .isEqualTo(
            "{\"error\":{\"code\":\"invalid_api_key\",\"message\":\"Incorrect API key provided\","
                + "\"type\":\"invalid_request_error\"}}");
  }

  @Test
  void batchIsReadWithCountsTimestampsAndMetadata() {
    Batch batch =
        read(
            """
            {"id": "batch_1", "object": "batch", "endpoint": "/v1/chat/completions",
             "model": "gpt-5.4", "input_file_id": "file-1", "completion_window": "24h",
             "status": "failed", "created_at": 1711471533, "failed_at": 1711471600,
             "errors": {"object": "list", "data": [{"code": "invalid_json", "line": 3,
                        "message": "bad", "param": null}]},
             "request_counts": {"total": 10, "completed": 7, "failed": 3},
             "usage": {"input_tokens": 100, "output_tokens": 20, "total_tokens": 120,
                       "input_tokens_details": {"cached_tokens": 0},
                       "output_tokens_details": {"reasoning_tokens": 0}},
             "metadata": {"job": "nightly"}}
            """,
            Batch.class);

    assertThat(batch.requestCounts()).isEqualTo(new BatchRequestCounts(10, 7, 3));
    assertThat(batch.failedAt()).isEqualTo(1711471600L);
    assertThat(batch.completedAt()).isNull();
    assertThat(batch.errors().asJsonObject().getJsonArray("data").getJsonObject(0).getInt("line"))
        .isEqualTo(3);
    assertThat(batch.usage().asJsonObject().getInt("total_tokens")).isEqualTo(120);
    assertThat(batch.metadata()).containsExactly(Map.entry("job", "nightly"));
    assertThat(batch.model()).isEqualTo("gpt-5.4");
  }

  @Test
  void createBatchRequestFactoryProducesTheWireFormat() {
    assertThat(written(CreateBatchRequest.of("file-1", "/v1/responses")))
        .isEqualTo(
            json(
                "{\"input_file_id\":\"file-1\",\"endpoint\":\"/v1/responses\","
                    + "\"completion_window\":\"24h\"}"));
    CreateBatchRequest full =
        read(
            """
            {"input_file_id": "f", "endpoint": "/v1/embeddings", "completion_window": "24h",
             "metadata": {"a": "b"},
             "output_expires_after": {"anchor": "created_at", "seconds": 3600}}
            """,
            CreateBatchRequest.class);
    assertThat(full.outputExpiresAfter().asJsonObject().getInt("seconds")).isEqualTo(3600);
  }

  @Test
  void modelsAndFilesAreRead() {
    ModelList models =
        read(
            "{\"object\":\"list\",\"data\":[{\"id\":\"gpt-5.4\",\"object\":\"model\","
                + "\"created\":1686935002,\"owned_by\":\"openai\",\"shutdown_date\":null}]}",
            ModelList.class);
    FileObject file =
        read(
            "{\"id\":\"file-1\",\"object\":\"file\",\"bytes\":3000000000,\"created_at\":1,"
                + "\"filename\":\"batch.jsonl\",\"purpose\":\"batch\",\"status\":\"processed\"}",
            FileObject.class);

    assertThat(models.data())
        .containsExactly(new Model("gpt-5.4", "model", 1686935002L, "openai", null));
    assertThat(file.bytes()).as("more than Integer.MAX_VALUE").isEqualTo(3_000_000_000L);
    assertThat(file.purpose()).isEqualTo("batch");
  }

  @Test
  void deletedObjectIsRead() {
    assertThat(
            read(
                "{\"id\":\"resp_1\",\"object\":\"response\",\"deleted\":true}",
                DeletedObject.class))
        .isEqualTo(new DeletedObject("resp_1", "response", true));
  }
}
