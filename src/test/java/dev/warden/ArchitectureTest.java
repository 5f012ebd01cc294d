package dev.warden;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * Warden's packages form a directed acyclic graph, in layers: each package imports only packages
 * below it. From the bottom:
 *
 * <ol>
 *   <li>{@code config}: settings read from MicroProfile Config;
 *   <li>{@code crypto} (keysets, field encryption, pseudonyms), {@code cluster} (what servers on
 *       one database agree on: cache invalidations, the database's kind) and {@code openai} (the
 *       typed OpenAI client: model, errors, streams, transport, upstream credential);
 *   <li>{@code call}: the vocabulary of one call (context, caller, outcome, verdicts, prompt
 *       reference, budget hold, scopes) that every package above speaks;
 *   <li>{@code pii}, {@code guard}, {@code prompt}: what protects and shapes a request;
 *   <li>{@code audit}, {@code cost}, {@code identity}: what a call leaves behind and is charged to;
 *   <li>{@code telemetry}: meters and traces of calls;
 *   <li>{@code ai}: the pipeline and everything built on it ({@code OpenAi}, resilience, deferred
 *       calls, typed AI services, conversations, jobs, routing);
 *   <li>{@code gateway}: the WAR's {@code /v1} and {@code /api} (not in the library jar).
 * </ol>
 *
 * A package may use packages of its own layer, but never in a cycle.
 */
@AnalyzeClasses(packages = "dev.warden", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  @ArchTest
  static final ArchRule packagesFormNoCycle =
      slices().matching("dev.warden.(*)..").should().beFreeOfCycles();

  @ArchTest
  static final ArchRule everyPackageImportsOnlyLayersBelowIt =
      layeredArchitecture()
          .consideringOnlyDependenciesInLayers()
          .layer("Config")
          .definedBy("dev.warden.config..")
          .layer("Crypto")
          .definedBy("dev.warden.crypto..")
          .layer("Cluster")
          .definedBy("dev.warden.cluster..")
          .layer("OpenAi")
          .definedBy("dev.warden.openai..")
          .layer("Call")
          .definedBy("dev.warden.call..")
          .layer("Protection")
          .definedBy("dev.warden.pii..", "dev.warden.guard..", "dev.warden.prompt..")
          .layer("Records")
          .definedBy("dev.warden.audit..", "dev.warden.cost..", "dev.warden.identity..")
          .layer("Telemetry")
          .definedBy("dev.warden.telemetry..")
          .layer("Ai")
          .definedBy("dev.warden.ai..")
          .layer("Gateway")
          .definedBy("dev.warden.gateway..")
          .whereLayer("Gateway")
          .mayNotBeAccessedByAnyLayer()
          .whereLayer("Ai")
          .mayOnlyBeAccessedByLayers("Gateway")
          .whereLayer("Telemetry")
          .mayOnlyBeAccessedByLayers("Ai", "Gateway")
          .whereLayer("Records")
          .mayOnlyBeAccessedByLayers("Telemetry", "Ai", "Gateway")
          .whereLayer("Protection")
          .mayOnlyBeAccessedByLayers("Records", "Telemetry", "Ai", "Gateway")
          .whereLayer("Call")
          .mayOnlyBeAccessedByLayers("Protection", "Records", "Telemetry", "Ai", "Gateway")
          .whereLayer("OpenAi")
          .mayOnlyBeAccessedByLayers("Call", "Protection", "Records", "Telemetry", "Ai", "Gateway")
          .whereLayer("Crypto")
          .mayOnlyBeAccessedByLayers("Protection", "Records", "Telemetry", "Ai", "Gateway")
          .whereLayer("Cluster")
          .mayOnlyBeAccessedByLayers("Records", "Telemetry", "Ai", "Gateway");
}
