package dev.warden.pii;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Deletes expired placeholder vaults every hour (Jakarta Concurrency), so values do not stay
 * stored, even encrypted, past {@value ConversationVaults#TTL}. Expired vaults are never used
 * before that either: {@link ConversationVaults} ignores them.
 */
@ApplicationScoped
public class VaultPurge {
  private static final Logger LOG = Logger.getLogger(VaultPurge.class.getName());

  @Resource(lookup = "java:comp/DefaultManagedScheduledExecutorService")
  ManagedScheduledExecutorService scheduler;

  @Inject ConversationVaults vaults;

  private ScheduledFuture<?> task;

  void onStart(@Observes @Initialized(ApplicationScoped.class) Object event) {
    task = scheduler.scheduleWithFixedDelay(this::purge, 1, 60, TimeUnit.MINUTES);
  }

  void purge() {
    try {
      int purged = vaults.purgeExpired();
      if (purged > 0) {
        LOG.log(Level.INFO, "WARDEN0410I: deleted {0} expired placeholder vaults", purged);
      }
    } catch (RuntimeException e) {
      LOG.log(
          Level.WARNING,
          "WARDEN0411W: purging expired placeholder vaults failed: {0}",
          e.getClass().getName());
    }
  }

  @PreDestroy
  void stop() {
    if (task != null) {
      task.cancel(false);
    }
  }
}
