package dev.warden;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * Warden talks HTTP through two stacks only: the MicroProfile REST Client for every JSON call (the
 * upstream's {@code OpenAiApi}, the budget webhook) and Apache HttpClient 5 for upstream streams,
 * which must be abortable mid-body (see {@code dev.warden.openai.OpenAiTransport}).
 */
@AnalyzeClasses(packages = "dev.warden", importOptions = ImportOption.DoNotIncludeTests.class)
class HttpStacksTest {

  @ArchTest
  static final ArchRule noClassUsesTheJdkHttpClient =
      noClasses()
          .should()
          .dependOnClassesThat()
          .resideInAPackage("java.net.http..")
          .because(
              "JSON calls go through the MicroProfile REST Client, streams through HttpClient 5");

  @ArchTest
  static final ArchRule onlyTheOpenAiClientUsesApacheHttpClient =
      noClasses()
          .that()
          .resideOutsideOfPackage("dev.warden.openai..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("org.apache.hc..")
          .because("HttpClient 5 carries the upstream's streams only");
}
