package dev.warden.cluster;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;
import java.util.function.Supplier;

/**
 * Runs work outside the caller's JTA transaction (suspended meanwhile): for a library that commits
 * its own JDBC connection (Bucket4j's store), which a connection enlisted in a global transaction
 * does not allow. An application may call Warden inside its own transaction.
 */
@ApplicationScoped
public class OutsideTransactions {

  @Transactional(TxType.NOT_SUPPORTED)
  public <T> T get(Supplier<T> work) {
    return work.get();
  }
}
