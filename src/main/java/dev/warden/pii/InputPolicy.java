package dev.warden.pii;

import dev.warden.call.refusal.UninspectableContentRefusal;
import dev.warden.config.Settings;
import dev.warden.openai.model.ModelTexts;
import dev.warden.openai.model.ModelTexts.Media;
import dev.warden.openai.model.ModelTexts.Opaque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a tenant may send that Warden cannot inspect for personal data: images, audio and files
 * ({@link ModelTexts#opaque}), inline or by reference. Redaction cannot look inside them, so while
 * redaction is on they are refused by default ({@link UninspectableContentRefusal}, before any
 * upstream call); each kind is allowed for the tenants listed under its key. Immutable, read once
 * from {@link Settings}.
 *
 * <table>
 *   <caption>Configuration keys</caption>
 *   <tr><th>key</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code warden.input.images.allowed-tenants}</td><td>none</td>
 *       <td>tenants (comma-separated, {@code *} for every tenant) that may send images</td></tr>
 *   <tr><td>{@code warden.input.audio.allowed-tenants}</td><td>none</td>
 *       <td>tenants that may send audio</td></tr>
 *   <tr><td>{@code warden.input.files.allowed-tenants}</td><td>none</td>
 *       <td>tenants that may send files</td></tr>
 * </table>
 *
 * With {@code warden.pii.enabled=false} nothing is inspected, so nothing is refused for being
 * uninspectable; the call's record still says what passed.
 */
public final class InputPolicy {

  /** Tenants that may send images. */
  public static final String IMAGES = "warden.input.images.allowed-tenants";

  /** Tenants that may send audio. */
  public static final String AUDIO = "warden.input.audio.allowed-tenants";

  /** Tenants that may send files. */
  public static final String FILES = "warden.input.files.allowed-tenants";

  private static final String ALL = "*";

  private final boolean inspecting;
  private final Map<Media, Set<String>> allowed;

  private InputPolicy(boolean inspecting, Map<Media, Set<String>> allowed) {
    this.inspecting = inspecting;
    this.allowed = allowed;
  }

  /** Nothing allowed: every image, audio part and file is refused. */
  public static InputPolicy refuseAll() {
    return new InputPolicy(true, Map.of());
  }

  /**
   * Reads the policy from {@code settings}.
   *
   * @param redacting whether redaction is on ({@link PiiPolicy#enabled()}); off, everything passes
   */
  public static InputPolicy from(Settings settings, boolean redacting) {
    Map<Media, Set<String>> allowed = new EnumMap<>(Media.class);
    allowed.put(Media.IMAGE, Set.copyOf(settings.list(IMAGES)));
    allowed.put(Media.AUDIO, Set.copyOf(settings.list(AUDIO)));
    allowed.put(Media.FILE, Set.copyOf(settings.list(FILES)));
    return new InputPolicy(redacting, Map.copyOf(allowed));
  }

  /** Whether {@code tenant} may send content of kind {@code media}. */
  public boolean allows(String tenant, Media media) {
    if (!inspecting) {
      return true;
    }
    Set<String> tenants = allowed.getOrDefault(media, Set.of());
    return tenants.contains(ALL) || (tenant != null && tenants.contains(tenant));
  }

  /**
   * Checks the uninspectable parts of a request of {@code tenant} and returns them counted by type
   * ({@code image_url=2}: what passes uninspected; empty for none).
   *
   * @param param the request's parameter that holds them ({@code messages}, {@code input})
   * @throws UninspectableContentRefusal naming the types (and counts) of the parts of every kind
   *     the tenant may not send
   */
  public Map<String, Integer> check(String tenant, List<Opaque> parts, String param) {
    Map<String, Integer> passed = new TreeMap<>();
    Map<String, Integer> refused = new TreeMap<>();
    for (Opaque part : parts) {
      passed.merge(part.type(), 1, Integer::sum);
      if (!allows(tenant, part.media())) {
        refused.merge(part.type(), 1, Integer::sum);
      }
    }
    if (!refused.isEmpty()) {
      throw new UninspectableContentRefusal(refused, param);
    }
    return passed;
  }
}
