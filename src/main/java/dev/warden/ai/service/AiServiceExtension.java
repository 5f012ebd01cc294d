package dev.warden.ai.service;

import dev.warden.prompt.PromptCatalog;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Default;
import jakarta.enterprise.inject.spi.AfterBeanDiscovery;
import jakarta.enterprise.inject.spi.AfterDeploymentValidation;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.DeploymentException;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.enterprise.inject.spi.ProcessAnnotatedType;
import jakarta.enterprise.inject.spi.ProcessInjectionPoint;
import jakarta.enterprise.inject.spi.WithAnnotations;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Implements every {@link AiService} interface the application uses: a portable CDI extension that
 * finds them (annotated types in the bean archive, and the type of every injection point, so that
 * {@code bean-discovery-mode="annotated"} archives work) and adds for each a synthetic {@code
 * Dependent} bean whose instance is a {@link Proxy} delegating to {@link AiServiceInvoker}.
 *
 * <p>At start-up it checks the published prompts ({@link PromptCatalog}: a template changed without
 * a new version stops the deployment) and every method's declaration ({@link AiMethod}); any
 * problem is a deployment error naming the method.
 */
public class AiServiceExtension implements Extension {

  private final Set<Class<?>> services = ConcurrentHashMap.newKeySet();
  private final Map<Method, AiMethod> methods = new ConcurrentHashMap<>();
  private volatile PromptCatalog catalog;

  <T> void annotated(@Observes @WithAnnotations(AiService.class) ProcessAnnotatedType<T> event) {
    Class<T> type = event.getAnnotatedType().getJavaClass();
    if (type.isInterface() && type.isAnnotationPresent(AiService.class)) {
      services.add(type);
    }
  }

  void injected(@Observes ProcessInjectionPoint<?, ?> event) {
    Type type = event.getInjectionPoint().getType();
    if (type instanceof Class
        && ((Class<?>) type).isInterface()
        && ((Class<?>) type).isAnnotationPresent(AiService.class)) {
      services.add((Class<?>) type);
    }
  }

  void addBeans(@Observes AfterBeanDiscovery event) {
    for (Class<?> service : services) {
      addBean(event, service);
    }
  }

  private static <T> void addBean(AfterBeanDiscovery event, Class<T> service) {
    event
        .<T>addBean()
        .beanClass(service)
        .types(service, Object.class)
        .qualifiers(Default.Literal.INSTANCE, Any.Literal.INSTANCE)
        .scope(Dependent.class)
        .produceWith(
            instances -> {
              AiServiceInvoker invoker = instances.select(AiServiceInvoker.class).get();
              return service.cast(
                  Proxy.newProxyInstance(
                      service.getClassLoader(),
                      new Class<?>[] {service},
                      (proxy, method, args) -> invoker.invoke(proxy, service, method, args)));
            });
  }

  void validate(@Observes AfterDeploymentValidation event, BeanManager beans) {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    PromptCatalog prompts =
        PromptCatalog.fromClasspath(loader != null ? loader : getClass().getClassLoader());
    List<String> problems = new ArrayList<>(prompts.problems());
    for (Class<?> service : services) {
      for (Class<?> tool : service.getAnnotation(AiService.class).tools()) {
        if (beans.getBeans(tool).isEmpty()) {
          problems.add(service.getName() + ": tool class " + tool.getName() + " is not a CDI bean");
        }
      }
      for (Method method : service.getMethods()) {
        if (method.isDefault() && !method.isAnnotationPresent(Prompt.class)
            || Modifier.isStatic(method.getModifiers())) {
          continue;
        }
        try {
          methods.put(
              method,
              AiMethod.of(
                  service,
                  method,
                  prompts,
                  key -> ConfigProvider.getConfig().getOptionalValue(key, String.class)));
        } catch (IllegalArgumentException e) {
          problems.add(e.getMessage());
        }
      }
    }
    if (!problems.isEmpty()) {
      event.addDeploymentProblem(
          new DeploymentException("Warden AI services: " + String.join("; ", problems)));
    }
    catalog = prompts;
  }

  /** The published prompts, read at start-up. */
  public PromptCatalog prompts() {
    return catalog;
  }

  Optional<AiMethod> method(Method method) {
    return Optional.ofNullable(methods.get(method));
  }
}
