package dev.warden.mock;

import com.github.tomakehurst.wiremock.extension.MappingsLoaderExtension;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import com.github.tomakehurst.wiremock.stubbing.StubMappings;

/**
 * Loads {@link MockOpenAiServer#defaultStubs()} as WireMock's default mappings, so that WireMock's
 * own {@code resetToDefaultMappings()} / {@code resetAll()} also bring the OpenAI behaviour back.
 */
public final class OpenAiDefaultStubs implements MappingsLoaderExtension {
  /** The extension's name. */
  public static final String NAME = "openai-mock-default-stubs";

  @Override
  public String getName() {
    return NAME;
  }

  @Override
  public void loadMappingsInto(StubMappings stubMappings) {
    for (StubMapping mapping : MockOpenAiServer.defaultStubs()) {
      stubMappings.addMapping(mapping);
    }
  }
}
