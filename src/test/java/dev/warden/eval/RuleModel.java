package dev.warden.eval;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The deterministic "model" the evaluations run on without a real key: a rule engine with a fixed
 * vocabulary (what it "knows": which words make a ticket an outage, a billing question, a security
 * incident, which tags exist, how to answer common questions) that does only what the request's
 * instructions ask. It never sees a case's name or its expected fields; its answer depends on the
 * instructions (the {@code system} and {@code developer} messages), the input (the last {@code
 * user} message) and the requested output schema. A prompt version that drops or alters an
 * instruction therefore gets different, and for the golden set worse, answers:
 *
 * <ul>
 *   <li>a schema field is filled only when the instructions name it ({@code tags} for {@code
 *       tags}); otherwise it gets the empty value of its type;
 *   <li>{@code priority} (1 high, 2 normal, 3 low): outages, security incidents and tickets that
 *       sound urgent are 1, how-to questions and wishes 3, the rest 2; an instruction "Priority
 *       HIGH is for X and Y only" restricts 1 to the concepts it lists;
 *   <li>{@code summary}: the whole ticket, or its first sentence when the instructions say "one
 *       sentence"; e-mail addresses and phone numbers are removed when they say "without personal
 *       data";
 *   <li>an enum field is the first of its values whose concept the input mentions, else the value
 *       {@code OTHER} when the schema has it;
 *   <li>a text answer (no schema) to "Customer: ..." / "Question: ..." input answers each question
 *       in one sentence from the vocabulary; "polite" adds a greeting by name and a sign-off;
 *       without "short" every answer gets a sentence of background and the reply a closing
 *       sentence.
 * </ul>
 */
public final class RuleModel {

  /** What the model "knows": concept → the words that mean it (regular expressions, lower case). */
  static final Map<String, Pattern> CONCEPTS = new LinkedHashMap<>();

  /** The tags the model knows, each with the concept that implies it. */
  static final Map<String, String> TAGS = new LinkedHashMap<>();

  /** One answer sentence per question concept. */
  static final Map<String, String> ANSWERS = new LinkedHashMap<>();

  static {
    concept(
        "outage",
        "\\bdown\\b|outage|not reachable|unreachable|cannot connect|can't connect|no connection"
            + "|\\b50[234]\\b|offline|not responding|times? out|timing out|unavailable");
    concept(
        "security",
        "phishing|hacked|breach|malware|virus|ransomware|suspicious|compromised|unknown device"
            + "|someone else logged|leaked");
    concept(
        "billing",
        "invoice|charged|charge|refund|payment|billing|subscription|credit card|\\bvat\\b|receipt"
            + "|price");
    concept("urgent", "urgent|asap|immediately|critical|emergency|right now|!!!");
    concept(
        "howto",
        "how do i|how can i|is it possible|would it be possible|feature request|would be nice"
            + "|suggestion|could you add|where can i find");
    concept("vpn", "\\bvpn\\b");
    concept("email", "e-?mail|mailbox|outlook|inbox");
    concept("printer", "printer|printing|toner|paper jam");
    concept("network", "wi-?fi|network|internet|\\blan\\b");
    concept("hardware", "laptop|notebook|monitor|keyboard|battery|docking station|headset");
    concept("password", "password|locked out|\\bmfa\\b|2fa|two-factor|reset link");
    concept("delivery", "parcel|delivery|shipment|package|tracking");
    concept("cancel", "cancel|terminate my|close my account");
    concept("opening", "opening hours|open on|office hours|when are you open");
    TAGS.put("vpn", "vpn");
    TAGS.put("email", "email");
    TAGS.put("printer", "printer");
    TAGS.put("network", "network");
    TAGS.put("hardware", "hardware");
    TAGS.put("password", "password");
    TAGS.put("invoice", "billing");
    TAGS.put("security", "security");
    ANSWERS.put(
        "password",
        "You can set a new password with the link 'Forgot password' on the sign-in page.");
    ANSWERS.put("billing", "Our billing team checks your invoice and corrects any wrong charge.");
    ANSWERS.put(
        "delivery", "You can follow your parcel with the tracking link in your order mail.");
    ANSWERS.put("cancel", "You can cancel your subscription at any time under Account, Plan.");
    ANSWERS.put("opening", "The service desk is open Monday to Friday from 8:00 to 18:00.");
    ANSWERS.put(
        "vpn", "Please restart the VPN client and sign in again with your company account.");
    ANSWERS.put("email", "Please check the mailbox settings under Account, Mail.");
  }

  private static void concept(String name, String regex) {
    CONCEPTS.put(name, Pattern.compile(regex));
  }

  private static final Pattern EMAIL = Pattern.compile("[\\w.+-]+@[\\w-]+(\\.[\\w-]+)+");
  private static final Pattern PHONE = Pattern.compile("\\+?\\d[\\d /-]{6,}\\d");
  private static final Pattern HIGH_ONLY =
      Pattern.compile("priority high is (?:for|reserved for) (.+?) only");
  private static final Pattern SENTENCE = Pattern.compile("[^.!?]*[.!?]+");

  private RuleModel() {}

