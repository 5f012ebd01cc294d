package dev.warden.audit.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class AuditReaderTest {
  private final AuditTestKeys fixture = new AuditTestKeys();

  /** {@code r} as an export shows it, decrypted with the fixture's keys. */
  static AuditView viewOf(AuditTestKeys fixture, AuditRecord r) {
    return new AuditReader(fixture.keys).viewForExport(r);
  }

  @Test
  void anExportShowsEachFieldPresentAbsentErasedOrUnreadable() {
    AuditRecord r = fixture.records.forCall(AuditRecordFactoryTest.call("jane", "hello", null));

    AuditView view = viewOf(fixture, r);
    assertThat(view.record()).isSameAs(r);
    assertThat(view.request().state()).isEqualTo(AuditView.State.PRESENT);
    assertThat(view.request().value()).isEqualTo("\"hello\"");
    assertThat(view.answer().value()).isEqualTo("{\"answer\":\"hi\"}");
    assertThat(view.error().state()).isEqualTo(AuditView.State.ABSENT);

    byte[] tampered = Arrays.copyOf(r.answerEnc, r.answerEnc.length);
    tampered[tampered.length - 1] ^= 1;
    r.answerEnc = tampered;
    assertThat(viewOf(fixture, r).answer().state()).isEqualTo(AuditView.State.UNREADABLE);

    fixture.keys.erase(r.keySubject);
    AuditView erased = viewOf(fixture, r);
    assertThat(erased.request().state()).isEqualTo(AuditView.State.ERASED);
    assertThat(erased.request().value()).isNull();
  }
}
