package dev.warden.gateway.identity;

import dev.warden.gateway.console.ConsoleSessionEntity;
import dev.warden.gateway.idempotency.IdempotentRequestEntity;
import org.hibernate.boot.ResourceStreamLocator;
import org.hibernate.boot.spi.AdditionalMappingContributions;
import org.hibernate.boot.spi.AdditionalMappingContributor;
import org.hibernate.boot.spi.InFlightMetadataCollector;
import org.hibernate.boot.spi.MetadataBuildingContext;

/**
 * Adds the gateway's own entities ({@link ApiKeyEntity}, {@link IdempotentRequestEntity}, {@link
 * ConsoleSessionEntity}) to the library's persistence unit {@code warden}, whose root is the
 * library jar: Hibernate finds this contributor in the gateway WAR's {@code META-INF/services}, so
 * an application that adds only the library never maps API keys.
 */
public final class GatewayEntities implements AdditionalMappingContributor {

  @Override
  public String getContributorName() {
    return "warden-gateway";
  }

  @Override
  public void contribute(
      AdditionalMappingContributions contributions,
      InFlightMetadataCollector metadata,
      ResourceStreamLocator resources,
      MetadataBuildingContext context) {
    contributions.contributeEntity(ApiKeyEntity.class);
    contributions.contributeEntity(IdempotentRequestEntity.class);
    contributions.contributeEntity(ConsoleSessionEntity.class);
  }
}
