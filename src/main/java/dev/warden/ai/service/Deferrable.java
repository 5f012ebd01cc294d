package dev.warden.ai.service;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * An {@link AiService} method whose call can wait up to a day: it is deferred through the Batch
 * API, at the batch price ({@link dev.warden.ai.DeferredCalls}), with the same prompt, admission,
 * redaction, screening and audit as a direct call. The return type says what the caller gets:
 *
 * <ul>
 *   <li>{@link dev.warden.ai.DeferredCall}: the handle, at once (status {@code SUBMITTED}). The
 *       request asks for text; read the answer with {@code OpenAi.deferredResult(id)}. The id stays
 *       readable after a restart.
 *   <li>{@code CompletionStage<T>}: a stage completed when the batch has ended, with {@code T}
 *       ({@code String} or a record or class) bound and validated exactly as the synchronous method
 *       would; it fails with {@link dev.warden.ai.DeferredCallEndedException} when the call ended
 *       without an answer. The stage lives in this server's memory: a restart loses it (the
 *       deferred call itself is still finished, audited and charged).
 * </ul>
 *
 * A refusal at submission (budget, PII, screening, a malformed request) throws from the method (or
 * fails the stage) as a direct call's would. Deferrable methods take no tools, do not stream, and
 * declare no Fault Tolerance annotations: the Batch API runs the call when it can.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Deferrable {}
