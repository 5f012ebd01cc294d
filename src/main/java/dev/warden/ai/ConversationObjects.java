package dev.warden.ai;

import dev.warden.call.CallContext;
import dev.warden.call.EntryPoint;
import dev.warden.call.Ownership;
import dev.warden.openai.model.ConversationItemsRequest;
import dev.warden.openai.model.ConversationObject;
import dev.warden.openai.model.CreateConversationRequest;
import dev.warden.openai.model.CreateResponseRequest;
import dev.warden.openai.model.DeletedObject;
import dev.warden.openai.model.ResponseInput;
import dev.warden.openai.model.ResponseItem;
import dev.warden.openai.model.ResponseItemList;
import dev.warden.openai.model.UpdateConversationRequest;
import dev.warden.pii.ConversationVaults;
import dev.warden.pii.PlaceholderVault;
import dev.warden.pii.Rehydrator;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * OpenAI's Conversations API through the pipeline: every operation is a call with its audit record.
 * What goes into a conversation (its initial items, items added later, metadata) is checked like
 * the input of a response (uninspectable content, PII redaction, injection screening) and sent with
 * placeholders; the placeholders go into a vault kept for the conversation ({@link
 * ConversationVaults}), which the responses created in the conversation ({@code conversation} on
 * {@code POST /responses}, {@link ResponsesKind}) share, so that everything read back from it is
 * restored for its owner. A {@code /v1} caller reaches only conversations its principal created
 * through Warden: another's, or one made outside Warden, is "not found" before any upstream call
 * ({@link Ownership}, as for stored responses).
 */
@ApplicationScoped
public class ConversationObjects {

  static final String CONVERSATION = "conversation";
  private static final String PARAM = "conversation_id";

  private final CallRecorder recorder;
  private final Protection protection;
  private final ResponsesKind responses;
  private final ResilientOpenAi client;
  private final ConversationVaults vaults;
  private final Ownership ownership;

  @Inject
  ConversationObjects(
      CallRecorder recorder,
      Protection protection,
      ResponsesKind responses,
      ResilientOpenAi client,
      ConversationVaults vaults,
      Ownership ownership) {
    this.recorder = recorder;
    this.protection = protection;
    this.responses = responses;
    this.client = client;
    this.vaults = vaults;
    this.ownership = ownership;
  }

  /** For CDI's client proxy. */
  protected ConversationObjects() {
    this(null, null, null, null, null, null);
  }

  /**
   * Creates a conversation owned by the caller, its initial items and metadata redacted into the
   * conversation's new vault.
   */
  public Answer<ConversationObject> create(EntryPoint entry, CreateConversationRequest request) {
    CreateConversationRequest body =
        request == null ? new CreateConversationRequest(null, null) : request;
    Traffic<CreateConversationRequest, Void> traffic = new Traffic<>(null);
    return recorder.run(
        "conversations.create",
        entry,
        null,
        body,
        traffic,
        call -> {
          PlaceholderVault vault = new PlaceholderVault();
          CreateResponseRequest safe = protect(body.items(), body.metadata(), vault, call);
          CreateConversationRequest sent =
              new CreateConversationRequest(safe.metadata(), items(safe));
          traffic.sent(sent);
          ConversationObject created = client.createConversation(sent, call);
          if (created.id() != null) {
            vaults.saveForConversation(created.id(), vault);
            ownership.own(CONVERSATION, created.id(), call.caller());
          }
          return restore(created, vault);
        });
  }

  /** A conversation of the caller's, its metadata restored. */
  public Answer<ConversationObject> retrieve(EntryPoint entry, String id) {
    Validation.require(id, PARAM);
    return recorder.run(
        "conversations.retrieve",
        entry,
        call -> {
          mine(call, id);
          return restore(client.retrieveConversation(id, call), vault(id));
        });
  }

  /** Replaces the metadata of a conversation of the caller's (redacted, like its items). */
  public Answer<ConversationObject> update(
      EntryPoint entry, String id, UpdateConversationRequest request) {
    Validation.require(id, PARAM);
    UpdateConversationRequest body =
        request == null ? new UpdateConversationRequest(null) : request;
    Traffic<UpdateConversationRequest, Void> traffic = new Traffic<>(null);
    return recorder.run(
        "conversations.update",
        entry,
        null,
        body,
        traffic,
        call -> {
          mine(call, id);
          PlaceholderVault vault = vault(id);
          CreateResponseRequest safe = protect(null, body.metadata(), vault, call);
          UpdateConversationRequest sent = new UpdateConversationRequest(safe.metadata());
          traffic.sent(sent);
          ConversationObject updated = client.updateConversation(id, sent, call);
          vaults.saveForConversation(id, vault);
          return restore(updated, vault);
        });
  }

