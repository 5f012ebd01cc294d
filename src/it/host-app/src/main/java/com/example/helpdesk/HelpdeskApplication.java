package com.example.helpdesk;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** The helpdesk's own REST API, under its own context root and path. */
@ApplicationPath("/api")
public class HelpdeskApplication extends Application {}
