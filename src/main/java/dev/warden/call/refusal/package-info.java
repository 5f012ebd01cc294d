/**
 * Warden's own refusals: a call Warden itself ends, as opposed to a failure of the upstream ({@code
 * dev.warden.openai.error}). Every one is a {@link dev.warden.call.refusal.WardenRefusal}, never
 * retried, never answered by a fallback model, and carries the HTTP status, OpenAI error type and
 * code (and for a rate limit the {@code Retry-After}) that {@code /v1} answers with. Messages name
 * at most an entity type, a scope, a model or a rule, never a value from the request or the answer.
 */
package dev.warden.call.refusal;
