package dev.warden.cost;

import dev.warden.call.Caller;
import dev.warden.call.InterruptedCall;
import dev.warden.call.Outcome;
import dev.warden.openai.stream.TokenUsage;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * Charges a model call its server's end cut off ({@link InterruptedCall.Charges}): its counted
 * input at the requested model's price, as one usage entry (outcome {@code FAILED}), and that cost
 * settled on the budgets the call still holds. The rows go with the call's FAILED record, so the
 * ledger and the spend agree with the audit log here too. A call with no counted input (cut before
 * admission counted it) is charged nothing, but still has its entry.
 */
@ApplicationScoped
public class InterruptedCallCharges implements InterruptedCall.Charges {

  @Inject Admission admission;
  @Inject Budgets budgets;

  @Override
  public InterruptedCall.Charge charge(InterruptedCall call) {
    long input = call.inputTokens() == null ? 0 : call.inputTokens();
    TokenUsage usage = new TokenUsage(input, 0, 0, 0);
    String model = call.model() == null ? "unknown" : call.model();
    BigDecimal cost = admission.cost(model, model, usage, call.startedAt());
    List<Object> rows = new ArrayList<>(2);
    rows.add(
        UsageLedger.entry(
            call.requestId(),
            call.startedAt(),
            new Caller(call.principal(), call.tenant(), call.apiKeyId()),
            model,
            call.promptId(),
            call.promptVersion(),
            call.operation(),
            Outcome.FAILED,
            false,
            usage,
            cost));
    List<Budgets.Hold> holds = budgets.holdsOfCall(call.requestId());
    if (!holds.isEmpty()) {
      rows.add(new BudgetSettlement(holds, cost));
    }
    return new InterruptedCall.Charge(input, cost, rows);
  }
}
