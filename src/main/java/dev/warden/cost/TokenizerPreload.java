package dev.warden.cost;

import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Loads the tokenizer in the background once the application has started ({@link
 * TokenCounter#preload}), so that the first admitted call does not spend about a second on it. The
 * application is ready without waiting for it; a call that comes first loads it itself (or waits
 * for the load under way).
 */
@ApplicationScoped
public class TokenizerPreload {

  private static final Logger LOG = Logger.getLogger(TokenizerPreload.class.getName());

  @Inject TokenCounter counter;

  @Resource(lookup = "java:comp/DefaultManagedExecutorService")
  ManagedExecutorService executor;

  void onStart(@Observes @Initialized(ApplicationScoped.class) Object event) {
    executor.execute(this::preload);
  }

  void preload() {
    long start = System.nanoTime();
    try {
      counter.preload();
      LOG.log(
          Level.FINE,
          "WARDEN0637I: the tokenizer was loaded in {0} ms",
          (System.nanoTime() - start) / 1_000_000);
    } catch (RuntimeException e) {
      // the first call loads it, or fails, itself
      LOG.log(Level.WARNING, "WARDEN0638W: the tokenizer could not be loaded in advance: {0}", e);
    }
  }
}
