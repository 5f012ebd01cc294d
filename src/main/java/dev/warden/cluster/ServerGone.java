package dev.warden.cluster;

import java.time.Instant;

/**
 * A CDI event: the server {@code name} is gone (its lease expired, or this is its own start after a
 * run that ended), and what it left from before {@code before} is to be recovered now: pending
 * stream rows become records, budget holds are released. Fired on one server only per gone server
 * (the one that claimed its lease), on a thread of its own.
 */
public record ServerGone(String name, Instant before) {}
