package dev.warden.config;

import java.util.concurrent.ThreadFactory;

/**
 * Virtual threads for streams, where the JVM has them (Java 21 and later) and {@value #SETTING} is
 * not {@code false}: a stream spends nearly all its life waiting for the upstream's next event, and
 * on a virtual thread it holds no platform thread while it waits. Warden compiles for Java 17, so
 * the factory is found by reflection.
 */
public final class VirtualThreads {

  /** Whether streams run on virtual threads when the JVM has them (default true). */
  public static final String SETTING = "warden.stream.virtual-threads";

  private VirtualThreads() {}

  /**
   * A factory of virtual threads named {@code prefix} and a counter, or {@code null} when {@value
   * #SETTING} is false or the JVM has no virtual threads (before Java 21).
   */
  public static ThreadFactory forStreams(String prefix) {
    boolean wanted =
        ConfigProducer.settings().string(SETTING).map(Boolean::parseBoolean).orElse(true);
    return wanted ? factory(prefix) : null;
  }

  /** A factory of virtual threads named {@code prefix} and a counter, or {@code null} before 21. */
  static ThreadFactory factory(String prefix) {
    try {
      Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
      Class<?> ofVirtual = Class.forName("java.lang.Thread$Builder$OfVirtual");
      builder = ofVirtual.getMethod("name", String.class, long.class).invoke(builder, prefix, 0L);
      return (ThreadFactory)
          Class.forName("java.lang.Thread$Builder").getMethod("factory").invoke(builder);
    } catch (ReflectiveOperationException | RuntimeException noVirtualThreads) {
      return null;
    }
  }
}
