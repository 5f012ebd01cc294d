package dev.warden.bench;

import dev.warden.pii.PiiEngine;
import dev.warden.pii.PiiPolicy;
import dev.warden.pii.PlaceholderVault;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

/**
 * PII redaction benchmark (a {@code main}, not a test; run {@code
 * src/test/bench/pii-redaction.sh}). Prints the single-thread throughput in MB/s over a
 * deterministic, multi-MB mixed corpus (mostly English prose, a sensitive value every ~600
 * characters), and p50/p99 latency for ~500-character prompts, after warm-up. Values in the corpus
 * are synthetic test data.
 */
public final class PiiBench {

  private static final String[] WORDS =
      ("the of and to in is that for it as was with be by on not he this are or his from at "
              + "which but have an they you were her she there been one all we their has would "
              + "when if so no will can more about out up them some could what into than then "
              + "other time only new these two may first any like now my such make over did "
              + "customer order account please thanks meeting report project update review team "
              + "deadline version release budget invoice shipment quarter revenue schedule call "
              + "2024 3 15 100 10:30 v2.1.0 $19.99 Q3 #42 e.g. i.e. (see above) - ; : , . ! ?")
          .split(" ");

  private static final String[] PII = {
    "jane.doe@example.com", "(415) 555-2671", "+44 20 7946 0958", "4111 1111 1111 1111",
    "DE89 3704 0044 0532 0130 00", "123-45-6789", "192.168.1.20", "2001:db8::ff00:42:8329",
    "born on 1985-03-12", "bob.smith+news@mail.co.uk", "415-555-0132", "5555555555554444"
  };

  private PiiBench() {}

  static String corpus(long seed, int chars) {
    Random r = new Random(seed);
    StringBuilder sb = new StringBuilder(chars + 200);
    int sinceValue = 0;
    while (sb.length() < chars) {
      if (sinceValue > 400 && r.nextInt(40) == 0) {
        sb.append(PII[r.nextInt(PII.length)]).append(' ');
        sinceValue = 0;
        continue;
      }
      String w = WORDS[r.nextInt(WORDS.length)];
      sb.append(w);
      sinceValue += w.length() + 1;
      sb.append(r.nextInt(12) == 0 ? ".\n" : " ");
    }
    return sb.toString();
  }

  public static void main(String[] args) {
    PiiEngine engine = new PiiEngine(PiiPolicy.defaults());
    String big = corpus(42, 8 * 1024 * 1024);
    double mb = big.getBytes(StandardCharsets.UTF_8).length / 1e6;
    int values =
        engine.redact(big, null, new PlaceholderVault()).counts().values().stream()
            .mapToInt(Integer::intValue)
            .sum();
    for (int i = 0; i < 5; i++) {
      engine.redact(big, null, new PlaceholderVault());
    }
    int rounds = 10;
    long t0 = System.nanoTime();
    for (int i = 0; i < rounds; i++) {
      engine.redact(big, null, new PlaceholderVault());
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    System.out.printf(
        "throughput: %.1f MB/s single thread (%.1f MB corpus, %d values redacted per pass,"
            + " %d passes)%n",
        rounds * mb / seconds, mb, values, rounds);

    String[] prompts = new String[1000];
    for (int i = 0; i < prompts.length; i++) {
      prompts[i] = corpus(1000 + i, 500);
    }
    for (int i = 0; i < 20_000; i++) {
      engine.redact(prompts[i % prompts.length], null, new PlaceholderVault());
    }
    int samples = 20_000;
    long[] nanos = new long[samples];
    for (int i = 0; i < samples; i++) {
      String p = prompts[i % prompts.length];
      long s = System.nanoTime();
      engine.redact(p, null, new PlaceholderVault());
      nanos[i] = System.nanoTime() - s;
    }
    Arrays.sort(nanos);
    System.out.printf(
        "short prompts (~500 chars): p50 %.1f us, p99 %.1f us, max %.1f us (%d samples)%n",
        nanos[samples / 2] / 1e3,
        nanos[samples * 99 / 100] / 1e3,
        nanos[samples - 1] / 1e3,
        samples);
  }
}
