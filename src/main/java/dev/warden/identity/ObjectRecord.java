package dev.warden.identity;

import java.time.Instant;

/**
 * A file or batch created through {@code /v1} ({@link ObjectRecords}).
 *
 * @param kind {@code file} or {@code batch}
 * @param purpose a file's purpose ({@code batch}, {@code batch_output}, ...); {@code batch} for a
 *     batch
 * @param vaultFileId the file whose placeholder vault restores this object, {@code null} when none
 * @param endpoint a batch input file's (and a batch's) endpoint, else {@code null}
 * @param model the one model of a batch input file's lines, else {@code null}
 * @param lines a batch input file's number of requests
 * @param inputTokens the input tokens counted in its requests
 * @param worstOutputTokens the largest output its requests may produce in all
 */
public record ObjectRecord(
    String kind,
    String id,
    String principal,
    String tenant,
    String purpose,
    String vaultFileId,
    String endpoint,
    String model,
    int lines,
    long inputTokens,
    long worstOutputTokens,
    Instant createdAt) {}