  /** The concepts {@code text} mentions, in vocabulary order. */
  static Set<String> concepts(String text) {
    String lower = text.toLowerCase(Locale.ROOT);
    Set<String> found = new TreeSet<>((a, b) -> order(a) - order(b));
    CONCEPTS.forEach(
        (name, p) -> {
          if (p.matcher(lower).find()) {
            found.add(name);
          }
        });
    return found;
  }

  private static int order(String concept) {
    return new ArrayList<>(CONCEPTS.keySet()).indexOf(concept);
  }

  /**
   * The answer to a chat request: the instructions are the text of every {@code system} and {@code
   * developer} message, the input the last {@code user} message; {@code schema} is the requested
   * JSON schema ({@code null} for a text answer).
   */
  static String answer(String instructions, String input, JsonObject schema) {
    String rules = instructions.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
    return schema == null ? reply(rules, input) : structured(rules, input, schema).toString();
  }

  private static JsonObject structured(String rules, String input, JsonObject schema) {
    Set<String> concepts = concepts(input);
    JsonObjectBuilder out = Json.createObjectBuilder();
    JsonObject properties = schema.getJsonObject("properties");
    for (Map.Entry<String, JsonValue> p : properties.entrySet()) {
      String field = p.getKey();
      JsonObject type = p.getValue().asJsonObject();
      boolean asked = rules.contains(singular(field.toLowerCase(Locale.ROOT)));
      if (type.containsKey("enum")) {
        List<String> values =
            type.getJsonArray("enum").getValuesAs(v -> ((JsonString) v).getString());
        String chosen = null;
        if (asked) {
          for (String v : values) {
            if (concepts.contains(v.toLowerCase(Locale.ROOT))) {
              chosen = v;
              break;
            }
          }
        }
        out.add(
            field, chosen != null ? chosen : values.contains("OTHER") ? "OTHER" : values.get(0));
        continue;
      }
      switch (type.getString("type", "string")) {
        case "integer", "number" -> out.add(field, asked ? priority(rules, concepts) : 0);
        case "array" -> {
          JsonArrayBuilder tags = Json.createArrayBuilder();
          if (asked) {
            TAGS.forEach(
                (tag, concept) -> {
                  if (concepts.contains(concept)) {
                    tags.add(tag);
                  }
                });
          }
          out.add(field, tags);
        }
        case "boolean" -> out.add(field, asked && concepts.contains("urgent"));
        default -> out.add(field, asked ? summary(rules, input) : "");
      }
    }
    return out.build();
  }

  private static int priority(String rules, Set<String> concepts) {
    Matcher only = HIGH_ONLY.matcher(rules);
    if (only.find()) {
      Set<String> allowed = new TreeSet<>(concepts(only.group(1)));
      for (String name : CONCEPTS.keySet()) {
        if (only.group(1).contains(name)) {
          allowed.add(name);
        }
      }
      for (String c : concepts) {
        if (allowed.contains(c)) {
          return 1;
        }
      }
    } else if (concepts.contains("outage")
        || concepts.contains("security")
        || concepts.contains("urgent")) {
      return 1;
    }
    return concepts.contains("howto") ? 3 : 2;
  }

  private static String summary(String rules, String input) {
    String text = input.strip().replaceAll("\\s+", " ");
    if (text.regionMatches(true, 0, "Ticket:", 0, 7)) {
      text = text.substring(7).strip();
    }
    if (rules.contains("one sentence") || rules.contains("one-sentence")) {
      Matcher m = SENTENCE.matcher(text);
      if (m.find()) {
        text = m.group().strip();
      }
    }
    if (rules.contains("without personal data") || rules.contains("no personal data")) {
      text = PHONE.matcher(EMAIL.matcher(text).replaceAll("the customer")).replaceAll("a number");
    }
    return text;
  }

  private static String reply(String rules, String input) {
    String customer = null;
    StringBuilder question = new StringBuilder();
    for (String line : input.split("\n")) {
      if (line.startsWith("Customer:")) {
        customer = line.substring(9).strip();
      } else {
        question.append(line.replaceFirst("^Question:", "").strip()).append(' ');
      }
    }
    boolean polite = rules.contains("polite");
    boolean detailed = !rules.contains("short");
    List<String> sentences = new ArrayList<>();
    if (polite && customer != null && !customer.isEmpty()) {
      sentences.add("Dear " + customer + ", thank you for your message.");
    }
    Matcher m = SENTENCE.matcher(question.toString());
    while (m.find()) {
      String s = m.group().strip();
      if (!s.endsWith("?")) {
        continue;
      }
      String answer = null;
      for (String c : concepts(s)) {
        answer = ANSWERS.get(c);
        if (answer != null) {
          break;
        }
      }
      sentences.add(
          answer != null
              ? answer
              : "A colleague looks into your question and answers within one working day.");
      if (detailed) {
        sentences.add("This is how the service desk handles such requests for every customer.");
      }
    }
    if (detailed) {
      sentences.add("Please let us know if there is anything else we can do for you.");
    }
    String text = String.join(" ", sentences);
    return polite ? text + "\n\nKind regards,\nThe service desk" : text;
  }

  private static String singular(String field) {
    return field.endsWith("s") ? field.substring(0, field.length() - 1) : field;
  }
}
