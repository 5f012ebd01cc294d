package dev.warden.it;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The {@code Authorization} headers integration tests send to {@code /v1} and {@code /api}: the
 * development registry's documented accounts (enabled on the test server) and its documented
 * development API key. See docs/identity-and-api.md.
 */
public final class TestCredentials {

  /** {@code dev-user} (role ai-user, tenant default): may call models, sees only its own data. */
  public static final String DEV_USER = basic("dev-user", "dev-user");

  /**
   * {@code dev-auditor} (role auditor-all-tenants): reads every tenant's audit and usage, cannot
   * call models.
   */
  public static final String DEV_AUDITOR = basic("dev-auditor", "dev-auditor");

  /**
   * {@code dev-admin} (roles admin, key-delegate): manages API keys, also for other owners; cannot
   * read decrypted audit content.
   */
  public static final String DEV_ADMIN = basic("dev-admin", "dev-admin");

  /** The development API key of {@code dev-user}, as an OpenAI SDK sends it. */
  public static final String DEV_USER_KEY = "wk_devuserkey01_" + "devsecret-devsecret-devsecret-01";

  /** {@code Authorization: Bearer <development API key>}. */
  public static final String DEV_USER_BEARER = "Bearer " + DEV_USER_KEY;

  public static String basic(String user, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  private TestCredentials() {}
}
