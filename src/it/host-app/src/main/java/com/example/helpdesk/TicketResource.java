package com.example.helpdesk;

import dev.warden.ai.OpenAi;
import dev.warden.openai.model.ChatCompletionRequest;
import dev.warden.openai.model.ChatMessage;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.concurrent.CompletionStage;

/** Agents' endpoints (web.xml: role {@code agent}). Every call goes through Warden. */
@Path("tickets")
@RequestScoped
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class TicketResource {

  public record Ticket(String text) {}

  public record Reply(String reply) {}

  @Inject Assistant assistant;
  @Inject OpenAi openAi;

  @POST
  @Path("draft")
  public Reply draft(Ticket ticket) {
    return new Reply(assistant.draftReply(ticket.text()));
  }

  @POST
  @Path("draft/retried")
  public Reply retried(Ticket ticket) {
    return new Reply(assistant.retriedReply(ticket.text()));
  }

  @POST
  @Path("summary")
  public CompletionStage<Summary> summary(Ticket ticket) {
    return assistant.summarize(ticket.text());
  }

  /** One short sentence, straight through the injected client. */
  @POST
  @Path("answer")
  public Reply answer(Ticket ticket) {
    return new Reply(
        openAi
            .chat(
                ChatCompletionRequest.builder()
                    .model("gpt-4o-mini")
                    .maxCompletionTokens(20)
                    .messages(
                        List.of(
                            ChatMessage.system("Answer the customer in one sentence."),
                            ChatMessage.user(ticket.text())))
                    .build())
            .body()
            .firstText());
  }
}
