package dev.warden.cost;

import dev.warden.config.Settings;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The models Warden lets through: those it has a context window or a price for (a snapshot of one
 * counts, {@code gpt-4o-2024-08-06} being {@code gpt-4o}), and those listed in {@code
 * warden.models.allowed} (fine-tuned models, Azure deployment names; an entry ending in {@code *}
 * is a prefix). Everything else is refused before any upstream call, as OpenAI would refuse it
 * ({@code model_not_found}), unless {@code warden.models.refuse-unknown} is {@code false}.
 */
public final class KnownModels {

  static final String ALLOWED = "warden.models.allowed";
  static final String REFUSE_UNKNOWN = "warden.models.refuse-unknown";

  private final Set<String> names = new LinkedHashSet<>();
  private final List<String> prefixes = new ArrayList<>();
  private final boolean refuseUnknown;

  KnownModels(ModelCatalog catalog, PriceTable prices, Settings settings) {
    names.addAll(catalog.names());
    names.addAll(prices.models());
    for (String entry : settings.list(ALLOWED)) {
      String e = entry.trim();
      if (e.endsWith("*")) {
        prefixes.add(e.substring(0, e.length() - 1));
      } else if (!e.isEmpty()) {
        names.add(e);
      }
    }
    this.refuseUnknown =
        !"false".equalsIgnoreCase(settings.string(REFUSE_UNKNOWN).orElse("true").trim());
  }

  /** Whether a request for {@code model} may go upstream. */
  public boolean allows(String model) {
    if (!refuseUnknown || model == null) {
      return true;
    }
    if (ModelNames.match(names, model).isPresent()) {
      return true;
    }
    for (String prefix : prefixes) {
      if (model.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }
}
