package dev.warden.api;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** Warden's JAX-RS application: {@code /v1} (OpenAI-compatible) and {@code /api} (Warden's own). */
@ApplicationPath("/")
public class WardenApplication extends Application {}
