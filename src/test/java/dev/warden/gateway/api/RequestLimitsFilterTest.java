package dev.warden.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RequestLimitsFilterTest {

  private static boolean deeper(String json, int max) {
    return RequestLimitsFilter.depthExceeds(json.getBytes(StandardCharsets.UTF_8), max);
  }

  @Test
  void countsNestingOfObjectsAndArrays() {
    assertThat(deeper("{\"a\":[{\"b\":[1]}]}", 4)).isFalse();
    assertThat(deeper("{\"a\":[{\"b\":[1]}]}", 3)).isTrue();
    assertThat(deeper("[[[]],[[]]]", 3)).isFalse();
  }

  @Test
  void bracketsInsideStringsAndEscapedQuotesDoNotCount() {
    assertThat(deeper("{\"text\":\"[[[[{{{{\"}", 1)).isFalse();
    assertThat(deeper("{\"text\":\"a \\\" [[[[ \\\\\",\"n\":[1]}", 2)).isFalse();
    assertThat(deeper("{\"text\":\"a \\\" [[[[ \\\\\",\"n\":[[1]]}", 2)).isTrue();
  }
}
