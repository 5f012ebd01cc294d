package dev.warden.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class VirtualThreadsTest {

  @Test
  void virtualThreadsExistFromJava21OnAndRunWhatTheyAreGiven() throws Exception {
    ThreadFactory factory = VirtualThreads.factory("warden-test-");
    if (Runtime.version().feature() < 21) {
      assertThat(factory).isNull();
      return;
    }
    CompletableFuture<String> ranOn = new CompletableFuture<>();
    Thread t = factory.newThread(() -> ranOn.complete(Thread.currentThread().toString()));
    t.start();

    assertThat(t.getName()).isEqualTo("warden-test-0");
    assertThat(ranOn.get(10, TimeUnit.SECONDS)).contains("VirtualThread").contains("warden-test-0");
    assertThat(factory.newThread(() -> {}).getName()).isEqualTo("warden-test-1");
  }
}
