package dev.warden.call;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class IdempotencyScopeTest {

  private static String keyOfANewCall() {
    return new CallContext(Caller.ANONYMOUS, EntryPoint.CDI, "gpt-4o-mini", Clock.systemUTC())
        .idempotencyKey();
  }

  @Test
  void everyAttemptOfOneInvocationSendsTheSameKeysInTheSameOrder() throws Exception {
    String invocation = IdempotencyScope.newInvocationKey();
    List<List<String>> attempts = new ArrayList<>();
    for (int attempt = 0; attempt < 3; attempt++) {
      attempts.add(
          IdempotencyScope.call(invocation, () -> List.of(keyOfANewCall(), keyOfANewCall())));
    }

    assertThat(attempts).containsOnly(List.of(invocation + "-1", invocation + "-2"));
  }

  @Test
  void outsideAnAttemptEveryCallHasItsOwnKey() throws Exception {
    String outside = keyOfANewCall();
    String inside = IdempotencyScope.call("warden-x", IdempotencyScope::next);

    assertThat(outside).startsWith("warden-").isNotEqualTo(keyOfANewCall());
    assertThat(inside).isEqualTo("warden-x-1");
    assertThat(IdempotencyScope.next()).as("the scope ends with the attempt").isNull();
  }

  @Test
  void anotherInvocationHasAnotherKey() {
    assertThat(IdempotencyScope.newInvocationKey())
        .isNotEqualTo(IdempotencyScope.newInvocationKey());
  }
}
