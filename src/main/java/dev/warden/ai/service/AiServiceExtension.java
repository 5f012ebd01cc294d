package dev.warden.ai.service;

import dev.warden.prompt.PromptCatalog;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.context.spi.CreationalContext;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Default;
import jakarta.enterprise.inject.spi.AfterBeanDiscovery;
import jakarta.enterprise.inject.spi.AfterDeploymentValidation;
import jakarta.enterprise.inject.spi.Annotated;
import jakarta.enterprise.inject.spi.AnnotatedMethod;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.DeploymentException;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.enterprise.inject.spi.InterceptionFactory;
import jakarta.enterprise.inject.spi.ProcessAnnotatedType;
import jakarta.enterprise.inject.spi.ProcessInjectionPoint;
import jakarta.enterprise.inject.spi.ProcessManagedBean;
import jakarta.enterprise.inject.spi.WithAnnotations;
import jakarta.enterprise.inject.spi.configurator.AnnotatedMethodConfigurator;
import java.lang.annotation.Annotation;
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

/**
 * Implements every {@link AiService} interface the application uses: a portable CDI extension that
 * finds them (annotated types in the bean archive, and the type of every injection point, so that
 * {@code bean-discovery-mode="annotated"} archives work) and adds for each a synthetic {@code
 * Dependent} bean.
 *
 * <p>The bean's instance is a {@link Proxy} delegating to {@link AiServiceInvoker}, wrapped by
 * CDI's {@link InterceptionFactory} with the interceptors of its methods' bindings: the runtime's
 * own MicroProfile Fault Tolerance interceptor on every method that carries a Fault Tolerance
 * annotation, so {@code @Retry}, {@code @Timeout}, {@code @CircuitBreaker}, {@code @Bulkhead},
 * {@code @Fallback} and {@code @Asynchronous} behave as that specification says (including its
 * configuration overrides, {@code <interface>/<method>/Retry/maxRetries}); and {@link
 * CallerCapture}/{@link CallerRestore} around it. The Fault Tolerance interceptor's binding is not
 * an API: the extension learns it from {@link FaultToleranceProbe}, the bean the runtime's Fault
 * Tolerance extension marked.
 *
 * <p>At start-up it checks the Liberty features the library needs, the published prompts ({@link
 * PromptCatalog}: a template changed without a new version stops the deployment) and every method's
 * declaration ({@link AiMethod}); any problem is a deployment error that names it.
 */
public class AiServiceExtension implements Extension {

  private final Set<Class<?>> services = ConcurrentHashMap.newKeySet();
  private final Map<Method, AiMethod> methods = new ConcurrentHashMap<>();
  private volatile PromptCatalog catalog;
  private volatile Annotation faultTolerance;

  <T> void annotated(@Observes @WithAnnotations(AiService.class) ProcessAnnotatedType<T> event) {
    Class<T> type = event.getAnnotatedType().getJavaClass();
    if (type.isInterface() && type.isAnnotationPresent(AiService.class)) {
      services.add(type);
    }
  }

  void injected(@Observes ProcessInjectionPoint<?, ?> event) {
    Type type = event.getInjectionPoint().getType();
    if (type instanceof Class<?> c && c.isInterface() && c.isAnnotationPresent(AiService.class)) {
      services.add(c);
    }
  }

  /** The binding the runtime's Fault Tolerance extension gave the probe. */
  void probe(@Observes ProcessManagedBean<FaultToleranceProbe> event, BeanManager beans) {
    List<Annotated> annotated = new ArrayList<>();
    annotated.add(event.getAnnotatedBeanClass());
    annotated.addAll(event.getAnnotatedBeanClass().getMethods());
    for (Annotated a : annotated) {
      for (Annotation annotation : a.getAnnotations()) {
        Class<? extends Annotation> type = annotation.annotationType();
        // the API's own annotations are bindings too, but no interceptor is bound to them
        if (beans.isInterceptorBinding(type)
            && !type.getName().startsWith("org.eclipse.microprofile.faulttolerance.")) {
          faultTolerance = annotation;
        }
      }
    }
  }

  void addBeans(@Observes AfterBeanDiscovery event, BeanManager beans) {
    List<String> missing = RequiredFeatures.missing(loader());
    if (missing.isEmpty() && faultTolerance == null) {
      // the API is there, but the runtime's extension did not mark the probe
      missing.add("mpFaultTolerance-4.1");
    }
    if (!missing.isEmpty()) {
      event.addDefinitionError(
          new DeploymentException(
              "Warden needs these Liberty features, which the server does not enable: "
                  + String.join(", ", missing)
                  + ". Add them to <featureManager> in server.xml."));
      return;
    }
    for (Class<?> service : services) {
      addBean(event, beans, service);
    }
  }

  private <T> void addBean(AfterBeanDiscovery event, BeanManager beans, Class<T> service) {
    event
        .<T>addBean()
        .beanClass(service)
        .types(service, Object.class)
        .qualifiers(Default.Literal.INSTANCE, Any.Literal.INSTANCE)
        .scope(Dependent.class)
        .createWith(context -> create(beans, service, context));
  }

  private <T> T create(BeanManager beans, Class<T> service, CreationalContext<T> context) {
    AiServiceInvoker invoker = beans.createInstance().select(AiServiceInvoker.class).get();
    T target =
        service.cast(
            Proxy.newProxyInstance(
                service.getClassLoader(),
                new Class<?>[] {service},
                (proxy, method, args) -> invoker.invoke(proxy, service, method, args)));
    InterceptionFactory<T> factory = beans.createInterceptionFactory(context, service);
    for (AnnotatedMethodConfigurator<? super T> m : factory.configure().methods()) {
      AnnotatedMethod<? super T> annotated = m.getAnnotated();
      Method method = annotated.getJavaMember();
      if (!method.isAnnotationPresent(Prompt.class)) {
        continue;
      }
      m.add(AiServiceCall.Literal.INSTANCE);
      if (faultTolerance != null && FaultToleranceAnnotations.declaredOn(method)) {
        m.add(faultTolerance);
      }
    }
    return factory.createInterceptedInstance(target);
  }

  void validate(@Observes AfterDeploymentValidation event, BeanManager beans) {
    PromptCatalog prompts = PromptCatalog.fromClasspath(loader());
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
          methods.put(method, AiMethod.of(service, method, prompts));
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

  private ClassLoader loader() {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    return loader != null ? loader : getClass().getClassLoader();
  }

  /** The published prompts, read at start-up. */
  public PromptCatalog prompts() {
    return catalog;
  }

  Optional<AiMethod> method(Method method) {
    return Optional.ofNullable(methods.get(method));
  }
}
