package dev.warden.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warden.openai.error.BadRequestException;
import dev.warden.openai.internal.SharedJsonb;
import dev.warden.openai.model.Batch;
import dev.warden.openai.model.CreateBatchRequest;
import dev.warden.openai.model.CreateResponseRequest;
import dev.warden.openai.model.EmbeddingInput;
import dev.warden.openai.model.EmbeddingRequest;
import dev.warden.openai.model.FileObject;
import dev.warden.openai.model.ModelResponse;
import dev.warden.openai.model.ResponseInput;
import dev.warden.openai.model.ResponseItemList;
import dev.warden.pii.ConversationVaults;
import dev.warden.pii.EntityType;
import dev.warden.pii.PlaceholderVault;
import jakarta.inject.Inject;
import jakarta.transaction.UserTransaction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/**
 * PII beyond one request: placeholders that stay stable across a Responses conversation (the vault
 * is stored encrypted with the response), stored responses and their input items read back with the
 * real values, embeddings input redacted, and batch input files redacted on upload with their
 * results rehydrated when read.
 */
class PiiConversationIT extends WardenIntegrationTest {

  private static final String JANE = "jane.doe@example.com";
  private static final String BOB = "bob.roe@example.org";

  @Deployment
  static WebArchive deployment() {
    return Deployments.warden();
  }

  @Inject JpaProbe jpa;
  @Inject ConversationVaults vaults;
  @Inject UserTransaction tx;

  /** The bodies the mock received on {@code path}, oldest first by the mock's log order. */
  private List<String> received(String method, String path) {
    return mock.find(MockAdmin.request(method, path)).stream()
        .sorted(
            (a, b) ->
                Long.compare(
                    a.getJsonNumber("loggedDate").longValue(),
                    b.getJsonNumber("loggedDate").longValue()))
        .map(r -> r.getString("body"))
        .toList();
  }

  /** Asserts {@code text} contains every one of {@code wanted}. */
  private static void has(String text, String... wanted) {
    for (String w : wanted) {
      assertTrue(text != null && text.contains(w), "expected <" + w + "> in: " + text);
    }
  }

  /** Asserts {@code text} contains none of {@code unwanted} (the message never shows the text). */
  private static void lacks(String text, String... unwanted) {
    for (String u : unwanted) {
      assertTrue(text == null || !text.contains(u), "unexpected <" + u + ">");
    }
  }

  private ModelResponse respond(String text, String previous) {
    return openAi
        .respond(
            CreateResponseRequest.builder()
                .model("gpt-4.1")
                .input(ResponseInput.of(text))
                .previousResponseId(previous)
                .build())
        .body();
  }

  @Test
  void placeholdersStayStableAcrossAConversationAndStoredResponsesReadBackInClear()
      throws Exception {
    ModelResponse first = respond("Mail " + JANE + " today", null);
    has(first.outputText(), JANE);
    lacks(first.outputText(), "<EMAIL_");

    ModelResponse second = respond("Copy " + BOB + " and " + JANE, first.id());
    has(second.outputText(), BOB, JANE);
    lacks(second.outputText(), "<EMAIL_");

    List<String> bodies = received("POST", "/v1/responses");
    assertEquals(2, bodies.size());
    has(bodies.get(0), "Mail <EMAIL_1> today");
    lacks(bodies.get(0), JANE);
    // the same address keeps its placeholder in the next turn; a new one gets the next number
    has(bodies.get(1), "Copy <EMAIL_2> and <EMAIL_1>");
    lacks(bodies.get(1), JANE, BOB);

    ModelResponse again = openAi.retrieveResponse(first.id()).body();
    has(again.outputText(), JANE);
    lacks(again.outputText(), "<EMAIL_");

    ResponseItemList items = openAi.listInputItems(second.id(), null, null, null).body();
    String itemsJson = SharedJsonb.JSONB.toJson(items);
    has(itemsJson, BOB, JANE);
    lacks(itemsJson, "<EMAIL_");

    // the stored vaults hold the values only as ciphertext
    List<?> rows =
        jpa.entityManager()
            .createNativeQuery("select ciphertext from pii_vault where vault_key = ?1")
            .setParameter(1, "response:" + second.id())
            .getResultList();
    assertEquals(1, rows.size());
    String stored = new String((byte[]) rows.get(0), StandardCharsets.ISO_8859_1);
    lacks(stored, JANE, BOB, "EMAIL");

    openAi.deleteResponse(second.id());
    tx.begin();
    try {
      Number left =
          (Number)
              jpa.entityManager()
                  .createNativeQuery("select count(*) from pii_vault where vault_key = ?1")
                  .setParameter(1, "response:" + second.id())
                  .getSingleResult();
      assertEquals(0, left.intValue());
    } finally {
      tx.commit();
    }
  }

