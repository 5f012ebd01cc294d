package dev.warden.pii;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StreamingRehydratorTest {

  private static PlaceholderVault vault() {
    PlaceholderVault v = new PlaceholderVault();
    v.placeholder(EntityType.EMAIL, "jane@example.com");
    v.placeholder(EntityType.of("NOTE"), "say \"hi\"\\now\n");
    return v;
  }

  private static final String TEXT = "Write to <EMAIL_1> (not <EMAIL_2>, a<b, <NOTE_1>) <EMAIL_1>";
  private static final String PLAIN =
      "Write to jane@example.com (not <EMAIL_2>, a<b, say \"hi\"\\now\n) jane@example.com";
  private static final String JSON =
      "Write to jane@example.com (not <EMAIL_2>, a<b, say \\\"hi\\\"\\\\now\\n) jane@example.com";

  @Test
  void nonStreamingMatchesStreaming() {
    Rehydrator r = new Rehydrator(vault());
    assertThat(r.text(TEXT)).isEqualTo(PLAIN);
    assertThat(r.json(TEXT)).isEqualTo(JSON);
  }

  @Test
  void everySplitIntoTwoChunks() {
    PlaceholderVault v = vault();
    for (int i = 0; i <= TEXT.length(); i++) {
      for (boolean json : new boolean[] {false, true}) {
        StreamingRehydrator s =
            json ? StreamingRehydrator.jsonString(v) : StreamingRehydrator.text(v);
        String out = s.push(TEXT.substring(0, i)) + s.push(TEXT.substring(i)) + s.flush();
        assertThat(out).as("split at %d json=%s", i, json).isEqualTo(json ? JSON : PLAIN);
      }
    }
  }

  @Test
  void everySplitIntoThreeChunks() {
    PlaceholderVault v = vault();
    for (int i = 0; i <= TEXT.length(); i++) {
      for (int j = i; j <= TEXT.length(); j++) {
        StreamingRehydrator s = StreamingRehydrator.text(v);
        String out =
            s.push(TEXT.substring(0, i))
                + s.push(TEXT.substring(i, j))
                + s.push(TEXT.substring(j))
                + s.flush();
        assertThat(out).as("split at %d, %d", i, j).isEqualTo(PLAIN);
      }
    }
  }

  @Test
  void characterByCharacter() {
    StreamingRehydrator s = StreamingRehydrator.jsonString(vault());
    StringBuilder out = new StringBuilder();
    for (char c : TEXT.toCharArray()) {
      out.append(s.push(String.valueOf(c)));
    }
    out.append(s.flush());
    assertThat(out.toString()).isEqualTo(JSON);
  }

  @Test
  void holdsBackOnlyAPossiblePlaceholderPrefixAndBoundsIt() {
    StreamingRehydrator s = StreamingRehydrator.text(vault());
    assertThat(s.push("Hello <EMA")).isEqualTo("Hello ");
    assertThat(s.pendingLength()).isEqualTo(4);
    assertThat(s.push("IL_1> and 3 < 4")).isEqualTo("jane@example.com and 3 < 4");
    assertThat(s.push("<lowercase")).isEqualTo("<lowercase");
    String longRun = "<" + "A".repeat(100);
    assertThat(s.push(longRun)).isEqualTo(longRun);
    assertThat(s.pendingLength()).isZero();
    assertThat(s.push("<ABC")).isEmpty();
    assertThat(s.flush()).isEqualTo("<ABC");
  }
}
