package dev.warden.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.config.Settings;
import dev.warden.openai.credential.ConfiguredCredentialProvider;
import dev.warden.openai.credential.UpstreamCredential;
import dev.warden.openai.error.NoCredentialException;
import dev.warden.openai.internal.UpstreamHeadersFilter;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Named upstreams: configuration, routing, URLs and headers per kind. */
class UpstreamsTest {

  private final Map<String, String> config = new LinkedHashMap<>();

  private Settings settings() {
    return new Settings(k -> Optional.ofNullable(config.get(k)), config.keySet());
  }

  private Upstreams upstreams() {
    Settings s = settings();
    return Upstreams.from(s, OpenAiSettings.from(s));
  }

  private void azure() {
    config.put("warden.upstream.azure.kind", "azure");
    config.put("warden.upstream.azure.base-url", "https://contoso.openai.azure.com/");
    config.put("warden.upstream.azure.api-version", "2024-10-21");
    config.put(
        "warden.upstream.azure.models", "gpt-4o-mini=mini-prod, text-embedding-3-small=embed");
  }

  private void local() {
    config.put("warden.upstream.local.kind", "openai-compatible");
    config.put("warden.upstream.local.base-url", "http://llm.internal:8000/v1");
    config.put("warden.upstream.local.models", "llama=llama3.1:8b");
    config.put("warden.upstream.local.read-timeout", "PT2M");
  }

