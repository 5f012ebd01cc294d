package com.example.helpdesk;

import jakarta.validation.constraints.NotBlank;

/** A ticket's summary, as the model returns it (checked against its schema and constraints). */
public record Summary(@NotBlank String summary, boolean urgent) {}
