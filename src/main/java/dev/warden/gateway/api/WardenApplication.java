package dev.warden.gateway.api;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.info.Info;

/** Warden's JAX-RS application: {@code /v1} (OpenAI-compatible) and {@code /api} (Warden's own). */
@OpenAPIDefinition(
    info =
        @Info(
            title = "Warden",
            version = "1",
            description =
                "Governed access to the OpenAI API: /v1 is OpenAI-compatible (errors as OpenAI"
                    + " error objects), /api is Warden's own (errors as problem JSON, RFC 9457)."))
@ApplicationPath("/")
public class WardenApplication extends Application {}
