package dev.warden.openai;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.warden.config.ConfigProducer;
import dev.warden.openai.credential.ConfiguredCredentialProvider;
import dev.warden.openai.credential.CredentialProvider;
import dev.warden.openai.credential.CredentialRejected;
import dev.warden.openai.error.AuthenticationException;
import dev.warden.openai.error.ConnectionException;
import dev.warden.openai.error.ConnectionPoolExhaustedException;
import dev.warden.openai.error.ErrorInfo;
import dev.warden.openai.error.MalformedResponseException;
import dev.warden.openai.error.OpenAiErrors;
import dev.warden.openai.error.OpenAiException;
import dev.warden.openai.error.UpstreamTimeoutException;
import dev.warden.openai.internal.OpenAiResponseExceptionMapper;
import dev.warden.openai.internal.SharedJsonb;
import dev.warden.openai.internal.UpstreamHeadersFilter;
import dev.warden.openai.model.Batch;
import dev.warden.openai.model.BatchList;
import dev.warden.openai.model.ChatCompletion;
import dev.warden.openai.model.ChatCompletionRequest;
import dev.warden.openai.model.ConversationItemsRequest;
import dev.warden.openai.model.ConversationObject;
import dev.warden.openai.model.CreateBatchRequest;
import dev.warden.openai.model.CreateConversationRequest;
import dev.warden.openai.model.CreateResponseRequest;
import dev.warden.openai.model.DeletedObject;
import dev.warden.openai.model.EmbeddingRequest;
import dev.warden.openai.model.EmbeddingResponse;
import dev.warden.openai.model.FileList;
import dev.warden.openai.model.FileObject;
import dev.warden.openai.model.ModelList;
import dev.warden.openai.model.ModelResponse;
import dev.warden.openai.model.ResponseItem;
import dev.warden.openai.model.ResponseItemList;
import dev.warden.openai.model.UpdateConversationRequest;
import dev.warden.openai.stream.StreamSettings;
import dev.warden.openai.stream.StreamTimers;
import dev.warden.openai.stream.UpstreamStream;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbException;
import jakarta.json.stream.JsonParsingException;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.logging.Logger;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.entity.mime.HttpMultipartMode;
import org.apache.hc.client5.http.entity.mime.MultipartEntityBuilder;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.HttpEntityWrapper;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.Timeout;
import org.eclipse.microprofile.rest.client.RestClientBuilder;

/**
 * One attempt of one upstream operation, and nothing more: no retry, no fallback (those are {@link
 * dev.warden.ai.ResilientOpenAi}'s). Owns the application's REST clients — one per distinct read
 * timeout, built once and shared by every request — and the connection limit: at most {@code
 * warden.openai.max-connections} exchanges are in flight, and a request that cannot get a
 * connection within {@code warden.openai.connection-wait} fails fast with {@link
 * ConnectionPoolExhaustedException}. Every failure leaves as an {@link OpenAiException}.
 *
 * <p>Two HTTP stacks, no more (an ArchUnit rule keeps Apache HttpClient inside {@code
 * dev.warden.openai} and {@code java.net.http} out of Warden): every JSON call goes through the
 * MicroProfile REST Client ({@link OpenAiApi}), and only streams ({@code stream: true}) and file
 * uploads (their write timeout, see {@link #uploadFile}) through Apache HttpClient 5's classic
 * client. A stream must be cut the moment its caller leaves, or the upstream keeps generating (and
 * billing) tokens nobody reads; closing the body of a REST client (RESTEasy) response drains it to
 * the end instead, and the REST client offers no way to abort an exchange from another thread.
 * HttpClient's {@link HttpPost#cancel()} closes the socket at once and wakes the blocked reader,
 * while a stream read to its end returns its connection to the pool. See {@code openStream}.
 */
@ApplicationScoped
public class OpenAiTransport {
  private static final Logger LOG = Logger.getLogger(OpenAiTransport.class.getName());

  @Inject OpenAiSettings settings;
  @Inject CredentialProvider credentials;
  @Inject Clock clock;
  @Inject StreamSettings streamSettings;

