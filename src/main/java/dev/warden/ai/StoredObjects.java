package dev.warden.ai;

import dev.warden.call.CallContext;
import dev.warden.call.EntryPoint;
import dev.warden.call.Ownership;
import dev.warden.cost.BackgroundCharges;
import dev.warden.openai.error.ErrorInfo;
import dev.warden.openai.error.NotFoundException;
import dev.warden.openai.model.Batch;
import dev.warden.openai.model.BatchList;
import dev.warden.openai.model.CreateBatchRequest;
import dev.warden.openai.model.DeletedObject;
import dev.warden.openai.model.FileObject;
import dev.warden.openai.model.ModelList;
import dev.warden.openai.model.ModelResponse;
import dev.warden.openai.model.ResponseItemList;
import dev.warden.pii.ConversationVaults;
import dev.warden.pii.PlaceholderVault;
import dev.warden.pii.Rehydrator;
import dev.warden.pii.RequestRedactor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The operations on what the upstream stores (responses, files, batches), inside a call of the
 * pipeline: a {@code /v1} caller reaches only the objects its principal created through Warden
 * ({@link Ownership}); what comes back is restored from the vault kept for it; uploads are redacted
 * like any request.
 */
@ApplicationScoped
public class StoredObjects {

  static final String RESPONSE = "response";
  static final String FILE = "file";
  static final String BATCH = "batch";

  private final ResilientOpenAi client;
  private final RequestRedactor redactor;
  private final ConversationVaults vaults;
  private final Ownership ownership;
  private final BackgroundCharges background;

  @Inject
  StoredObjects(
      ResilientOpenAi client,
      RequestRedactor redactor,
      ConversationVaults vaults,
      Ownership ownership,
      BackgroundCharges background) {
    this.client = client;
    this.redactor = redactor;
    this.vaults = vaults;
    this.ownership = ownership;
    this.background = background;
  }

  /** For CDI's client proxy. */
  protected StoredObjects() {
    this(null, null, null, null, null);
  }

  ModelResponse retrieveResponse(String id, CallContext call) {
    mine(ownership, call, RESPONSE, id, "response_id");
    ModelResponse answer;
    try {
      answer = client.retrieveResponse(id, call);
    } catch (NotFoundException e) {
      background.release(id); // gone upstream: a background response never ends now
      throw e;
    }
    background.ended(answer);
    return vaults.forResponse(id).map(v -> new Rehydrator(v).rehydrate(answer)).orElse(answer);
  }

  DeletedObject deleteResponse(String id, CallContext call) {
    mine(ownership, call, RESPONSE, id, "response_id");
    DeletedObject deleted = client.deleteResponse(id, call);
    vaults.deleteForResponse(id);
    background.release(id);
    return deleted;
  }

  ModelResponse cancelResponse(String id, CallContext call) {
    mine(ownership, call, RESPONSE, id, "response_id");
    ModelResponse answer = client.cancelResponse(id, call);
    background.ended(answer);
    return answer;
  }

  ResponseItemList listInputItems(
      String id, String after, Integer limit, String order, CallContext call) {
    mine(ownership, call, RESPONSE, id, "response_id");
    ResponseItemList items = client.listInputItems(id, after, limit, order, call);
    return vaults.forResponse(id).map(v -> new Rehydrator(v).rehydrate(items)).orElse(items);
  }

  ModelList listModels(CallContext call) {
    return client.listModels(call);
  }

  /** Uploads a file, redacted line by line when it is JSONL; its vault is kept for the file. */
  FileObject uploadFile(
      String filename, byte[] content, String purpose, boolean jsonl, CallContext call) {
    PlaceholderVault vault = new PlaceholderVault();
    byte[] safe =
        jsonl
            ? Protection.redact(
                () -> redactor.redactJsonl(content, call.caller().tenant(), vault), call)
            : content;
    FileObject file = client.uploadFile(filename, safe, purpose, call);
    if (file.id() != null) {
      vaults.saveForFile(file.id(), vault);
      ownership.own(FILE, file.id(), call.caller());
    }
    return file;
  }

  /**
   * Uploads a batch input file whose lines were redacted already, into {@code vault}; it is the
   * caller's, like any upload (so a {@code /v1} caller's deferred calls can batch it).
   */
  FileObject uploadRedacted(
      String filename, byte[] content, PlaceholderVault vault, CallContext call) {
    FileObject file = client.uploadFile(filename, content, "batch", call);
    if (file.id() != null) {
      vaults.saveForFile(file.id(), vault);
      ownership.own(FILE, file.id(), call.caller());
    }
    return file;
  }

  byte[] fileContent(String fileId, CallContext call) {
    mine(ownership, call, FILE, fileId, "file_id");
    byte[] content = client.fileContent(fileId, call);
    return vaults
        .forFile(fileId)
        .map(v -> new Rehydrator(v).rehydrateJson(content))
        .orElse(content);
  }

  /** A file's content exactly as the upstream holds it (placeholders, not restored values). */
  byte[] upstreamFileContent(String fileId, CallContext call) {
    return client.fileContent(fileId, call);
  }

  Batch createBatch(CreateBatchRequest request, CallContext call) {
    mine(ownership, call, FILE, request.inputFileId(), "input_file_id");
    Batch batch = client.createBatch(request, call);
    ownership.own(BATCH, batch.id(), call.caller());
    return batch;
  }

  /** A batch; its output and error files are linked to its input file's vault and owner. */
  Batch retrieveBatch(String id, CallContext call) {
    mine(ownership, call, BATCH, id, "batch_id");
    Batch batch = client.retrieveBatch(id, call);
    if (batch.inputFileId() != null) {
      if (batch.outputFileId() != null) {
        vaults.linkFile(batch.inputFileId(), batch.outputFileId());
        ownership.ownLike(FILE, batch.outputFileId(), BATCH, batch.id());
      }
      if (batch.errorFileId() != null) {
        vaults.linkFile(batch.inputFileId(), batch.errorFileId());
        ownership.ownLike(FILE, batch.errorFileId(), BATCH, batch.id());
      }
    }
    return batch;
  }

  Batch cancelBatch(String id, CallContext call) {
    mine(ownership, call, BATCH, id, "batch_id");
    return client.cancelBatch(id, call);
  }

  /** The batches; a {@code /v1} caller sees only its own (a page may hold fewer than the limit). */
  BatchList listBatches(String after, Integer limit, CallContext call) {
    BatchList all = client.listBatches(after, limit, call);
    if (call.entryPoint() != EntryPoint.V1) {
      return all;
    }
    return new BatchList(
        all.object(),
        all.data().stream().filter(b -> ownership.owns(BATCH, b.id(), call.caller())).toList(),
        all.firstId(),
        all.lastId(),
        all.hasMore());
  }

  /**
   * A {@code /v1} caller reaches only the objects its principal created through Warden: anything
   * else is "not found", before any upstream call (see {@link Ownership}).
   */
  static void mine(Ownership ownership, CallContext call, String kind, String id, String param) {
    if (id != null
        && call.entryPoint() == EntryPoint.V1
        && !ownership.owns(kind, id, call.caller())) {
      throw new NotFoundException(
          new ErrorInfo(
              404,
              "No " + kind + " found with id '" + id + "'.",
              "invalid_request_error",
              null,
              param,
              null,
              null),
          null);
    }
  }
}
