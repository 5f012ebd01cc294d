package dev.warden.audit.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class CanonicalRecordTest {

  static CanonicalRecord.Builder b() {
    return CanonicalRecord.builder();
  }

  @Test
  void valueBoundariesCannotShift() {
    assertThat(b().string("a", "ab").string("b", "c").build())
        .isNotEqualTo(b().string("a", "a").string("b", "bc").build());
    assertThat(b().bytes("a", new byte[] {1, 2}).bytes("b", new byte[] {3}).build())
        .isNotEqualTo(b().bytes("a", new byte[] {1}).bytes("b", new byte[] {2, 3}).build());
  }

  @Test
  void namesArePartOfTheContent() {
    assertThat(b().string("ab", "c").build()).isNotEqualTo(b().string("a", "bc").build());
    assertThat(b().string("model", "x").build())
        .isNotEqualTo(b().string("prompt_version", "x").build());
    // a name's bytes cannot be read as part of the neighbouring value
    assertThat(b().string("a", "").string("b", "x").build())
        .isNotEqualTo(b().string("a", "bx").build());
  }

  @Test
  void typesAndNullsAreDistinct() {
    CanonicalRecord nullString = b().string("f", null).build();
    CanonicalRecord emptyString = b().string("f", "").build();
    CanonicalRecord emptyBytes = b().bytes("f", new byte[0]).build();
    CanonicalRecord nullBytes = b().bytes("f", null).build();
    CanonicalRecord zero = b().number("f", 0L).build();
    CanonicalRecord textZero = b().string("f", "0").build();
    CanonicalRecord no = b().bool("f", false).build();

    assertThat(nullString).isEqualTo(nullBytes);
    assertThat(java.util.List.of(nullString, emptyString, emptyBytes, zero, textZero, no))
        .doesNotHaveDuplicates();
    assertThat(b().number("f", (Long) null).build()).isEqualTo(nullString);
  }

  @Test
  void orderAndFieldCountMatter() {
    assertThat(b().number("a", 1).number("b", 2).build())
        .isNotEqualTo(b().number("b", 2).number("a", 1).build());
    assertThat(b().number("a", 1).build()).isNotEqualTo(b().number("a", 1).nullField("b").build());
    assertThat(b().number("a", 1).number("b", 2).build())
        .isEqualTo(b().number("a", 1).number("b", 2).build());
    assertThat(b().number("a", 1).number("b", 2).build().fieldNames()).containsExactly("a", "b");
  }

  @Test
  void encodingIsVersionedAndFixed() {
    assertThat(b().number("n", 258).build().encoded())
        .containsExactly(1, 0, 0, 0, 1, 0, 0, 0, 1, 'n', 2, 0, 0, 0, 0, 0, 0, 1, 2);
    assertThat(b().build().encoded()).containsExactly(1, 0, 0, 0, 0);
  }

  @Test
  void namesMustBeUniqueAndNonEmpty() {
    assertThatThrownBy(() -> b().string("a", "x").number("a", 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b().string("", "x")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b().string(null, "x")).isInstanceOf(NullPointerException.class);
  }

  @Test
  void instantsAreMicrosecondsAndRejectFinerPrecision() {
    Instant t = Instant.parse("2025-03-01T12:00:00.123456Z");
    assertThat(b().instant("t", t).build())
        .isEqualTo(b().number("t", t.getEpochSecond() * 1_000_000 + 123_456).build());
    assertThatThrownBy(() -> b().instant("t", t.plusNanos(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(b().instant("t", null).build()).isEqualTo(b().nullField("t").build());
  }

  @Test
  void encodedIsACopy() {
    CanonicalRecord r = b().string("a", "x").build();
    r.encoded()[0] = 9;
    assertThat(r.encoded()[0]).isEqualTo((byte) 1);
  }
}
