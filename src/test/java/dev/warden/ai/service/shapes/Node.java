package dev.warden.ai.service.shapes;

import java.util.List;

/** A recursive record whose simple name is also used by another test type (a name collision). */
public record Node(String label, List<Node> next) {}
