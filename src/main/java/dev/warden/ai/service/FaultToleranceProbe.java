package dev.warden.ai.service;

import jakarta.enterprise.context.Dependent;
import org.eclipse.microprofile.faulttolerance.Retry;

/**
 * A bean whose only purpose is to be seen by the runtime's MicroProfile Fault Tolerance extension
 * at start-up: the interceptor binding that extension adds to it is the one {@link
 * AiServiceExtension} adds to the methods of AI services, so that the runtime's own Fault Tolerance
 * interceptor applies their annotations. It is never called.
 */
@Dependent
class FaultToleranceProbe {

  @Retry(maxRetries = 0)
  void probe() {
    // never called
  }
}
