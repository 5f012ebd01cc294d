package dev.warden;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noMethods;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import jakarta.servlet.Filter;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.annotation.WebServlet;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.WriterInterceptor;

/**
 * The library (everything outside {@code dev.warden.gateway}, packaged as the library jar) stands
 * on its own and leaves an application's own endpoints alone: it never uses the gateway, and
 * carries nothing that JAX-RS or the servlet container would apply to the application's requests.
 */
@AnalyzeClasses(packages = "dev.warden", importOptions = ImportOption.DoNotIncludeTests.class)
class LibraryBoundaryTest {

  static final String GATEWAY = "dev.warden.gateway..";

  @ArchTest
  static final ArchRule theLibraryNeverUsesTheGateway =
      noClasses()
          .that()
          .resideOutsideOfPackage(GATEWAY)
          .should()
          .dependOnClassesThat()
          .resideInAPackage(GATEWAY);

  @ArchTest
  static final ArchRule theLibraryHasNoJaxRsApplicationProviderOrServletFilter =
      noClasses()
          .that()
          .resideOutsideOfPackage(GATEWAY)
          .should()
          .beAnnotatedWith(ApplicationPath.class)
          .orShould()
          .beAnnotatedWith(Provider.class)
          .orShould()
          .beAnnotatedWith(WebFilter.class)
          .orShould()
          .beAnnotatedWith(WebServlet.class)
          .orShould()
          .implement(ContainerRequestFilter.class)
          .orShould()
          .implement(ContainerResponseFilter.class)
          .orShould()
          .implement(ExceptionMapper.class)
          .orShould()
          .implement(ReaderInterceptor.class)
          .orShould()
          .implement(WriterInterceptor.class)
          .orShould()
          .implement(Filter.class);

  /** The library's only {@code @Path} types are REST client interfaces (the upstream API). */
  @ArchTest
  static final ArchRule theLibraryHasNoResources =
      noClasses()
          .that()
          .resideOutsideOfPackage(GATEWAY)
          .and()
          .areNotInterfaces()
          .should()
          .beAnnotatedWith(Path.class);

  @ArchTest
  static final ArchRule theLibraryHasNoResourceMethods =
      noMethods()
          .that()
          .areDeclaredInClassesThat()
          .resideOutsideOfPackage(GATEWAY)
          .and()
          .areDeclaredInClassesThat()
          .areNotInterfaces()
          .should()
          .beAnnotatedWith(Path.class);
}