  @Inject StreamTimers timers;
  @Inject UpstreamRateLimits rateLimits;
  @Inject Event<CredentialRejected> credentialRejected;

  @Inject Upstreams upstreams;

  private static final Jsonb JSONB = SharedJsonb.JSONB;

  /** The REST client of one upstream, base URI (an Azure deployment) and read timeout. */
  private record ClientKey(String upstream, java.net.URI base, Duration readTimeout) {}

  private final ConcurrentMap<ClientKey, OpenAiApi> clients = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, UpstreamHeadersFilter> filters = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, CloseableHttpClient> streamClients =
      new ConcurrentHashMap<>();
  private Semaphore connections;
  private UpstreamHeadersFilter headers;

  @PostConstruct
  void init() {
    connections = new Semaphore(settings.maxConnections(), true);
    headers = new UpstreamHeadersFilter(credentials, settings);
  }

  private CloseableHttpClient streamClient(Upstream upstream) {
    return streamClients.computeIfAbsent(
        upstream.name(),
        name ->
            HttpClients.custom()
                .setConnectionManager(
                    PoolingHttpClientConnectionManagerBuilder.create()
                        .setMaxConnTotal(settings.maxConnections())
                        .setMaxConnPerRoute(settings.maxConnections())
                        .setDefaultConnectionConfig(
                            ConnectionConfig.custom()
                                .setConnectTimeout(Timeout.of(upstream.connectTimeout()))
                                .build())
                        .build())
                .disableAutomaticRetries()
                .disableRedirectHandling()
                .disableCookieManagement()
                .disableContentCompression()
                .disableAuthCaching()
                .build());
  }

  /** The credential, organization, project and query headers of {@code upstream}. */
  private UpstreamHeadersFilter headers(Upstream upstream) {
    if (Upstreams.DEFAULT.equals(upstream.name())) {
      return headers;
    }
    return filters.computeIfAbsent(
        upstream.name(),
        name ->
            new UpstreamHeadersFilter(
                ConfiguredCredentialProvider.forUpstream(
                    ConfigProducer::settings, name, upstream.kind()),
                null,
                null,
                upstream.query()));
  }

  /** Where a request for {@code model} goes (see {@link Upstreams#route}). */
  public Upstreams.Target route(String model) {
    return upstreams.route(model);
  }

  /** A chat completion on the upstream that serves {@code request.model()}. */
  public Exchange<ChatCompletion> chat(ChatCompletionRequest request, String idempotencyKey) {
    return chat(route(request.model()), request, idempotencyKey);
  }

  /** A chat completion of {@code target}'s model on its upstream. */
  public Exchange<ChatCompletion> chat(
      Upstreams.Target target, ChatCompletionRequest request, String idempotencyKey) {
    ChatCompletionRequest sent = onUpstream(request, target, ChatCompletionRequest::withModel);
    return exchange(
        target,
        UpstreamOperation.CHAT,
        api -> api.createChatCompletion(idempotencyKey, sent),
        ChatCompletion.class);
  }

  public Exchange<ModelResponse> createResponse(
      CreateResponseRequest request, String idempotencyKey) {
    return createResponse(route(request.model()), request, idempotencyKey);
  }

  /** A response of {@code target}'s model on its upstream. */
  public Exchange<ModelResponse> createResponse(
      Upstreams.Target target, CreateResponseRequest request, String idempotencyKey) {
    CreateResponseRequest sent = onUpstream(request, target, CreateResponseRequest::withModel);
    return exchange(
        target,
        UpstreamOperation.RESPONSES,
        api -> api.createResponse(idempotencyKey, sent),
        ModelResponse.class);
  }

  /** {@code request} with the model named as the upstream knows it. */
  private static <R> R onUpstream(
      R request, Upstreams.Target target, java.util.function.BiFunction<R, String, R> withModel) {
    return target.upstreamModel() == null || target.upstreamModel().equals(target.model())
        ? request
        : withModel.apply(request, target.upstreamModel());
  }

