package dev.warden.mock;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Decides which function tools the mock "calls" and builds their deterministic arguments. */
final class ToolPlanner {
  private ToolPlanner() {}

  /** A function tool: its name and JSON schema of parameters (may be null). */
  record FunctionTool(String name, JsonValue parameters) {
    /** The call's arguments: a JSON string of an instance of the parameters' schema. */
    String arguments() {
      return SchemaSampler.sample(parameters).toString();
    }
  }

  /** Chat Completions format: {@code {type: function, function: {name, parameters}}}. */
  static List<FunctionTool> chatTools(JsonArray tools) {
    List<FunctionTool> out = new ArrayList<>();
    if (tools == null) {
      return out;
    }
    for (int i = 0; i < tools.size(); i++) {
      JsonValue tool = tools.get(i);
      if (tool.getValueType() != JsonValue.ValueType.OBJECT) {
        throw ApiException.invalid("tools[" + i + "]", "Invalid tool: expected an object.");
      }
      JsonObject t = tool.asJsonObject();
      String type = JsonSupport.string(t, "type");
      if (type == null || "function".equals(type)) {
        JsonObject function = JsonSupport.object(t, "function");
        String name = JsonSupport.string(function, "name");
        if (name == null || name.isEmpty()) {
          throw ApiException.invalid(
              "tools[" + i + "].function.name",
              "Missing required parameter: 'tools[" + i + "].function.name'.",
              "missing_required_parameter");
        }
        out.add(new FunctionTool(name, function.get("parameters")));
      }
    }
    return out;
  }

  /** Responses format: {@code {type: function, name, parameters, strict}}. */
  static List<FunctionTool> responsesTools(JsonArray tools) {
    List<FunctionTool> out = new ArrayList<>();
    if (tools == null) {
      return out;
    }
    for (int i = 0; i < tools.size(); i++) {
      JsonValue tool = tools.get(i);
      if (tool.getValueType() != JsonValue.ValueType.OBJECT) {
        throw ApiException.invalid("tools[" + i + "]", "Invalid tool: expected an object.");
      }
      JsonObject t = tool.asJsonObject();
      if ("function".equals(JsonSupport.string(t, "type"))) {
        String name = JsonSupport.string(t, "name");
        if (name == null || name.isEmpty()) {
          throw ApiException.invalid(
              "tools[" + i + "].name",
              "Missing required parameter: 'tools[" + i + "].name'.",
              "missing_required_parameter");
        }
        out.add(new FunctionTool(name, t.get("parameters")));
      }
    }
    return out;
  }

  /**
   * The tools to call: none for {@code tool_choice: "none"}; the named one for a function choice;
   * the allowed ones for {@code allowed_tools}; otherwise all of them, or only the first when
   * {@code parallel_tool_calls} is false.
   */
  static List<FunctionTool> select(
      List<FunctionTool> tools, JsonValue toolChoice, boolean parallel) {
    if (tools.isEmpty()) {
      return List.of();
    }
    List<FunctionTool> candidates = tools;
    if (toolChoice instanceof JsonString) {
      String choice = ((JsonString) toolChoice).getString();
      if ("none".equals(choice)) {
        return List.of();
      }
      if (!"auto".equals(choice) && !"required".equals(choice)) {
        throw ApiException.invalid(
            "tool_choice",
            "Invalid value: '"
                + choice
                + "'. Supported values are: 'none', 'auto', and 'required'.",
            "invalid_value");
      }
    } else if (toolChoice != null && toolChoice.getValueType() == JsonValue.ValueType.OBJECT) {
      JsonObject choice = toolChoice.asJsonObject();
      String type = JsonSupport.string(choice, "type");
      if ("function".equals(type)) {
        String name = JsonSupport.string(choice, "name");
        if (name == null) {
          name = JsonSupport.string(JsonSupport.object(choice, "function"), "name");
        }
        return List.of(find(tools, name));
      }
      if ("allowed_tools".equals(type)) {
        JsonObject allowed = JsonSupport.object(choice, "allowed_tools");
        JsonObject holder = allowed != null ? allowed : choice;
        if ("none".equals(JsonSupport.string(holder, "mode"))) {
          return List.of();
        }
        Set<String> names = new LinkedHashSet<>();
        JsonArray list = JsonSupport.array(holder, "tools");
        if (list != null) {
          for (JsonValue v : list) {
            if (v.getValueType() == JsonValue.ValueType.OBJECT) {
              JsonObject t = v.asJsonObject();
              String name = JsonSupport.string(t, "name");
              if (name == null) {
                name = JsonSupport.string(JsonSupport.object(t, "function"), "name");
              }
              if (name != null) {
                names.add(name);
              }
            }
          }
        }
        candidates = new ArrayList<>();
        for (FunctionTool t : tools) {
          if (names.contains(t.name())) {
            candidates.add(t);
          }
        }
      }
    }
    if (candidates.isEmpty()) {
      return List.of();
    }
    return parallel ? candidates : List.of(candidates.get(0));
  }

  private static FunctionTool find(List<FunctionTool> tools, String name) {
    for (FunctionTool t : tools) {
      if (t.name().equals(name)) {
        return t;
      }
    }
    throw ApiException.invalid(
        "tool_choice",
        "Invalid value for 'tool_choice': function '" + name + "' is not among the given tools.",
        "invalid_value");
  }
}
