package dev.warden.ai;

import dev.warden.call.CallContext;
import dev.warden.call.EntryPoint;
import dev.warden.call.Ownership;
import dev.warden.cost.Admission;
import dev.warden.cost.BackgroundCharges;
import dev.warden.cost.BatchCharges;
import dev.warden.cost.Reservation;
import dev.warden.identity.ObjectRecord;
import dev.warden.identity.ObjectRecords;
import dev.warden.openai.error.BadRequestException;
import dev.warden.openai.error.ErrorInfo;
import dev.warden.openai.error.NotFoundException;
import dev.warden.openai.model.Batch;
import dev.warden.openai.model.BatchList;
import dev.warden.openai.model.CreateBatchRequest;
import dev.warden.openai.model.DeletedObject;
import dev.warden.openai.model.FileList;
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
import java.util.Optional;

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
  private final ObjectRecords records;
  private final BatchCharges batches;
  private final Admission admission;
  private final BatchInput batchInput;

  @Inject
  StoredObjects(
      ResilientOpenAi client,
      RequestRedactor redactor,
      ConversationVaults vaults,
      Ownership ownership,
      BackgroundCharges background,
      ObjectRecords records,
      BatchCharges batches,
      Admission admission,
      BatchInput batchInput) {
    this.client = client;
    this.redactor = redactor;
    this.vaults = vaults;
    this.ownership = ownership;
    this.background = background;
    this.records = records;
    this.batches = batches;
    this.admission = admission;
    this.batchInput = batchInput;
  }

  /** For CDI's client proxy. */
  protected StoredObjects() {
    this(null, null, null, null, null, null, null, null, null);
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
      if (call.entryPoint() == EntryPoint.V1) {
        records.record(records.of(FILE, file.id(), call.caller(), purpose, file.id(), null));
      }
    }
    return file;
  }

  /**
   * Uploads a batch input file sent to {@code /v1}: every line checked and its body redacted
   * ({@link BatchInput}) before anything leaves; the file's vault, owner and record (with what
   * admission needs when a batch is created from it) are kept.
   */
  FileObject uploadBatchInput(
      String filename, byte[] content, BatchInput.ShapeCheck shapes, CallContext call) {
    PlaceholderVault vault = new PlaceholderVault();
    BatchInput.Prepared prepared = batchInput.prepare(content, shapes, vault, call);
    FileObject file = client.uploadFile(filename, prepared.content(), BATCH, call);
    if (file.id() != null) {
      vaults.saveForFile(file.id(), vault);
      ownership.own(FILE, file.id(), call.caller());
      records.record(
          new ObjectRecord(
              FILE,
              file.id(),
              call.caller().principal(),
              call.caller().tenant(),
              BATCH,
              file.id(),
              prepared.endpoint(),
              prepared.model(),
              prepared.lines(),
              prepared.inputTokens(),
              prepared.worstOutputTokens(),
              null));
    }
    return file;
  }

  FileObject retrieveFile(String fileId, CallContext call) {
    mine(ownership, call, FILE, fileId, "file_id");
    return client.retrieveFile(fileId, call);
  }

  /** Deletes a file upstream, and the vault that restores it. */
  DeletedObject deleteFile(String fileId, CallContext call) {
    mine(ownership, call, FILE, fileId, "file_id");
    DeletedObject deleted = client.deleteFile(fileId, call);
    vaults.deleteForFile(fileId);
    return deleted;
  }

  /** The files; a {@code /v1} caller sees only its own (a page may hold fewer than the limit). */
  FileList listFiles(String purpose, Integer limit, String order, String after, CallContext call) {
    FileList all = client.listFiles(purpose, limit, order, after, call);
    if (call.entryPoint() != EntryPoint.V1) {
      return all;
    }
    return new FileList(
        all.object(),
        all.data().stream().filter(f -> ownership.owns(FILE, f.id(), call.caller())).toList(),
        all.firstId(),
        all.lastId(),
        all.hasMore());
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

  /**
   * Creates a batch. Through {@code /v1} its input file must be a batch input file uploaded through
   * {@code /v1}: the batch is admitted from that file's record ({@link Admission#admitBatch}), and
   * the reservation is kept until the batch ends ({@link BatchCharges}).
   */
  Batch createBatch(CreateBatchRequest request, CallContext call) {
    mine(ownership, call, FILE, request.inputFileId(), "input_file_id");
    ObjectRecord input = null;
    if (call.entryPoint() == EntryPoint.V1) {
      input =
          records
              .find(FILE, request.inputFileId())
              .filter(r -> r.endpoint() != null)
              .orElseThrow(
                  () ->
                      invalid(
                          "input_file_id must be a batch input file uploaded through Warden's /v1"
                              + " (purpose batch)",
                          "input_file_id"));
      if (!input.endpoint().equals(request.endpoint())) {
        throw invalid(
            "endpoint must be " + input.endpoint() + ", the url of every line of the input file",
            "endpoint");
      }
      CallRecorder.inScope(input.model(), call);
      call.routeNote("batch of " + input.lines() + " requests to " + input.model());
      admission.admitBatch(call, input.model(), input.inputTokens(), input.worstOutputTokens());
    }
    Batch batch = client.createBatch(request, call);
    ownership.own(BATCH, batch.id(), call.caller());
    if (input != null && batch.id() != null) {
      records.record(
          new ObjectRecord(
              BATCH,
              batch.id(),
              call.caller().principal(),
              call.caller().tenant(),
              BATCH,
              input.id(),
              input.endpoint(),
              input.model(),
              input.lines(),
              input.inputTokens(),
              input.worstOutputTokens(),
              null));
      Reservation reservation = call.reservation(Reservation.class);
      if (reservation != null) {
        reservation.detach().ifPresent(held -> batches.hold(batch.id(), call, held));
      }
    }
    return batch;
  }

  /**
   * Creates the batch of deferred calls ({@link DeferredSubmitter}): each call was admitted and
   * reserved on its own, so the batch is not admitted again, whatever the entry point.
   */
  Batch createDeferredBatch(CreateBatchRequest request, CallContext call) {
    mine(ownership, call, FILE, request.inputFileId(), "input_file_id");
    Batch batch = client.createBatch(request, call);
    ownership.own(BATCH, batch.id(), call.caller());
    return batch;
  }

  /** A batch; its output and error files are linked to its input file's vault and owner. */
  Batch retrieveBatch(String id, CallContext call) {
    mine(ownership, call, BATCH, id, "batch_id");
    Batch batch;
    try {
      batch = client.retrieveBatch(id, call);
    } catch (NotFoundException e) {
      batches.release(id); // gone upstream: it never ends now
      throw e;
    }
    if (batch.inputFileId() != null) {
      Optional<ObjectRecord> created = records.find(BATCH, batch.id());
      for (String file : new String[] {batch.outputFileId(), batch.errorFileId()}) {
        if (file != null) {
          vaults.linkFile(batch.inputFileId(), file);
          ownership.ownLike(FILE, file, BATCH, batch.id());
          created.ifPresent(
              b ->
                  records.record(
                      new ObjectRecord(
                          FILE,
                          file,
                          b.principal(),
                          b.tenant(),
                          file.equals(batch.outputFileId()) ? "batch_output" : "batch_error",
                          batch.inputFileId(),
                          null,
                          null,
                          0,
                          0,
                          0,
                          null)));
        }
      }
    }
    batches.ended(batch);
    return batch;
  }

  Batch cancelBatch(String id, CallContext call) {
    mine(ownership, call, BATCH, id, "batch_id");
    Batch batch = client.cancelBatch(id, call);
    batches.ended(batch);
    return batch;
  }

  private static BadRequestException invalid(String message, String param) {
    return new BadRequestException(
        new ErrorInfo(400, message, "invalid_request_error", null, param, null, null), null);
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
