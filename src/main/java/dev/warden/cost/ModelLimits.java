package dev.warden.cost;

/**
 * What Warden knows of one model: its context window ({@code null} when unknown: not checked), the
 * largest output it produces, and its tokenizer.
 */
public record ModelLimits(String model, Integer contextWindow, int maxOutput, String encoding) {}
