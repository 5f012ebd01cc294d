package dev.warden;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The libraries' SLF4J logs reach {@code java.util.logging} (Liberty's log) through the JUL
 * provider, and HttpClient's header and wire loggers, which would show the upstream's Authorization
 * header, are off at JUL's default level (docs/libraries.md).
 */
class LibraryLoggingTest {

  @Test
  void slf4jLogsGoToJavaUtilLogging() {
    assertThat(LoggerFactory.getILoggerFactory().getClass().getName())
        .isEqualTo("org.slf4j.jul.JDK14LoggerFactory");
    Logger jul = Logger.getLogger("org.flywaydb.core.LibraryLoggingTest");
    List<LogRecord> records = new ArrayList<>();
    Handler handler =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            records.add(record);
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    jul.addHandler(handler);
    try {
      LoggerFactory.getLogger("org.flywaydb.core.LibraryLoggingTest").info("schema {}", "valid");
    } finally {
      jul.removeHandler(handler);
    }
    assertThat(records)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.getLevel()).isEqualTo(Level.INFO);
              assertThat(r.getMessage()).isEqualTo("schema valid");
            });
  }

  @Test
  void httpClientHeaderAndWireLogsAreOffByDefault() {
    assertThat(LoggerFactory.getLogger("org.apache.hc.client5.http.headers").isDebugEnabled())
        .isFalse();
    assertThat(LoggerFactory.getLogger("org.apache.hc.client5.http.wire").isDebugEnabled())
        .isFalse();
    assertThat(LoggerFactory.getLogger("org.apache.hc.client5.http.wire").isInfoEnabled()).isTrue();
  }
}
