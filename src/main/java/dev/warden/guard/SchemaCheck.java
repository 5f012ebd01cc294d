package dev.warden.guard;

import com.networknt.schema.InputFormat;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.resource.UriSchemaLoader;
import jakarta.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks a JSON text against a JSON Schema (draft 2020-12, the dialect of OpenAI's structured
 * outputs and function parameters) with the networknt validator. Remote {@code $ref}s are never
 * fetched (no network access from a schema a caller sent). Compiled schemas are cached by their
 * text, up to {@value #MAX_CACHED}. Thread-safe.
 */
public final class SchemaCheck {

  static final int MAX_CACHED = 512;

  private final JsonSchemaFactory factory =
      JsonSchemaFactory.getInstance(
          SpecVersion.VersionFlag.V202012,
          builder ->
              builder.schemaLoaders(
                  loaders ->
                      loaders.values(list -> list.removeIf(UriSchemaLoader.class::isInstance))));
  private final SchemaValidatorsConfig config =
      SchemaValidatorsConfig.builder()
          .formatAssertionsEnabled(true)
          .pathType(PathType.JSON_PATH)
          .build();
  private final Map<String, JsonSchema> cache = new ConcurrentHashMap<>();

  /**
   * The violations of {@code json} against {@code schema}, in document order; empty when it
   * conforms. A text that is not JSON is one violation at {@code $}; so is a schema that cannot be
   * compiled (the output cannot be shown to conform).
   */
  public List<OutputViolation> check(JsonObject schema, String json) {
    if (json == null) {
      return List.of(new OutputViolation("$", "no JSON output"));
    }
    JsonSchema compiled;
    try {
      compiled = compile(schema.toString());
    } catch (RuntimeException e) {
      return List.of(
          new OutputViolation("$", "the schema cannot be used: " + e.getClass().getSimpleName()));
    }
    List<ValidationMessage> messages;
    try {
      messages = new ArrayList<>(compiled.validate(json, InputFormat.JSON));
    } catch (RuntimeException e) {
      return List.of(new OutputViolation("$", "the output is not valid JSON"));
    }
    messages.sort(Comparator.comparing(m -> String.valueOf(m.getInstanceLocation())));
    List<OutputViolation> out = new ArrayList<>(messages.size());
    for (ValidationMessage m : messages) {
      out.add(new OutputViolation(String.valueOf(m.getInstanceLocation()), describe(m)));
    }
    return out;
  }

  private JsonSchema compile(String schema) {
    JsonSchema cached = cache.get(schema);
    if (cached != null) {
      return cached;
    }
    JsonSchema compiled = factory.getSchema(schema, InputFormat.JSON, config);
    if (cache.size() >= MAX_CACHED) {
      cache.clear();
    }
    cache.put(schema, compiled);
    return compiled;
  }

  /** The rule that failed and its schema location, never the instance value. */
  private static String describe(ValidationMessage m) {
    return "violates '" + m.getType() + "' (" + m.getEvaluationPath() + ")";
  }
}
