package dev.warden.ai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.call.FallbackKind;
import dev.warden.call.RouteScope;
import dev.warden.call.refusal.BudgetRefusal;
import dev.warden.call.refusal.OutputValidationRefusal;
import dev.warden.cost.CostSettings;
import dev.warden.openai.error.BadRequestException;
import dev.warden.openai.error.ErrorInfo;
import dev.warden.openai.error.NotFoundException;
import dev.warden.openai.error.ServerErrorException;
import dev.warden.openai.model.ChatChoice;
import dev.warden.openai.model.ChatCompletion;
import dev.warden.openai.model.ChatCompletionRequest;
import dev.warden.openai.model.ChatMessage;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class ModelRouterTest {

  private final List<ChatCompletionRequest> sent = new ArrayList<>();

  private static final Route ROUTE =
      new Route(
          "triage", List.of("gpt-4o-mini", "gpt-4o"), "confidence", new BigDecimal("0.7"), 256);

  private final ChatCompletionRequest request =
      ChatCompletionRequest.builder()
          .model("ignored")
          .messages(List.of(ChatMessage.user("hi")))
          .build();

  private Function<ChatCompletionRequest, Answer<ChatCompletion>> upstream(
      Map<String, String> texts) {
    return r -> {
      sent.add(r);
      String text = texts.get(r.model());
      if (text == null) {
        throw new ServerErrorException(ErrorInfo.of(500, "down"), null);
      }
      ChatCompletion c =
          new ChatCompletion(
              "id",
              "chat.completion",
              0L,
              r.model(),
              List.of(new ChatChoice(0, ChatMessage.assistant(text), "stop", null)),
              null,
              null,
              null);
      return new Answer<>(
          c,
          "wrd_" + r.model(),
          r.model(),
          r.model(),
          null,
          FallbackKind.NONE,
          1,
          List.of(),
          null,
          Duration.ZERO,
          "openai");
    };
  }

  @Test
  void eachCallKnowsWhyItsModelWasChosen() {
    List<String> reasons = new ArrayList<>();
    Function<ChatCompletionRequest, Answer<ChatCompletion>> three =
        upstream(Map.of("b", "{\"confidence\":0.2}", "c", "{\"confidence\":0.9}"));
    var routed =
        ModelRouter.route(
            new Route("triage", List.of("a", "b", "c"), "confidence", new BigDecimal("0.7"), null),
            request,
            x -> true,
            r -> {
              reasons.add(RouteScope.current());
              return three.apply(r);
            });
    assertThat(routed.answer().answeredBy()).isEqualTo("c");
    assertThat(reasons)
        .containsExactly(
            "routed: use case triage, cheapest first",
            "escalated: use case triage, after a: outage (ServerErrorException)",
            "escalated: use case triage, after b: confidence 0.2 below 0.7");
    assertThat(RouteScope.current()).isNull();
  }

  @Test
  void theCheapModelAnswersWhenConfident() {
    var routed =
        ModelRouter.route(
            ROUTE, request, c -> true, upstream(Map.of("gpt-4o-mini", "{\"confidence\":0.9}")));
    assertThat(routed.answer().answeredBy()).isEqualTo("gpt-4o-mini");
    assertThat(routed.escalated()).isFalse();
    assertThat(sent).hasSize(1);
    assertThat(sent.get(0).maxCompletionTokens()).isEqualTo(256);
  }

  @Test
  void lowConfidenceEscalatesToTheStrongerModelAndSaysWhy() {
    var routed =
        ModelRouter.route(
            ROUTE,
            request,
            c -> true,
            upstream(
                Map.of("gpt-4o-mini", "{\"confidence\":0.4}", "gpt-4o", "{\"confidence\":0.95}")));
    assertThat(routed.answer().answeredBy()).isEqualTo("gpt-4o");
    assertThat(routed.steps())
        .extracting(ModelRouter.Step::decision)
        .containsExactly("escalated: confidence 0.4 below 0.7", "accepted");
  }

  @Test
  void failedValidationOrAnOutageEscalates() {
    var invalid =
        ModelRouter.route(
            ROUTE,
            request,
            c -> !c.model().equals("gpt-4o-mini"),
            upstream(Map.of("gpt-4o-mini", "{\"confidence\":1}", "gpt-4o", "{\"confidence\":1}")));
    assertThat(invalid.steps().get(0).decision())
        .isEqualTo("escalated: the answer failed validation");
    var outage =
        ModelRouter.route(
            ROUTE, request, c -> true, upstream(Map.of("gpt-4o", "{\"confidence\":1}")));
    assertThat(outage.answer().answeredBy()).isEqualTo("gpt-4o");
    assertThat(outage.steps().get(0).decision()).isEqualTo("failed: ServerErrorException");
  }

  @Test
  void anOutputWardenRejectedEscalatesToTheStrongerModel() {
    Function<ChatCompletionRequest, Answer<ChatCompletion>> strong =
        upstream(Map.of("gpt-4o", "{\"confidence\":1}"));
    var routed =
        ModelRouter.route(
            ROUTE,
            request,
            c -> true,
            r -> {
              if (r.model().equals("gpt-4o-mini")) {
                sent.add(r);
                throw new OutputValidationRefusal(List.of("choices[0].sku: violates 'pattern'"));
              }
              return strong.apply(r);
            });
    assertThat(routed.answer().answeredBy()).isEqualTo("gpt-4o");
    assertThat(routed.steps().get(0).decision())
        .isEqualTo("escalated: the output failed validation");
    assertThat(sent)
        .extracting(ChatCompletionRequest::model)
        .containsExactly("gpt-4o-mini", "gpt-4o");
  }

  @Test
  void theLastModelsAnswerIsKeptEvenWhenNotConfident() {
    var routed =
        ModelRouter.route(
            ROUTE, request, c -> true, upstream(Map.of("gpt-4o-mini", "plain", "gpt-4o", "plain")));
    assertThat(routed.answer().answeredBy()).isEqualTo("gpt-4o");
    assertThat(routed.steps().get(1).decision())
        .isEqualTo("accepted as the last model (no confidence in the answer)");
  }

  @Test
  void aBadRequestIsNotEscalatedAndAnExplicitLimitIsKept() {
    Function<ChatCompletionRequest, Answer<ChatCompletion>> bad =
        r -> {
          sent.add(r);
          throw new BadRequestException(ErrorInfo.of(400, "bad"), null);
        };
    assertThatThrownBy(() -> ModelRouter.route(ROUTE, request, c -> true, bad))
        .isInstanceOf(BadRequestException.class);
    assertThat(sent).hasSize(1);
    Function<ChatCompletionRequest, Answer<ChatCompletion>> broke =
        r -> {
          sent.add(r);
          throw new BudgetRefusal("user", "daily");
        };
    assertThatThrownBy(() -> ModelRouter.route(ROUTE, request, c -> true, broke))
        .isInstanceOf(BudgetRefusal.class);
    assertThat(sent).hasSize(2);

    var routed =
        ModelRouter.route(
            ROUTE,
            request.toBuilder().maxCompletionTokens(10).build(),
            c -> true,
            upstream(Map.of("gpt-4o-mini", "{\"confidence\":0.9}")));
    assertThat(routed.answer()).isNotNull();
    assertThat(sent.get(2).maxCompletionTokens()).isEqualTo(10);
  }

  @Test
  void routesComeFromConfiguration() {
    Route r =
        Route.of(
                CostSettings.only(
                    "warden.route.triage.models", "gpt-4o-mini, gpt-4o",
                    "warden.route.triage.confidence-field", "confidence",
                    "warden.route.triage.min-confidence", "0.7",
                    "warden.route.triage.max-completion-tokens", "256"),
                "triage")
            .orElseThrow();
    assertThat(r.models()).containsExactly("gpt-4o-mini", "gpt-4o");
    assertThat(r.minConfidence()).isEqualByComparingTo("0.7");
    assertThat(r.maxCompletionTokens()).isEqualTo(256);
    assertThat(Route.of(CostSettings.only(), "none")).isEmpty();
  }

  @Test
  void aRouteAliasNamesAConfiguredUseCaseOrIsAnUnknownModel() {
    var settings = CostSettings.only("warden.route.triage.models", "gpt-4o-mini, gpt-4o");
    assertThat(ModelRouter.isAlias("route:triage")).isTrue();
    assertThat(ModelRouter.isAlias("gpt-4o")).isFalse();
    assertThat(ModelRouter.isAlias(null)).isFalse();
    assertThat(ModelRouter.aliased(settings, "route:triage", null).models())
        .containsExactly("gpt-4o-mini", "gpt-4o");
    for (String unknown : List.of("route:nothing", "route:", "route:triage.models", "gpt-4o")) {
      assertThatThrownBy(() -> ModelRouter.aliased(settings, unknown, false))
          .isInstanceOfSatisfying(
              NotFoundException.class,
              e -> {
                assertThat(e.status()).isEqualTo(404);
                assertThat(e.code()).isEqualTo("model_not_found");
                assertThat(e.param()).isEqualTo("model");
              });
    }
    assertThatThrownBy(() -> ModelRouter.aliased(settings, "route:triage", true))
        .isInstanceOfSatisfying(
            BadRequestException.class, e -> assertThat(e.param()).isEqualTo("stream"));
  }

  @Test
  void anyKindOfCallEscalatesOnItsOwnText() {
    List<String> tried = new ArrayList<>();
    Function<String, Answer<String>> call =
        model -> {
          tried.add(model);
          String text = model.equals("a") ? "{\"confidence\":0.1}" : "{\"confidence\":0.8}";
          return new Answer<>(
              text,
              "wrd_" + model,
              model,
              model,
              null,
              FallbackKind.NONE,
              1,
              List.of(),
              null,
              Duration.ZERO,
              null);
        };
    var o =
        ModelRouter.routeAny(
            new Route("kind", List.of("a", "b"), "confidence", new BigDecimal("0.5"), null),
            "request",
            (request, model) -> model,
            t -> true,
            t -> t,
            call);
    assertThat(tried).containsExactly("a", "b");
    assertThat(o.escalated()).isTrue();
    assertThat(o.answer().answeredBy()).isEqualTo("b");
    assertThat(o.steps().get(0).decision()).isEqualTo("escalated: confidence 0.1 below 0.5");
  }
}
