package dev.warden.openai.internal;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;

/**
 * The one JSON-B instance for Warden's own (de)serialisation of wire records outside JAX-RS. A
 * {@link Jsonb} is thread-safe and expensive to build, so it is built once.
 */
public final class SharedJsonb {

  /** Default configuration: the records' own annotations decide names and adapters. */
  public static final Jsonb JSONB = JsonbBuilder.create();

  private SharedJsonb() {}
}
