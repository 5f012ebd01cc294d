package dev.warden.it;

import static dev.warden.it.WardenHttp.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/**
 * As a new user would: calls through {@code /v1}, then {@code /api/usage} shows them, priced by the
 * price table, as JSON and CSV; bad parameters are problem JSON; {@code /v1} keeps OpenAI errors.
 */
class UsageIT extends WardenIntegrationTest {

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.warden();
  }

  /** GETs as the auditor. */
  private HttpResponse<String> get(String path, String accept) throws Exception {
    return http().get(path, TestCredentials.DEV_AUDITOR, "Accept", accept);
  }

  private HttpResponse<String> chat(JsonObject body) throws Exception {
    return http().post(CHAT, TestCredentials.DEV_USER, body);
  }

  /** The row of model gpt-4o-mini of dev-user today, or an empty object. */
  private JsonObject todaysRow(String today) throws Exception {
    HttpResponse<String> r =
        get(
            "api/usage?from="
                + today
                + "&to="
                + today
                + "&group_by=principal,model&principal=dev-user&model=gpt-4o-mini",
            "application/json");
    assertEquals(200, r.statusCode(), r.body());
    JsonArray rows = json(r.body()).getJsonArray("rows");
    return rows.isEmpty() ? JsonObject.EMPTY_JSON_OBJECT : rows.getJsonObject(0);
  }

  @Test
  void usageShowsTheSpendPerUserAndModelAsJsonAndCsv() throws Exception {
    String today = LocalDate.now(ZoneOffset.UTC).toString();
    JsonObject before = todaysRow(today);
    long requestsBefore =
        before.getJsonNumber("requests") == null ? 0 : before.getJsonNumber("requests").longValue();
    BigDecimal costBefore =
        before.getJsonNumber("cost") == null
            ? BigDecimal.ZERO
            : before.getJsonNumber("cost").bigDecimalValue();

    long input = 0;
    long output = 0;
    for (int i = 0; i < 3; i++) {
      HttpResponse<String> r = chat(chatBody("gpt-4o-mini", "Usage check " + i));
      assertEquals(200, r.statusCode(), r.body());
      JsonObject usage = json(r.body()).getJsonObject("usage");
      input += usage.getInt("prompt_tokens");
      output += usage.getInt("completion_tokens");
    }

    JsonObject row = todaysRow(today);
    assertEquals("dev-user", row.getString("principal"));
    assertEquals("gpt-4o-mini", row.getString("model"));
    assertEquals(requestsBefore + 3, row.getJsonNumber("requests").longValue());
    // the price table: gpt-4o-mini 0.15 USD input, 0.60 USD output per 1M tokens (no cache here)
    BigDecimal added =
        BigDecimal.valueOf(input)
            .multiply(new BigDecimal("0.15"))
            .add(BigDecimal.valueOf(output).multiply(new BigDecimal("0.60")))
            .movePointLeft(6);
    BigDecimal cost = row.getJsonNumber("cost").bigDecimalValue();
    assertEquals(0, costBefore.add(added).compareTo(cost), cost + " vs " + costBefore.add(added));

    HttpResponse<String> csv =
        get("api/usage?from=" + today + "&to=" + today + "&group_by=principal,model", "text/csv");
    assertEquals(200, csv.statusCode());
    assertTrue(csv.headers().firstValue("Content-Type").orElse("").startsWith("text/csv"));
    String[] lines = csv.body().split("\r\n");
    assertEquals(
        "principal,model,requests,input_tokens,cached_input_tokens,cached_share,output_tokens,"
            + "reasoning_tokens,cost_usd",
        lines[0]);
    boolean found = false;
    for (String line : lines) {
      if (line.startsWith("dev-user,gpt-4o-mini,")) {
        found = true;
        assertTrue(line.endsWith("," + cost.stripTrailingZeros().toPlainString()), line);
      }
    }
    assertTrue(found, csv.body());

    HttpResponse<String> viaFormat =
        get("api/usage?from=" + today + "&format=csv", "application/json");
    assertTrue(viaFormat.body().startsWith("principal,model,"), viaFormat.body());
  }

  @Test
  void badParametersAreProblemJson() throws Exception {
    HttpResponse<String> r = get("api/usage?group_by=colour", "application/json");
    assertEquals(400, r.statusCode());
    assertTrue(
        r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
    JsonObject problem = json(r.body());
    assertEquals(400, problem.getInt("status"));
    assertEquals("Bad Request", problem.getString("title"));
    assertEquals("invalid_parameter", problem.getString("code"));
    assertTrue(problem.getString("detail").contains("colour"));

    HttpResponse<String> date = get("api/usage?from=yesterday", "application/json");
    assertEquals(400, date.statusCode());
    assertEquals("invalid_parameter", json(date.body()).getString("code"));
  }

  @Test
  void v1KeepsOpenAiErrorsForATooLargeRequest() throws Exception {
    HttpResponse<String> r = chat(chatBody("gpt-4", "word ".repeat(9000)));
    assertEquals(400, r.statusCode());
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
    JsonObject error = json(r.body()).getJsonObject("error");
    assertEquals("context_length_exceeded", error.getString("code"));
    assertEquals("invalid_request_error", error.getString("type"));
    assertEquals("messages", error.getString("param"));
  }

  @Test
  void budgetsAndPricesAreListed() throws Exception {
    HttpResponse<String> prices = get("api/usage/prices", "application/json");
    assertEquals(200, prices.statusCode());
    assertTrue(
        json(prices.body()).getJsonArray("prices").stream()
            .map(JsonObject.class::cast)
            .anyMatch(p -> p.getString("model").equals("gpt-4o-mini")));
    HttpResponse<String> budgets = get("api/usage/budgets", "application/json");
    assertEquals(200, budgets.statusCode(), budgets.body());
    assertEquals("USD", json(budgets.body()).getString("currency"));
  }
}
