package dev.warden.ai.service.shapes;

/** A plain record whose simple name is also used by another test type; nested inline. */
public record Point(String name) {}
