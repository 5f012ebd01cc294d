package dev.warden.gateway.health;

import jakarta.enterprise.context.ApplicationScoped;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * Liveness: the application answers and its heap is not exhausted: when the heap pools are still
 * above 98% of their maximum right after garbage collection, a restart is the way out. Dependencies
 * are readiness, never liveness: a database outage must not restart Warden.
 */
@Liveness
@ApplicationScoped
public class ProcessHealth implements HealthCheck {

  static final double MAX_HEAP_SHARE = 0.98;

  @Override
  public HealthCheckResponse call() {
    long used = 0;
    long max = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      MemoryUsage afterGc = pool.getType() == MemoryType.HEAP ? pool.getCollectionUsage() : null;
      if (afterGc != null && pool.getUsage().getMax() > 0) {
        used += afterGc.getUsed();
        max += pool.getUsage().getMax();
      }
    }
    double share = max > 0 ? (double) used / max : 0;
    return new HealthCheckResponse(
        "warden",
        DatabaseHealth.status(share < MAX_HEAP_SHARE),
        Optional.of(Map.of("heap-used-after-gc-percent", Math.round(share * 100))));
  }
}
