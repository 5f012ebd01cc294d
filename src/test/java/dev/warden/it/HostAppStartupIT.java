package dev.warden.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warden.crypto.SoftHsm;
import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An application that adds Warden but not what Warden needs does not start, and says so once, in
 * words; and one that has what production needs starts with its keysets unwrapped by an HSM. All on
 * one server definition, the helpdesk with development mode off (its default), restarted with other
 * settings.
 */
class HostAppStartupIT {

  static final String NAME = "helpdeskStartupIT";

  static int port() {
    return Integer.getInteger("it.host.http.port", 9280) + 1;
  }

  /** Starts the helpdesk and returns the message of its failed start. */
  static String refusedStart(LibertyServer server) throws Exception {
    server.startServer();
    String failed =
        server
            .awaitMessage("CWWKZ0002E", Duration.ofSeconds(120))
            .orElseThrow(() -> new AssertionError(LibertyServer.tail(server.messagesLog())));
    assertTrue(failed.contains("helpdesk"), failed);
    HttpResponse<String> status = new WardenHttp(server.base()).get("helpdesk/api/status", null);
    assertEquals(404, status.statusCode(), "the helpdesk is not serving");
    return failed;
  }

  @Test
  void aMissingDataSourceAndMissingKeysetsStopTheStartWithOneMessageNamingBoth() throws Exception {
    try (LibertyServer server = HostAppIT.helpdesk(NAME, port(), false, false)) {
      String failed = refusedStart(server);

      assertTrue(
          failed.contains("Warden needs a data source with the JNDI name jdbc/warden"), failed);
      assertTrue(failed.contains("Warden needs its audit keysets"), failed);
      assertTrue(failed.contains("warden.audit.encrypted-keyset-file"), failed);
      assertTrue(failed.contains("warden.audit.encrypted-mac-keyset-file"), failed);
      assertTrue(failed.contains("warden.audit.encrypted-signing-keyset-file"), failed);
      assertTrue(failed.contains("warden.audit.encrypted-pseudonym-keyset-file"), failed);
    }
  }

  @Test
  void developmentKeysetsAndCleartextKeysetsAreRefusedOutsideDevelopmentMode() throws Exception {
    // a development configuration carried into production: the generated-keyset directory and a
    // cleartext master keyset file
    Path dev = Path.of(System.getProperty("warden.audit.dev-keyset-dir"));
    Map<String, String> env = new HashMap<>(HostAppIT.upstream());
    env.put("WARDEN_AUDIT_DEV_KEYSET_DIR", dev.toString());
    env.put("WARDEN_AUDIT_KEYSET_FILE", dev.resolve("master.json").toString());
    try (LibertyServer server = HostAppIT.helpdesk(NAME, port(), true, env)) {
      String failed = refusedStart(server);

      assertTrue(
          failed.contains(
              "warden.audit.dev-keyset-dir is set, but generated development keysets are refused"
                  + " outside development mode (warden.dev-mode)"),
          failed);
      assertTrue(
          failed.contains(
              "warden.audit.keyset-file is a cleartext key, refused outside development mode"),
          failed);
      assertTrue(failed.contains("set warden.audit.encrypted-keyset-file"), failed);
    }
  }

  @Test
  void withKeysetsUnwrappedByAnHsmTheHelpdeskAnswersAndItsChainVerifies() throws Exception {
    Path dir = HostAppIT.keyDirectory(NAME);
    SoftHsm hsm = SoftHsm.create(dir.resolve("softhsm2.conf"), dir);
    SoftHsm.Token token = hsm.initToken("helpdesk", dir);
    hsm.createAesKey(token, "helpdesk-kek");
    Map<String, String> hsmEnv = Map.of("SOFTHSM2_CONF", hsm.conf.toString());
    Map<String, String> env =
        new HashMap<>(
            HostAppIT.encryptedKeysets(dir, hsmEnv, hsm.kekOptions(token, "helpdesk-kek", "kek-")));
    env.putAll(HostAppIT.upstream());
    env.putAll(hsmEnv);
    env.put("WARDEN_AUDIT_KEK_PKCS11_LIBRARY", hsm.library.toString());
    env.put("WARDEN_AUDIT_KEK_PKCS11_SLOT", Long.toString(token.slot()));
    env.put("WARDEN_AUDIT_KEK_PKCS11_KEY_LABEL", "helpdesk-kek");
    env.put("WARDEN_AUDIT_KEK_PKCS11_PIN_ENV", "HELPDESK_HSM_PIN");
    env.put("HELPDESK_HSM_PIN", token.pin());
    HostAppIT.forgetBudgetOf("bob", "helpdesk");
    try (LibertyServer server = HostAppIT.helpdesk(NAME, port(), true, env)) {
      server.start("helpdesk/api/status", null);
      WardenHttp http = new WardenHttp(server.base().resolve("helpdesk/api/"));

      HttpResponse<String> r =
          http.send(
              "POST", "tickets/summary", HostAppIT.ALICE, HostAppIT.ticket("VPN down, urgent"));
      assertEquals(200, r.statusCode(), r.body());

      HttpResponse<String> integrity =
          http.send("GET", "compliance/integrity", HostAppIT.CAROL, null);
      assertEquals(200, integrity.statusCode(), integrity.body());
      JsonObject result = (JsonObject) HostAppIT.json(integrity);
      assertTrue(result.getBoolean("intact"), integrity.body());
      assertTrue(result.getJsonNumber("recordsChecked").longValue() >= 1, integrity.body());
      String log = Files.readString(server.messagesLog());
      assertTrue(!log.contains("WARDEN0310W"), "no development keysets");
      assertTrue(!log.contains(token.pin()), "the PIN is not logged");
    }
  }
}
