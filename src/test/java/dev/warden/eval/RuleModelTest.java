package dev.warden.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import org.junit.jupiter.api.Test;

/** The rule model answers from the instructions it is given, not from a case's expectations. */
class RuleModelTest {

  private static final JsonObject TRIAGE =
      Json.createReader(
              new StringReader(
                  "{\"type\":\"object\",\"properties\":{\"summary\":{\"type\":\"string\"},"
                      + "\"category\":{\"type\":\"string\",\"enum\":[\"BILLING\",\"OUTAGE\","
                      + "\"OTHER\"]},\"priority\":{\"type\":\"integer\"},"
                      + "\"tags\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}}},"
                      + "\"required\":[\"summary\",\"category\",\"priority\",\"tags\"],"
                      + "\"additionalProperties\":false}"))
          .readObject();

  private static JsonObject triage(String instructions, String ticket) {
    return Json.createReader(new StringReader(RuleModel.answer(instructions, ticket, TRIAGE)))
        .readObject();
  }

  @Test
  void fillsOnlyTheFieldsTheInstructionsAskFor() {
    String ticket = "Outlook is down for everyone. Call me on +49 170 1234567 or a@b.example.";
    JsonObject without = triage("Classify the ticket: its category and its priority.", ticket);
    JsonObject with =
        triage(
            "Classify the ticket: its category, its priority, a one-sentence summary without"
                + " personal data and the tags that apply.",
            ticket);

    assertEquals("OUTAGE", without.getString("category"));
    assertEquals(0, without.getJsonArray("tags").size());
    assertEquals("", without.getString("summary"));
    assertEquals(Json.createArrayBuilder().add("email").build(), with.getJsonArray("tags"));
    assertEquals("Outlook is down for everyone.", with.getString("summary"));
    assertEquals(
        "the customer",
        triage("a summary without personal data", "Mail a@b.example")
            .getString("summary")
            .substring(5));
  }

  @Test
  void thePriorityRuleOfThePromptDecidesWhatIsHigh() {
    String urgentInvoice = "URGENT!!! The invoice is wrong.";
    String phishing = "I clicked a phishing link.";
    assertEquals(1, triage("its priority", urgentInvoice).getInt("priority"));
    assertEquals(
        2,
        triage(
                "its priority. Priority HIGH is for outages and security incidents only.",
                urgentInvoice)
            .getInt("priority"));
    assertEquals(
        1,
        triage("its priority. Priority HIGH is for outages and security incidents only.", phishing)
            .getInt("priority"));
    assertEquals(
        2, triage("its priority. Priority HIGH is for outages only.", phishing).getInt("priority"));
    assertEquals(3, triage("its priority", "How do I print in colour?").getInt("priority"));
  }

  @Test
  void aTextReplyFollowsPolitenessAndLengthInstructions() {
    String input = "Customer: Ada Lovelace\nQuestion: Where is my parcel? It is late.";
    String polite = RuleModel.answer("Write short, polite replies.", input, null);
    String blunt = RuleModel.answer("Write short replies.", input, null);
    String longer = RuleModel.answer("Write polite replies.", input, null);

    assertTrue(polite.startsWith("Dear Ada Lovelace, thank you for your message."), polite);
    assertTrue(polite.contains("tracking link"), polite);
    assertFalse(blunt.contains("Ada"), blunt);
    assertTrue(longer.length() > polite.length() + 60, longer);
  }
}