  @Test
  void withoutNamedUpstreamsEverythingGoesToTheDefaultAsBefore() {
    config.put("warden.openai.base-url", "http://127.0.0.1:9089/v1");
    config.put("warden.openai.models.o3.read-timeout", "PT10M");
    Upstreams upstreams = upstreams();

    assertThat(upstreams.multiple()).isFalse();
    Upstreams.Target target = upstreams.route("gpt-4o");
    assertThat(target.upstream().name()).isEqualTo("openai");
    assertThat(target.upstreamModel()).isEqualTo("gpt-4o");
    assertThat(target.upstream().url(UpstreamOperation.CHAT, "gpt-4o"))
        .isEqualTo(URI.create("http://127.0.0.1:9089/v1/chat/completions"));
    assertThat(target.upstream().readTimeoutFor("o3")).isEqualTo(Duration.ofMinutes(10));
    assertThat(target.upstream().readTimeoutFor("gpt-4o")).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void aModelGoesToTheFirstUpstreamThatServesItAndTheDefaultTakesTheRest() {
    config.put("warden.upstreams", "azure, local");
    azure();
    local();
    Upstreams upstreams = upstreams();

    assertThat(upstreams.all())
        .extracting(Upstream::name)
        .containsExactly("azure", "local", "openai");
    Upstreams.Target mini = upstreams.route("gpt-4o-mini");
    assertThat(mini.upstream().name()).isEqualTo("azure");
    assertThat(mini.upstreamModel()).isEqualTo("mini-prod");
    Upstreams.Target llama = upstreams.route("llama");
    assertThat(llama.upstream().name()).isEqualTo("local");
    assertThat(llama.upstreamModel()).isEqualTo("llama3.1:8b");
    assertThat(llama.upstream().readTimeoutFor("llama")).isEqualTo(Duration.ofMinutes(2));
    assertThat(upstreams.route("gpt-4.1").upstream().name()).isEqualTo("openai");
  }

  @Test
  void theDefaultUpstreamCanBeListedToComeFirst() {
    config.put("warden.upstreams", "openai, local");
    local();
    Upstreams upstreams = upstreams();

    // the default serves every model: local is reached only by name
    assertThat(upstreams.route("llama").upstream().name()).isEqualTo("openai");
    Upstreams.Target named = upstreams.target("llama@local");
    assertThat(named.upstream().name()).isEqualTo("local");
    assertThat(named.upstreamModel()).isEqualTo("llama3.1:8b");
    assertThat(named.label()).isEqualTo("llama@local");
  }

  @Test
  void chainEntriesNameTheirUpstreamOrAreRouted() {
    config.put("warden.upstreams", "azure, local");
    azure();
    local();
    Upstreams upstreams = upstreams();

    assertThat(upstreams.target("gpt-4o-mini@openai").upstream().name()).isEqualTo("openai");
    assertThat(upstreams.target("gpt-4o-mini@openai").upstreamModel()).isEqualTo("gpt-4o-mini");
    assertThat(upstreams.target("gpt-4o-mini").upstream().name()).isEqualTo("azure");
    // an upstream that does not list the model sends it under its own name
    assertThat(upstreams.target("gpt-4.1@local").upstreamModel()).isEqualTo("gpt-4.1");
    assertThatThrownBy(() -> upstreams.target("gpt-4o@nowhere"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no upstream named nowhere");
  }

  @Test
  void azureSpeaksToDeploymentsWithItsApiVersion() {
    config.put("warden.upstreams", "azure");
    azure();
    Upstream azure = upstreams().get("azure").orElseThrow();

    assertThat(azure.kind()).isEqualTo(UpstreamKind.AZURE);
    assertThat(azure.url(UpstreamOperation.CHAT, "mini-prod"))
        .isEqualTo(
            URI.create(
                "https://contoso.openai.azure.com/openai/deployments/mini-prod/chat/completions"
                    + "?api-version=2024-10-21"));
    assertThat(azure.url(UpstreamOperation.EMBEDDINGS, "embed"))
        .isEqualTo(
            URI.create(
                "https://contoso.openai.azure.com/openai/deployments/embed/embeddings"
                    + "?api-version=2024-10-21"));
    assertThat(azure.url(UpstreamOperation.RESPONSES, "mini-prod"))
        .isEqualTo(
            URI.create("https://contoso.openai.azure.com/openai/responses?api-version=2024-10-21"));
    // the REST client's base; the query is added by the request filter
    assertThat(azure.clientBase(UpstreamOperation.CHAT, "a deployment"))
        .isEqualTo(
            URI.create("https://contoso.openai.azure.com/openai/deployments/a%20deployment"));
    assertThat(azure.query()).isEqualTo("api-version=2024-10-21");
  }

  @Test
  void openAiCompatibleServersKeepTheOpenAiPaths() {
    config.put("warden.upstreams", "local");
    local();
    Upstream local = upstreams().get("local").orElseThrow();

    assertThat(local.url(UpstreamOperation.CHAT, "llama3.1:8b"))
        .isEqualTo(URI.create("http://llm.internal:8000/v1/chat/completions"));
    assertThat(local.url(UpstreamOperation.RESPONSES, "llama3.1:8b"))
        .isEqualTo(URI.create("http://llm.internal:8000/v1/responses"));
    assertThat(local.query()).isEmpty();
  }

  @Test
  void azureSendsItsKeyInTheApiKeyHeader() {
    config.put("warden.upstream.azure.api-key", "azure-secret");
    config.put("OPENAI_API_KEY", "sk-not-this-one");

    UpstreamCredential c =
        ConfiguredCredentialProvider.forUpstream(this::settings, "azure", UpstreamKind.AZURE)
            .credential();

    assertThat(c.header()).isEqualTo("api-key");
    assertThat(c.value()).isEqualTo("azure-secret");
    Map<String, String> headers = new LinkedHashMap<>();
    new UpstreamHeadersFilter(
            ConfiguredCredentialProvider.forUpstream(this::settings, "azure", UpstreamKind.AZURE),
            null,
            null,
            "api-version=2024-10-21")
        .apply(headers::put);
    assertThat(headers).containsEntry("api-key", "azure-secret").doesNotContainKey("Authorization");
  }

  @Test
  void aNamedOpenAiUpstreamNeedsItsOwnKeyNotOpenAisEnvironmentKey() {
    config.put("OPENAI_API_KEY", "sk-default");

    assertThatThrownBy(
            () ->
                ConfiguredCredentialProvider.forUpstream(
                        this::settings, "second", UpstreamKind.OPENAI)
                    .credential())
        .isInstanceOf(NoCredentialException.class)
        .hasMessageContaining("warden.upstream.second.api-key");

    config.put("warden.upstream.second.api-key", "sk-second");
    UpstreamCredential c =
        ConfiguredCredentialProvider.forUpstream(this::settings, "second", UpstreamKind.OPENAI)
            .credential();
    assertThat(c.header()).isEqualTo("Authorization");
    assertThat(c.value()).isEqualTo("Bearer sk-second");
  }

  @Test
  void anOpenAiCompatibleServerMayNeedNoKeyAtAll() {
    Map<String, String> headers = new LinkedHashMap<>();
    new UpstreamHeadersFilter(
            ConfiguredCredentialProvider.forUpstream(
                this::settings, "local", UpstreamKind.OPENAI_COMPATIBLE),
            null,
            null,
            "")
        .apply(headers::put);
    assertThat(headers).doesNotContainKey("Authorization").containsKey("User-Agent");

    config.put("warden.upstream.local.api-key", "vllm-token");
    headers.clear();
    new UpstreamHeadersFilter(
            ConfiguredCredentialProvider.forUpstream(
                this::settings, "local", UpstreamKind.OPENAI_COMPATIBLE),
            null,
            null,
            "")
        .apply(headers::put);
    assertThat(headers).containsEntry("Authorization", "Bearer vllm-token");
  }

  @Test
  void aSecondOpenAiUpstreamDefaultsToOpenAisPublicApi() {
    config.put("warden.upstreams", "second");
    config.put("warden.upstream.second.kind", "openai");
    Upstream second = upstreams().get("second").orElseThrow();

    assertThat(second.url(UpstreamOperation.CHAT, "gpt-4o"))
        .isEqualTo(URI.create("https://api.openai.com/v1/chat/completions"));
    assertThat(second.serves("anything")).isTrue();
  }

  @Test
  void mistakesAreNamedByTheirKey() {
    config.put("warden.upstreams", "azure");
    config.put("warden.upstream.azure.kind", "azure");
    assertThatThrownBy(this::upstreams).hasMessageContaining("warden.upstream.azure.base-url");
    config.put("warden.upstream.azure.base-url", "https://contoso.openai.azure.com");
    assertThatThrownBy(this::upstreams).hasMessageContaining("warden.upstream.azure.api-version");
    config.put("warden.upstream.azure.api-version", "2024-10-21");
    assertThatThrownBy(this::upstreams).hasMessageContaining("warden.upstream.azure.models");
    config.put("warden.upstream.azure.kind", "bedrock");
    assertThatThrownBy(this::upstreams)
        .hasMessageContaining(
            "warden.upstream.azure.kind must be openai, azure or openai-compatible");
    config.put("warden.upstream.azure.kind", "azure");
    config.put("warden.upstream.azure.models", "gpt-4o=a, gpt-4o=b");
    assertThatThrownBy(this::upstreams).hasMessageContaining("names gpt-4o twice");
    config.put("warden.upstream.azure.models", "gpt-4o=a");
    config.put("warden.upstreams", "Azure");
    assertThatThrownBy(this::upstreams).hasMessageContaining("warden.upstreams");
    config.put("warden.upstreams", "azure, azure");
    assertThatThrownBy(this::upstreams).hasMessageContaining("names azure twice");
    config.put("warden.upstreams", "local");
    config.put("warden.upstream.local.kind", "openai-compatible");
    config.put("warden.upstream.local.base-url", "ftp://llm.internal");
    assertThatThrownBy(this::upstreams)
        .hasMessageContaining("warden.upstream.local.base-url must be an http(s) URL");
  }
}
