package dev.warden.pii;

import dev.warden.config.ScheduledPurge;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;

/**
 * Deletes expired placeholder vaults every hour, so values do not stay stored, even encrypted, past
 * {@value ConversationVaults#TTL}. Expired vaults are never used before that either: {@link
 * ConversationVaults} ignores them.
 */
@ApplicationScoped
public class VaultPurge extends ScheduledPurge {

  @Inject ConversationVaults vaults;

  @Override
  protected Duration interval() {
    return Duration.ofHours(1);
  }

  @Override
  protected Duration firstDelay() {
    return Duration.ofMinutes(1);
  }

  @Override
  protected int deleteExpired() {
    return vaults.purgeExpired();
  }

  @Override
  protected String purgedMessage() {
    return "WARDEN0410I: deleted {0} expired placeholder vaults";
  }

  @Override
  protected String failedMessage() {
    return "WARDEN0411W: purging expired placeholder vaults failed: {0}";
  }
}
