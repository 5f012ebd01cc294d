package dev.warden.call;

/**
 * Which prompt a call used: its id, semantic version and the SHA-256 (hex) of the template's text.
 */
public record PromptRef(String id, String version, String sha256) {}
