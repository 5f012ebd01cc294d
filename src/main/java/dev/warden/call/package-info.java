/**
 * The vocabulary of one call through Warden, spoken by every package above it: who calls ({@link
 * dev.warden.call.Caller}, {@link dev.warden.call.Callers}), through which door ({@link
 * dev.warden.call.EntryPoint}, {@link dev.warden.call.KeyScope}), the call in progress ({@link
 * dev.warden.call.CallContext}, with the {@link dev.warden.call.BudgetHold} admission made for it),
 * what it was judged ({@link dev.warden.call.Verdict}), which prompt it was rendered from ({@link
 * dev.warden.call.PromptRef}), how it ended ({@link dev.warden.call.Outcome}, {@link
 * dev.warden.call.CallFinished}), and the thread scopes that carry a route, a prompt or a caller's
 * own resilience into the call.
 *
 * <p>This package depends only on {@code dev.warden.openai} and {@code dev.warden.config}; see
 * {@code ArchitectureTest} for the layers.
 */
package dev.warden.call;
