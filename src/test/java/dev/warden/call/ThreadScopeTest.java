package dev.warden.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

class ThreadScopeTest {

  private final ThreadScope<String> scope = new ThreadScope<>();

  @Test
  void nestedScopesRestoreTheOuterValueAndEndWithNone() {
    String seen =
        scope.with(
            "outer",
            () -> {
              String inner = scope.with("inner", scope::current);
              assertThat(inner).isEqualTo("inner");
              return scope.current();
            });
    assertThat(seen).isEqualTo("outer");
    assertThat(scope.current()).isNull();
  }

  @Test
  void aFailingActionStillRestores() throws Exception {
    assertThatThrownBy(
            () ->
                scope.call(
                    "x",
                    () -> {
                      throw new java.io.IOException("boom");
                    }))
        .isInstanceOf(java.io.IOException.class);
    assertThat(scope.current()).isNull();
    scope.bind("bound");
    assertThatThrownBy(
            () ->
                scope.with(
                    "x",
                    () -> {
                      throw new IllegalStateException();
                    }))
        .isInstanceOf(IllegalStateException.class);
    assertThat(scope.current()).isEqualTo("bound");
    scope.unbind();
    assertThat(scope.current()).isNull();
  }

  @Test
  void aNullValueHidesTheOuterOneAndTheValueStaysOnItsThread() throws Exception {
    scope.with(
        "outer",
        () -> {
          assertThat(scope.<String>with(null, scope::current)).isNull();
          assertThat(scope.current()).isEqualTo("outer");
          return null;
        });
    var pool = Executors.newSingleThreadExecutor();
    try {
      String elsewhere = scope.with("here", () -> join(pool.submit(scope::current)));
      assertThat(elsewhere).isNull();
    } finally {
      pool.shutdownNow();
    }
  }

  private static String join(java.util.concurrent.Future<String> f) {
    try {
      return f.get();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
