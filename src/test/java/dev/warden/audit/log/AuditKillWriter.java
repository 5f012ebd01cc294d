package dev.warden.audit.log;

import dev.warden.audit.chain.ChainRecord;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The process {@link AuditKillIT} kills: appends audit records from several threads through the
 * real persistence stack and prints {@code committed <sequence>} as soon as each append has
 * returned (the moment Warden would answer its caller), until it is killed.
 *
 * <p>Arguments: JDBC URL, user, password, the MAC keyset file, writer threads.
 */
public final class AuditKillWriter {
  private AuditKillWriter() {}

  public static void main(String[] args) throws Exception {
    SeAuditStack.Db db = new SeAuditStack.Db(args[0], args[1], args[2]);
    SeAuditStack.Keys keys =
        new SeAuditStack.Keys(Files.readString(Path.of(args[3]), StandardCharsets.UTF_8));
    int writers = Integer.parseInt(args[4]);
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    SeAuditStack stack = new SeAuditStack(db, writers, keys);
    List<Thread> threads = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      String subject = "subject-" + w;
      Thread t =
          new Thread(
              () -> {
                for (int i = 0; ; i++) {
                  ChainRecord r =
                      stack.appendCall(subject, "{\"q\":" + i + "}", "{\"a\":" + i + "}");
                  synchronized (out) {
                    out.println("committed " + r.sequence());
                  }
                }
              });
      t.start();
      threads.add(t);
    }
    for (Thread t : threads) {
      t.join();
    }
  }
}
