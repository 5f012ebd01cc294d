package dev.warden.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * An application that adds Warden but not what Warden needs does not start, and says so once, in
 * words: here the helpdesk without its {@code jdbc/warden} data source and without audit keysets.
 */
class HostAppStartupIT {

  @Test
  void aMissingDataSourceAndMissingKeysetsStopTheStartWithOneMessageNamingBoth() throws Exception {
    try (LibertyServer server =
        HostAppIT.helpdesk(
            "helpdeskStartupIT", Integer.getInteger("it.host.http.port", 9280) + 1, false, false)) {
      server.startServer();

      String failed =
          server
              .awaitMessage("CWWKZ0002E", Duration.ofSeconds(120))
              .orElseThrow(() -> new AssertionError(LibertyServer.tail(server.messagesLog())));

      assertTrue(failed.contains("helpdesk"), failed);
      assertTrue(
          failed.contains("Warden needs a data source with the JNDI name jdbc/warden"), failed);
      assertTrue(failed.contains("warden.audit.keyset-file"), failed);
      assertTrue(failed.contains("warden.audit.dev-keyset-dir"), failed);
      HttpResponse<String> status = new WardenHttp(server.base()).get("helpdesk/api/status", null);
      assertEquals(404, status.statusCode(), "the helpdesk is not serving");
    }
  }
}