  /**
   * Opens a chat completion stream and waits for its first event (within the first-event timeout):
   * a failure up to that point is an ordinary, possibly retriable, {@link OpenAiException}. The
   * returned stream holds an upstream connection until it is closed.
   */
  public UpstreamStream openChatStream(ChatCompletionRequest request, String idempotencyKey) {
    return openChatStream(route(request.model()), request, idempotencyKey);
  }

  /** {@link #openChatStream(ChatCompletionRequest, String)} of {@code target}. */
  public UpstreamStream openChatStream(
      Upstreams.Target target, ChatCompletionRequest request, String idempotencyKey) {
    return openStream(
        target,
        UpstreamOperation.CHAT,
        onUpstream(request, target, ChatCompletionRequest::withModel),
        idempotencyKey);
  }

  /** Opens a Responses API stream; see {@link #openChatStream}. */
  public UpstreamStream openResponseStream(CreateResponseRequest request, String idempotencyKey) {
    return openResponseStream(route(request.model()), request, idempotencyKey);
  }

  /** {@link #openResponseStream(CreateResponseRequest, String)} of {@code target}. */
  public UpstreamStream openResponseStream(
      Upstreams.Target target, CreateResponseRequest request, String idempotencyKey) {
    return openStream(
        target,
        UpstreamOperation.RESPONSES,
        onUpstream(request, target, CreateResponseRequest::withModel),
        idempotencyKey);
  }

