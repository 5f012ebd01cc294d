package dev.warden.telemetry;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.BeforeBeanDiscovery;
import jakarta.enterprise.inject.spi.Extension;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Turns Warden's telemetry on where the application can use it: {@link CallTracing} when it sees
 * the OpenTelemetry API (Liberty's {@code mpTelemetry-2.0}, a third-party API the application's
 * class loader must be given), {@link CallMetrics} when it sees MicroProfile Metrics ({@code
 * mpMetrics-5.1}). Neither class is a bean otherwise, so an application without these features
 * still starts, untraced and unmetered.
 */
public class TelemetryExtension implements Extension {
  private static final Logger LOG = Logger.getLogger(TelemetryExtension.class.getName());

  void register(@Observes BeforeBeanDiscovery event) {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    if (loader == null) {
      loader = TelemetryExtension.class.getClassLoader();
    }
    add(event, loader, "io.opentelemetry.api.trace.Tracer", "dev.warden.telemetry.CallTracing");
    add(
        event,
        loader,
        "org.eclipse.microprofile.metrics.MetricRegistry",
        "dev.warden.telemetry.CallMetrics");
  }

  private static void add(BeforeBeanDiscovery event, ClassLoader loader, String api, String bean) {
    try {
      Class.forName(api, false, loader);
    } catch (ClassNotFoundException | LinkageError e) {
      LOG.log(Level.FINE, "WARDEN0901I: {0} is off: {1} is not visible", new Object[] {bean, api});
      return;
    }
    try {
      Class<?> type = Class.forName(bean, false, TelemetryExtension.class.getClassLoader());
      event.addAnnotatedType(type, bean).add(ApplicationScoped.Literal.INSTANCE);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(bean + " is missing from the library", e);
    }
  }
}
