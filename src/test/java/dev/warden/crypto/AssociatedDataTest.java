package dev.warden.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class AssociatedDataTest {

  @Test
  void partsAreLengthPrefixedSoBoundariesCannotShift() {
    assertThat(AssociatedData.encode("ab", "c")).isNotEqualTo(AssociatedData.encode("a", "bc"));
    assertThat(AssociatedData.forField("audit_record", "prompt", "1"))
        .isNotEqualTo(AssociatedData.forField("audit_recordp", "rompt", "1"))
        .isNotEqualTo(AssociatedData.forField("audit_record", "prompt1", ""));
    assertThat(AssociatedData.encode("a", "")).isNotEqualTo(AssociatedData.encode("a"));
    assertThat(AssociatedData.encode("ab", "c")).isEqualTo(AssociatedData.encode("ab", "c"));
  }

  @Test
  void fieldsAndSubjectKeysAreDomainSeparated() {
    assertThat(AssociatedData.forSubjectKey("x"))
        .isNotEqualTo(AssociatedData.encode(AssociatedData.FIELD_DOMAIN, "x"));
    UUID id = UUID.randomUUID();
    assertThat(AssociatedData.forField("t", "c", id))
        .isEqualTo(AssociatedData.forField("t", "c", id.toString()));
  }

  @Test
  void encodingIsCountThenLengthAndUtf8OfEachPart() {
    assertThat(AssociatedData.encode("é", ""))
        .containsExactly(0, 0, 0, 2, 0, 0, 0, 2, 0xc3 - 256, 0xa9 - 256, 0, 0, 0, 0);
  }

  @Test
  void nullPartsAreRejected() {
    assertThatThrownBy(() -> AssociatedData.forField("t", null, "1"))
        .isInstanceOf(NullPointerException.class);
  }
}