  /**
   * Streams go through Apache HttpClient's classic (blocking) client, not the REST client: closing
   * the body of a RESTEasy response drains it to the end instead of aborting it, so a caller who
   * leaves would keep paying for tokens. {@link HttpPost#cancel()} closes the socket at once (and
   * wakes a blocked reader); a stream read to its end is closed normally and its connection goes
   * back to the pool for reuse. Blocking I/O on the relaying thread avoids the thread hand-offs of
   * an asynchronous client, and the pooled client sends a request about a millisecond sooner than
   * {@code HttpURLConnection} (see the streaming benchmark, docs/benchmarks.md). Base URL,
   * credentials, headers, error mapping and the connection limit are the same as for every other
   * call.
   */
  private UpstreamStream openStream(
      Upstreams.Target target, UpstreamOperation operation, Object body, String key) {
    Upstream upstream = target.upstream();
    acquireConnection();
    AtomicBoolean released = new AtomicBoolean();
    Runnable release =
        () -> {
          if (released.compareAndSet(false, true)) {
            connections.release();
          }
        };
    HttpPost post = new HttpPost(upstream.url(operation, target.upstreamModel()));
    ClassicHttpResponse response = null;
    UpstreamStream stream = null;
    try {
      post.setConfig(
          RequestConfig.custom()
              .setResponseTimeout(Timeout.of(upstream.readTimeoutFor(target.model())))
              .build());
      post.setHeader("Accept", "text/event-stream");
      if (key != null) {
        post.setHeader(OpenAiApi.IDEMPOTENCY_KEY, key);
      }
      headers(upstream).apply(post::setHeader);
      post.setEntity(
          new ByteArrayEntity(
              JSONB.toJson(body).getBytes(StandardCharsets.UTF_8), ContentType.APPLICATION_JSON));
      response = streamClient(upstream).executeOpen(null, post, null);
      ClassicHttpResponse open = response;
      int status = response.getCode();
      String requestId = headerOf(response, "x-request-id");
      observe(upstream, target.model(), name -> headerOf(open, name));
      if (status >= 400) {
        HttpEntity error = response.getEntity();
        String text;
        try (InputStream in = error == null ? InputStream.nullInputStream() : error.getContent()) {
          text = new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8);
        }
        throw OpenAiErrors.fromResponse(
            status, text, name -> headerOf(open, name), clock.instant());
      }
      if (response.getEntity() == null) {
        throw new MalformedResponseException(
            new ErrorInfo(
                status, "the upstream stream had no body", null, null, null, requestId, null),
            null);
      }
      InputStream in = response.getEntity().getContent();
      AtomicReference<UpstreamStream> self = new AtomicReference<>();
      // a stream read to its end goes back to the pool; any other is cut at once
      AutoCloseable abort =
          () -> {
            UpstreamStream s = self.get();
            if (s == null || !s.reachedEnd()) {
              post.cancel();
            }
            open.close();
          };
      stream =
          UpstreamStream.open(
              in, abort, release, requestId, streamSettings, timers.scheduler(), upstream.name());
      self.set(stream);
      stream.awaitFirst();
      return stream;
    } catch (IOException e) {
      abandon(post, response, stream, release);
      throw transportFailure(new java.io.UncheckedIOException(e));
    } catch (RuntimeException e) {
      abandon(post, response, stream, release);
      throw noticed(
          upstream,
          target.model(),
          e instanceof OpenAiException ? (OpenAiException) e : transportFailure(e));
    }
  }

  /** Cuts a stream that will not be relayed: its connection is closed, never drained. */
  private static void abandon(
      HttpPost post, ClassicHttpResponse response, UpstreamStream stream, Runnable release) {
    if (stream != null) {
      stream.close();
    } else {
      post.cancel();
      if (response != null) {
        try {
          response.close();
        } catch (IOException e) {
          LOG.fine(() -> "WARDEN0103I: closing a cut upstream stream failed: " + e.getClass());
        }
      }
    }
    release.run();
  }

  private static String headerOf(ClassicHttpResponse response, String name) {
    Header header = response.getFirstHeader(name);
    return header == null ? null : header.getValue();
  }

  public Exchange<ModelResponse> retrieveResponse(String id) {
    return exchange(null, api -> api.retrieveResponse(id), ModelResponse.class);
  }

  public Exchange<DeletedObject> deleteResponse(String id) {
    return exchange(null, api -> api.deleteResponse(id), DeletedObject.class);
  }

  public Exchange<ModelResponse> cancelResponse(String id) {
    return exchange(null, api -> api.cancelResponse(id), ModelResponse.class);
  }

  public Exchange<ResponseItemList> listInputItems(
      String id, String after, Integer limit, String order) {
    return exchange(
        null, api -> api.listInputItems(id, after, limit, order), ResponseItemList.class);
  }

  public Exchange<ConversationObject> createConversation(
      CreateConversationRequest request, String idempotencyKey) {
    return exchange(
        null, api -> api.createConversation(idempotencyKey, request), ConversationObject.class);
  }

  public Exchange<ConversationObject> retrieveConversation(String id) {
    return exchange(null, api -> api.retrieveConversation(id), ConversationObject.class);
  }

  public Exchange<ConversationObject> updateConversation(
      String id, UpdateConversationRequest request) {
    return exchange(null, api -> api.updateConversation(id, request), ConversationObject.class);
  }

  public Exchange<DeletedObject> deleteConversation(String id) {
    return exchange(null, api -> api.deleteConversation(id), DeletedObject.class);
  }

  public Exchange<ResponseItemList> createConversationItems(
      String id, ConversationItemsRequest request, String idempotencyKey) {
    return exchange(
        null,
        api -> api.createConversationItems(idempotencyKey, id, request),
        ResponseItemList.class);
  }

  public Exchange<ResponseItemList> listConversationItems(
      String id, String after, Integer limit, String order) {
    return exchange(
        null, api -> api.listConversationItems(id, after, limit, order), ResponseItemList.class);
  }

  public Exchange<ResponseItem> retrieveConversationItem(String id, String itemId) {
    return exchange(null, api -> api.retrieveConversationItem(id, itemId), ResponseItem.class);
  }

  public Exchange<ConversationObject> deleteConversationItem(String id, String itemId) {
    return exchange(null, api -> api.deleteConversationItem(id, itemId), ConversationObject.class);
  }

  /** Embeddings on the upstream that serves {@code request.model()}. */
  public Exchange<EmbeddingResponse> embeddings(EmbeddingRequest request, String idempotencyKey) {
    Upstreams.Target target = route(request.model());
    EmbeddingRequest sent = onUpstream(request, target, EmbeddingRequest::withModel);
    return exchange(
        target,
        UpstreamOperation.EMBEDDINGS,
        api -> api.createEmbedding(idempotencyKey, sent),
        EmbeddingResponse.class);
  }

  public Exchange<ModelList> listModels() {
    return exchange(null, OpenAiApi::listModels, ModelList.class);
  }

  /**
   * Uploads a file ({@code POST /files}, multipart) through Apache HttpClient, not the REST client,
   * because only there can an exchange be cut from another thread: the request body must be sent
   * within {@code warden.openai.write-timeout}, or a watchdog cancels the exchange (an upstream
   * that stops reading would otherwise hold the thread and the connection for as long as the
   * operating system lets a blocked write wait) and the attempt fails with {@link
   * UpstreamTimeoutException}. The answer is then awaited within the read timeout. Base URL,
   * credentials, headers, error mapping and the connection limit are those of every other call.
   */
  public Exchange<FileObject> uploadFile(
      String filename, byte[] content, String purpose, String idempotencyKey) {
    acquireConnection();
    HttpPost post = new HttpPost(settings.baseUrl() + "/files");
    AtomicBoolean sent = new AtomicBoolean();
    AtomicBoolean cut = new AtomicBoolean();
    ScheduledFuture<?> watchdog = null;
    try {
      post.setConfig(
          RequestConfig.custom().setResponseTimeout(Timeout.of(settings.readTimeout())).build());
      post.setHeader("Accept", "application/json");
      if (idempotencyKey != null) {
        post.setHeader(OpenAiApi.IDEMPOTENCY_KEY, idempotencyKey);
      }
      headers.apply(post::setHeader);
      HttpEntity multipart =
          MultipartEntityBuilder.create()
              .setMode(HttpMultipartMode.EXTENDED) // RFC 7578: a file name in UTF-8
              .setCharset(UTF_8)
              .addTextBody("purpose", purpose, ContentType.TEXT_PLAIN.withCharset(UTF_8))
              .addBinaryBody("file", content, ContentType.APPLICATION_OCTET_STREAM, filename)
              .build();
      post.setEntity(
          new HttpEntityWrapper(multipart) {
            @Override
            public void writeTo(OutputStream out) throws IOException {
              super.writeTo(out);
              out.flush();
              sent.set(true);
            }
          });
      Duration writeTimeout = settings.writeTimeout();
      watchdog =
          timers
              .scheduler()
              .schedule(
                  () -> {
                    if (!sent.get()) {
                      cut.set(true);
                      post.cancel();
                    }
                  },
                  writeTimeout.toNanos(),
                  TimeUnit.NANOSECONDS);
      try (ClassicHttpResponse response =
          streamClient(upstreams.defaultUpstream()).executeOpen(null, post, null)) {
        sent.set(true);
        int status = response.getCode();
        String requestId = headerOf(response, "x-request-id");
        HttpEntity entity = response.getEntity();
        String text;
        try (InputStream in =
            entity == null ? InputStream.nullInputStream() : entity.getContent()) {
          text = new String(in.readNBytes(1024 * 1024), UTF_8);
        }
        if (status >= 400) {
          throw OpenAiErrors.fromResponse(
              status, text, name -> headerOf(response, name), clock.instant());
        }
        FileObject body;
        try {
          body = text.isBlank() ? null : JSONB.fromJson(text, FileObject.class);
        } catch (JsonbException e) {
          throw new MalformedResponseException(
              new ErrorInfo(
                  status,
                  "the upstream answer could not be read as FileObject",
                  null,
                  null,
                  null,
                  requestId,
                  null),
              e);
        }
        if (body == null) {
          throw new MalformedResponseException(
              new ErrorInfo(
                  status, "the upstream answer was empty", null, null, null, requestId, null),
              null);
        }
        return new Exchange<>(body, status, requestId);
      }
    } catch (IOException | RuntimeException e) {
      if (cut.get()) {
        throw new UpstreamTimeoutException(
            ErrorInfo.transport(
                "the upstream did not take the request body within the write timeout ("
                    + settings.writeTimeout()
                    + ")"),
            e);
      }
      if (e instanceof OpenAiException failure) {
        throw noticed(upstreams.defaultUpstream(), null, failure);
      }
      throw noticed(
          upstreams.defaultUpstream(),
          null,
          transportFailure(
              e instanceof IOException io
                  ? new java.io.UncheckedIOException(io)
                  : (RuntimeException) e));
    } finally {
      if (watchdog != null) {
        watchdog.cancel(false);
      }
      connections.release();
    }
  }

  public Exchange<FileList> listFiles(String purpose, Integer limit, String order, String after) {
    return exchange(null, api -> api.listFiles(purpose, limit, order, after), FileList.class);
  }

  public Exchange<FileObject> retrieveFile(String fileId) {
    return exchange(null, api -> api.retrieveFile(fileId), FileObject.class);
  }

  public Exchange<DeletedObject> deleteFile(String fileId) {
    return exchange(null, api -> api.deleteFile(fileId), DeletedObject.class);
  }

  public Exchange<byte[]> fileContent(String fileId) {
    return exchange(null, api -> api.retrieveFileContent(fileId), byte[].class);
  }

  public Exchange<Batch> createBatch(CreateBatchRequest request, String idempotencyKey) {
    return exchange(null, api -> api.createBatch(idempotencyKey, request), Batch.class);
  }

  public Exchange<Batch> retrieveBatch(String id) {
    return exchange(null, api -> api.retrieveBatch(id), Batch.class);
  }

  public Exchange<Batch> cancelBatch(String id) {
    return exchange(null, api -> api.cancelBatch(id), Batch.class);
  }

  public Exchange<BatchList> listBatches(String after, Integer limit) {
    return exchange(null, api -> api.listBatches(after, limit), BatchList.class);
  }

  @PreDestroy
  void close() {
    for (OpenAiApi client : clients.values()) {
      if (client instanceof AutoCloseable) {
        try {
          ((AutoCloseable) client).close();
        } catch (Exception e) {
          LOG.fine(
              () -> "WARDEN0102I: closing an upstream client failed: " + e.getClass().getName());
        }
      }
    }
    clients.clear();
    for (CloseableHttpClient streamClient : streamClients.values()) {
      streamClient.close(CloseMode.IMMEDIATE);
    }
    streamClients.clear();
  }

  /** Connections in use right now (for health and metrics). */
  public int connectionsInUse() {
    return settings.maxConnections() - connections.availablePermits();
  }

  /** An exchange with the default upstream (operations that name no model). */
  private <T> Exchange<T> exchange(
      String model, Function<OpenAiApi, Response> call, Class<T> type) {
    Upstream upstream = upstreams.defaultUpstream();
    return exchange(upstream, upstream.baseUrl(), model, call, type);
  }

  private <T> Exchange<T> exchange(
      Upstreams.Target target,
      UpstreamOperation operation,
      Function<OpenAiApi, Response> call,
      Class<T> type) {
    Upstream upstream = target.upstream();
    return exchange(
        upstream,
        upstream.clientBase(operation, target.upstreamModel()),
        target.model(),
        call,
        type);
  }

  private <T> Exchange<T> exchange(
      Upstream upstream,
      java.net.URI base,
      String model,
      Function<OpenAiApi, Response> call,
      Class<T> type) {
    acquireConnection();
    try (Response response =
        call.apply(client(new ClientKey(upstream.name(), base, upstream.readTimeoutFor(model))))) {
      String requestId = response.getHeaderString("x-request-id");
      observe(upstream, model, response::getHeaderString);
      T body;
      try {
        body = response.readEntity(type);
      } catch (ProcessingException | JsonbException | IllegalStateException e) {
        if (isMalformed(e)) {
          throw new MalformedResponseException(
              new ErrorInfo(
                  response.getStatus(),
                  "the upstream answer could not be read as " + type.getSimpleName(),
                  null,
                  null,
                  null,
                  requestId,
                  null),
              e);
        }
        throw e;
      }
      if (body == null) {
        throw new MalformedResponseException(
            new ErrorInfo(
                response.getStatus(),
                "the upstream answer was empty",
                null,
                null,
                null,
                requestId,
                null),
            null);
      }
      return new Exchange<>(body, response.getStatus(), requestId, upstream.name());
    } catch (OpenAiException e) {
      throw noticed(upstream, model, e);
    } catch (RuntimeException e) {
      throw noticed(upstream, model, transportFailure(e));
    } finally {
      connections.release();
    }
  }

  /**
   * Raises {@link CredentialRejected} when the upstream rejected Warden's own credential (401), so
   * that operators hear of it whichever caller met it; returns {@code failure}.
   */
  private OpenAiException noticed(Upstream upstream, String model, OpenAiException failure) {
    if (failure instanceof AuthenticationException && credentialRejected != null) {
      URI base = upstream.baseUrl();
      try {
        credentialRejected.fire(
            new CredentialRejected(
                Upstreams.DEFAULT.equals(upstream.name())
                    ? base.getScheme() + "://" + base.getAuthority()
                    : upstream.name() + " " + base.getScheme() + "://" + base.getAuthority(),
                upstream.kind() == UpstreamKind.AZURE ? "api-key" : settings.authHeader(),
                model,
                failure.code(),
                failure.requestId(),
                clock.instant()));
      } catch (RuntimeException observerFailed) {
        LOG.warning(
            "WARDEN0121W: the alert of a rejected upstream credential could not be raised: "
                + observerFailed.getClass().getName());
      }
    }
    return failure;
  }

  /** Hands an answer's {@code x-ratelimit-*} headers to the pacing, if there is one. */
  private void observe(Upstream upstream, String model, Function<String, String> header) {
    if (rateLimits != null) {
      rateLimits.observe(upstream.name(), model, header);
    }
  }

  private void acquireConnection() {
    try {
      if (!connections.tryAcquire(settings.connectionWait().toNanos(), TimeUnit.NANOSECONDS)) {
        throw new ConnectionPoolExhaustedException(
            ErrorInfo.transport(
                "all "
                    + settings.maxConnections()
                    + " upstream connections are busy (waited "
                    + settings.connectionWait().toMillis()
                    + " ms)"),
            null);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ConnectionException(
          ErrorInfo.transport("interrupted while waiting for an upstream connection"), e);
    }
  }

  private OpenAiApi client(ClientKey key) {
    return clients.computeIfAbsent(key, this::build);
  }

  private OpenAiApi build(ClientKey key) {
    Upstream upstream = upstreams.get(key.upstream()).orElseThrow();
    return RestClientBuilder.newBuilder()
        .baseUri(key.base())
        .connectTimeout(upstream.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .readTimeout(key.readTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .register(headers(upstream))
        .register(new OpenAiResponseExceptionMapper(clock))
        .build(OpenAiApi.class);
  }

  /** Maps what the HTTP stack throws to the hierarchy; an OpenAiException inside wins. */
  static OpenAiException transportFailure(RuntimeException failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof OpenAiException) {
        return (OpenAiException) t;
      }
    }
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SocketTimeoutException) {
        return new UpstreamTimeoutException(
            ErrorInfo.transport("the upstream did not answer in time (" + t.getMessage() + ")"),
            failure);
      }
      if (t instanceof ConnectException) {
        return new ConnectionException(
            ErrorInfo.transport("could not connect to the upstream (" + t.getMessage() + ")"),
            failure);
      }
      if (t instanceof InterruptedIOException) {
        return new UpstreamTimeoutException(
            ErrorInfo.transport("the upstream exchange was interrupted"), failure);
      }
      if (t instanceof IOException) {
        return new ConnectionException(
            ErrorInfo.transport(
                "the upstream connection failed (" + t.getClass().getSimpleName() + ")"),
            failure);
      }
    }
    if (isMalformed(failure)) {
      return new MalformedResponseException(
          ErrorInfo.transport("the upstream answer could not be read"), failure);
    }
    return new ConnectionException(
        ErrorInfo.transport(
            "the upstream exchange failed (" + failure.getClass().getSimpleName() + ")"),
        failure);
  }

  private static boolean isMalformed(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof JsonbException
          || t instanceof JsonParsingException
          || t instanceof jakarta.json.JsonException) {
        return true;
      }
    }
    return false;
  }
}
