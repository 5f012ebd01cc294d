package dev.warden.pii;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class PlaceholderVaultTest {

  @Test
  void numbersPerTypeAndLooksUpBothWays() {
    PlaceholderVault v = new PlaceholderVault();
    assertThat(v.placeholder(EntityType.EMAIL, "a@example.com")).isEqualTo("<EMAIL_1>");
    assertThat(v.placeholder(EntityType.PHONE, "415-555-2671")).isEqualTo("<PHONE_1>");
    assertThat(v.placeholder(EntityType.EMAIL, "b@example.com")).isEqualTo("<EMAIL_2>");
    assertThat(v.placeholder(EntityType.EMAIL, "a@example.com")).isEqualTo("<EMAIL_1>");
    assertThat(v.lookup("<EMAIL_2>")).contains("b@example.com");
    assertThat(v.size()).isEqualTo(3);
  }

  @Test
  void toStringNeverShowsValues() {
    PlaceholderVault v = new PlaceholderVault();
    v.placeholder(EntityType.EMAIL, "secret.person@example.com");
    assertThat(v.toString()).doesNotContain("secret").doesNotContain("example");
  }

  @Test
  void bytesRoundTripAndNumberingContinues() {
    PlaceholderVault v = new PlaceholderVault();
    v.placeholder(EntityType.EMAIL, "a@example.com");
    v.placeholder(EntityType.EMAIL, "b@example.com");
    v.placeholder(EntityType.of("EMPLOYEE_ID"), "EMP-1 \"quoted\" ünïcödé\n");
    PlaceholderVault copy = PlaceholderVault.fromBytes(v.toBytes());
    assertThat(copy.size()).isEqualTo(3);
    assertThat(copy.lookup("<EMAIL_2>")).contains("b@example.com");
    assertThat(copy.lookup("<EMPLOYEE_ID_1>")).contains("EMP-1 \"quoted\" ünïcödé\n");
    assertThat(copy.placeholder(EntityType.EMAIL, "a@example.com")).isEqualTo("<EMAIL_1>");
    assertThat(copy.placeholder(EntityType.EMAIL, "c@example.com")).isEqualTo("<EMAIL_3>");
    assertThat(PlaceholderVault.fromBytes(new PlaceholderVault().toBytes()).isEmpty()).isTrue();
  }

  @Test
  void rejectsCorruptBytesWithoutQuotingValues() {
    PlaceholderVault v = new PlaceholderVault();
    v.placeholder(EntityType.EMAIL, "a@example.com");
    byte[] bytes = v.toBytes();
    byte[] truncated = java.util.Arrays.copyOf(bytes, bytes.length - 3);
    assertThatThrownBy(() -> PlaceholderVault.fromBytes(truncated))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("example");
    assertThatThrownBy(() -> PlaceholderVault.fromBytes(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}))
        .isInstanceOf(IllegalArgumentException.class);
    byte[] trailing = java.util.Arrays.copyOf(bytes, bytes.length + 1);
    assertThatThrownBy(() -> PlaceholderVault.fromBytes(trailing))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void isThreadSafe() throws Exception {
    PlaceholderVault v = new PlaceholderVault();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<List<String>>> futures = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        futures.add(
            pool.submit(
                () -> {
                  List<String> got = new ArrayList<>();
                  for (int i = 0; i < 500; i++) {
                    got.add(v.placeholder(EntityType.EMAIL, "user" + i + "@example.com"));
                  }
                  return got;
                }));
      }
      List<String> first = futures.get(0).get();
      Set<String> distinct = ConcurrentHashMap.newKeySet();
      for (Future<List<String>> f : futures) {
        assertThat(f.get()).isEqualTo(first);
        distinct.addAll(f.get());
      }
      assertThat(distinct).hasSize(500);
      assertThat(v.size()).isEqualTo(500);
    } finally {
      pool.shutdownNow();
    }
  }
}
