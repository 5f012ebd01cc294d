package dev.warden.audit.log;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Which records a purge deletes, as runs of consecutive sequence numbers: a record goes if it is
 * expired under the {@link RetentionPolicy} and neither its tenant nor its data subject is under an
 * active legal hold. Pure; the purge job feeds it one page of candidates at a time.
 */
final class PurgePlan {
  private PurgePlan() {}

  /** A record the purge may delete: only the columns the decision and the range need. */
  record Candidate(
      long sequence, String tenant, String dataSubject, Instant createdAt, byte[] hash) {}

  /** The active holds: held tenants and held subjects' pseudonyms. */
  record Holds(Set<String> tenants, Set<String> subjects) {
    static final Holds NONE = new Holds(Set.of(), Set.of());

    boolean covers(Candidate c) {
      return tenants.contains(c.tenant())
          || (c.dataSubject() != null && subjects.contains(c.dataSubject()));
    }
  }

  /** Consecutive records to delete; {@code lastHash} is the hash of record {@code to}. */
  record Run(long from, long to, byte[] lastHash) {
    long count() {
      return to - from + 1;
    }
  }

  /**
   * The runs to delete among {@code candidates} (ascending sequence order, as a page of {@code
   * ORDER BY seq} returns them). Only consecutive sequence numbers form a run, so a record that is
   * not a candidate, or a gap an earlier purge left, always splits runs.
   */
  static List<Run> runs(
      List<Candidate> candidates, RetentionPolicy policy, Holds holds, Instant now) {
    List<Run> runs = new ArrayList<>();
    long from = -1;
    long to = -1;
    byte[] last = null;
    for (Candidate c : candidates) {
      boolean delete = policy.expired(c.tenant(), c.createdAt(), now) && !holds.covers(c);
      if (delete && last != null && c.sequence() == to + 1) {
        to = c.sequence();
        last = c.hash();
        continue;
      }
      if (last != null) {
        runs.add(new Run(from, to, last));
        last = null;
      }
      if (delete) {
        from = c.sequence();
        to = c.sequence();
        last = c.hash();
      }
    }
    if (last != null) {
      runs.add(new Run(from, to, last));
    }
    return runs;
  }
}