  @Test
  void embeddingInputIsRedactedAndTokenIdsAreRefused() {
    openAi.embed(
        new EmbeddingRequest(
            EmbeddingInput.of(List.of("Profile of " + JANE, "no personal data here")),
            "text-embedding-3-small",
            null,
            null,
            null));

    List<String> bodies = received("POST", "/v1/embeddings");
    assertEquals(1, bodies.size());
    has(bodies.get(0), "Profile of <EMAIL_1>");
    lacks(bodies.get(0), JANE);

    BadRequestException refused =
        assertThrows(
            BadRequestException.class,
            () ->
                openAi.embed(
                    new EmbeddingRequest(
                        EmbeddingInput.ofTokens(1, 2, 3),
                        "text-embedding-3-small",
                        null,
                        null,
                        null)));
    assertEquals("input", refused.param());
    assertEquals(1, received("POST", "/v1/embeddings").size());
  }

  @Test
  void batchInputIsRedactedOnUploadAndResultsAreRehydrated() {
    String line =
        "{\"custom_id\":\"req-1\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\",\"body\":"
            + "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Write to "
            + JANE
            + "\"}]}}\n";
    FileObject file =
        openAi.uploadFile("input.jsonl", line.getBytes(StandardCharsets.UTF_8), "batch").body();

    List<String> uploads = received("POST", "/v1/files");
    assertEquals(1, uploads.size());
    has(uploads.get(0), "Write to <EMAIL_1>");
    lacks(uploads.get(0), JANE);

    Batch batch =
        openAi
            .createBatch(
                new CreateBatchRequest(file.id(), "/v1/chat/completions", "24h", null, null))
            .body();
    for (int i = 0; i < 5 && !"completed".equals(batch.status()); i++) {
      batch = openAi.retrieveBatch(batch.id()).body();
    }
    assertEquals("completed", batch.status());

    String results =
        new String(openAi.fileContent(batch.outputFileId()).body(), StandardCharsets.UTF_8);
    has(results, "Mock answer to: Write to " + JANE);
    lacks(results, "<EMAIL_");
  }

  @Test
  void filesWardenCannotScreenAreRefusedBeforeUpload() {
    BadRequestException refused =
        assertThrows(
            BadRequestException.class,
            () ->
                openAi.uploadFile(
                    "scan.pdf", "%PDF-1.7".getBytes(StandardCharsets.US_ASCII), "user_data"));
    assertEquals("purpose", refused.param());
    assertEquals(0, mock.count(MockAdmin.request("POST", "/v1/files")));
  }

  @Test
  void expiredVaultsAreNeitherUsedNorKept() throws Exception {
    PlaceholderVault vault = new PlaceholderVault();
    vault.placeholder(EntityType.EMAIL, JANE);
    vaults.saveForFile("file-expiring", vault);
    assertTrue(vaults.forFile("file-expiring").isPresent());

    tx.begin();
    try {
      jpa.entityManager()
          .createNativeQuery(
              "update pii_vault set expires_at = created_at - interval '1' day where vault_key = ?1")
          .setParameter(1, "file:file-expiring")
          .executeUpdate();
    } finally {
      tx.commit();
    }

    assertTrue(vaults.forFile("file-expiring").isEmpty());
    assertTrue(vaults.purgeExpired() >= 1);
    tx.begin();
    try {
      Number left =
          (Number)
              jpa.entityManager()
                  .createNativeQuery("select count(*) from pii_vault where vault_key = ?1")
                  .setParameter(1, "file:file-expiring")
                  .getSingleResult();
      assertEquals(0, left.intValue());
    } finally {
      tx.commit();
    }
  }
}