  /** Deletes a conversation of the caller's upstream, and its vault. */
  public Answer<DeletedObject> delete(EntryPoint entry, String id) {
    Validation.require(id, PARAM);
    return recorder.run(
        "conversations.delete",
        entry,
        call -> {
          mine(call, id);
          DeletedObject deleted = client.deleteConversation(id, call);
          vaults.deleteForConversation(id);
          return deleted;
        });
  }

  /** Adds items to a conversation of the caller's, redacted with the conversation's vault. */
  public Answer<ResponseItemList> addItems(
      EntryPoint entry, String id, ConversationItemsRequest request) {
    Validation.require(id, PARAM);
    ConversationItemsRequest body = request == null ? new ConversationItemsRequest(null) : request;
    Traffic<ConversationItemsRequest, Void> traffic = new Traffic<>(null);
    return recorder.run(
        "conversations.items.create",
        entry,
        null,
        body,
        traffic,
        call -> {
          mine(call, id);
          PlaceholderVault vault = vault(id);
          CreateResponseRequest safe = protect(body.items(), null, vault, call);
          ConversationItemsRequest sent = new ConversationItemsRequest(items(safe));
          traffic.sent(sent);
          ResponseItemList added = client.createConversationItems(id, sent, call);
          vaults.saveForConversation(id, vault);
          return new Rehydrator(vault).rehydrate(added);
        });
  }

  /** The items of a conversation of the caller's, paginated, restored. */
  public Answer<ResponseItemList> listItems(
      EntryPoint entry, String id, String after, Integer limit, String order) {
    Validation.require(id, PARAM);
    Validation.page(limit, order);
    return recorder.run(
        "conversations.items.list",
        entry,
        call -> {
          mine(call, id);
          ResponseItemList items = client.listConversationItems(id, after, limit, order, call);
          return new Rehydrator(vault(id)).rehydrate(items);
        });
  }

  /** One item of a conversation of the caller's, restored. */
  public Answer<ResponseItem> item(EntryPoint entry, String id, String itemId) {
    Validation.require(id, PARAM);
    Validation.require(itemId, "item_id");
    return recorder.run(
        "conversations.items.retrieve",
        entry,
        call -> {
          mine(call, id);
          ResponseItem item = client.retrieveConversationItem(id, itemId, call);
          ResponseItemList one = new ResponseItemList("list", List.of(item), null, null, false);
          return new Rehydrator(vault(id)).rehydrate(one).data().get(0);
        });
  }

  /** Deletes one item of a conversation of the caller's; answers the conversation. */
  public Answer<ConversationObject> deleteItem(EntryPoint entry, String id, String itemId) {
    Validation.require(id, PARAM);
    Validation.require(itemId, "item_id");
    return recorder.run(
        "conversations.items.delete",
        entry,
        call -> {
          mine(call, id);
          return restore(client.deleteConversationItem(id, itemId, call), vault(id));
        });
  }

  /**
   * The id a {@code conversation} parameter of a Responses request names (a string, or an object
   * with {@code id}), {@code null} when it names none.
   */
  static String idOf(JsonValue conversation) {
    if (conversation instanceof JsonString s) {
      return s.getString();
    }
    if (conversation instanceof JsonObject o && o.get("id") instanceof JsonString s) {
      return s.getString();
    }
    return null;
  }

  private void mine(CallContext call, String id) {
    StoredObjects.mine(ownership, call, CONVERSATION, id, PARAM);
  }

  private PlaceholderVault vault(String id) {
    return vaults.forConversation(id).orElseGet(PlaceholderVault::new);
  }

  /**
   * Checks items and metadata as the input of a response (uninspectable parts, redaction into
   * {@code vault}, injection screening); the redacted copies are the answer's input and metadata.
   */
  private CreateResponseRequest protect(
      List<ResponseItem> items,
      Map<String, String> metadata,
      PlaceholderVault vault,
      CallContext call) {
    CreateResponseRequest carrier =
        CreateResponseRequest.builder()
            .input(items == null ? null : ResponseInput.of(items))
            .metadata(metadata)
            .build();
    return protection.protect(responses, carrier, vault, new Traffic<>(responses), call);
  }

  private static List<ResponseItem> items(CreateResponseRequest safe) {
    return safe.input() == null ? null : safe.input().items();
  }

  private static ConversationObject restore(ConversationObject c, PlaceholderVault vault) {
    if (c == null || c.metadata() == null || vault.isEmpty()) {
      return c;
    }
    Rehydrator rehydrator = new Rehydrator(vault);
    Map<String, String> metadata = new LinkedHashMap<>();
    c.metadata().forEach((k, v) -> metadata.put(k, rehydrator.text(v)));
    return c.withMetadata(metadata);
  }
}
