package dev.warden;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * Warden binds and reads JSON with JSON-B and JSON-P only (the platform's, Yasson on Liberty).
 * Jackson is on the class path solely as the JSON tree of the networknt JSON Schema validator,
 * which only the output validation of {@code dev.warden.guard} calls (see docs/libraries.md).
 */
@AnalyzeClasses(packages = "dev.warden", importOptions = ImportOption.DoNotIncludeTests.class)
class JsonStacksTest {

  @ArchTest
  static final ArchRule noClassUsesJackson =
      noClasses()
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("com.fasterxml.jackson..", "tools.jackson..")
          .because("Warden's JSON is JSON-B / JSON-P; Jackson is the schema validator's own");

  @ArchTest
  static final ArchRule onlyOutputValidationUsesTheSchemaValidator =
      noClasses()
          .that()
          .resideOutsideOfPackage("dev.warden.guard..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("com.networknt..")
          .because("the Jackson-based schema validator stays behind dev.warden.guard.SchemaCheck");

  @ArchTest
  static final ArchRule jsonPGoesThroughOneProvider =
      noClasses()
          .that()
          .doNotHaveFullyQualifiedName("dev.warden.config.Jsonp")
          .should()
          .dependOnClassesThat()
          .haveFullyQualifiedName("jakarta.json.Json")
          .because(
              "each static factory of jakarta.json.Json looks its provider up again (a"
                  + " ServiceLoader walk); dev.warden.config.Jsonp holds one provider");
}
