package dev.warden.audit.log;

import dev.warden.config.ConfigProducer;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.AfterBeanDiscovery;
import jakarta.enterprise.inject.spi.DeploymentException;
import jakarta.enterprise.inject.spi.Extension;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;

/**
 * Stops an application's start, with one message that names what is missing, when the audit log
 * could not work: no data source at {@value #DATA_SOURCE}, no audit keysets or keysets refused
 * outside development mode ({@link AuditKeys#problem}), or keysets that cannot be unwrapped (a
 * wrong HSM PIN, a missing key: {@link AuditKeys#loadProblem}). Without it the first call would
 * fail instead.
 */
public class AuditRequirements implements Extension {

  /** The JNDI name of Warden's data source (persistence unit {@code warden}, migrations). */
  public static final String DATA_SOURCE = "jdbc/warden";

  void check(@Observes AfterBeanDiscovery event) {
    List<String> problems = new ArrayList<>();
    try {
      if (!(new InitialContext().lookup(DATA_SOURCE) instanceof DataSource)) {
        problems.add(DATA_SOURCE + " is not a data source");
      }
    } catch (NamingException e) {
      problems.add(
          "Warden needs a data source with the JNDI name "
              + DATA_SOURCE
              + ": add <dataSource jndiName=\""
              + DATA_SOURCE
              + "\"> to server.xml");
    }
    Optional<String> keys = AuditKeys.problem(ConfigProducer.settings());
    if (keys.isEmpty()) {
      keys = AuditKeys.loadProblem(ConfigProducer.settings());
    }
    keys.ifPresent(problems::add);
    if (!problems.isEmpty()) {
      event.addDefinitionError(new DeploymentException(String.join("; ", problems)));
    }
  }
}
