package dev.warden.ai.service;

import dev.warden.guard.OutputViolation;
import dev.warden.guard.StructuredJson;
import dev.warden.openai.internal.SharedJsonb;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A {@link Tool} method: its function name, generated strict schema and how to call it. */
record ToolMethod(
    String name,
    String description,
    Class<?> beanClass,
    Method method,
    List<String> parameters,
    JsonObject schema,
    long timeoutMillis) {

  /** The tool methods of {@code beanClass}; {@link IllegalArgumentException} when one is unfit. */
  static List<ToolMethod> of(Class<?> beanClass) {
    List<ToolMethod> out = new ArrayList<>();
    for (Method m : beanClass.getMethods()) {
      Tool tool = m.getAnnotation(Tool.class);
      if (tool == null) {
        continue;
      }
      String where = beanClass.getName() + "." + m.getName();
      String name = tool.name().isEmpty() ? m.getName() : tool.name();
      if (!name.matches("[a-zA-Z0-9_-]{1,64}")) {
        throw new IllegalArgumentException(where + ": tool name " + name + " is not [a-zA-Z0-9_-]");
      }
      Parameter[] ps = m.getParameters();
      String[] names = new String[ps.length];
      Type[] types = new Type[ps.length];
      boolean[] nullable = new boolean[ps.length];
      for (int i = 0; i < ps.length; i++) {
        Var var = ps[i].getAnnotation(Var.class);
        if (var == null && !ps[i].isNamePresent()) {
          throw new IllegalArgumentException(
              where + ": name tool parameter " + ps[i].getName() + " with @Var");
        }
        names[i] = var != null ? var.value() : ps[i].getName();
        types[i] = ps[i].getParameterizedType();
        nullable[i] = ps[i].isAnnotationPresent(jakarta.annotation.Nullable.class);
      }
      JsonObject schema;
      try {
        schema = JsonSchemas.object(names, types, nullable);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
      }
      out.add(
          new ToolMethod(
              name,
              tool.description().isEmpty() ? null : tool.description(),
              beanClass,
              m,
              List.of(names),
              schema,
              tool.timeoutMillis()));
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException(beanClass.getName() + " has no @Tool method");
    }
    return out;
  }

  /** The method's arguments bound from the call's JSON arguments. */
  Object[] arguments(JsonObject json) {
    Type[] types = method.getGenericParameterTypes();
    Object[] args = new Object[types.length];
    for (int i = 0; i < types.length; i++) {
      JsonValue value = json.get(parameters.get(i));
      if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
        args[i] = types[i] == Optional.class ? Optional.empty() : null;
        continue;
      }
      // maps travel as arrays of {key, value} entries (strict mode has no open objects)
      List<OutputViolation> violations = new ArrayList<>();
      JsonValue shaped =
          StructuredJson.forBinding(value, types[i], "$." + parameters.get(i), violations);
      if (!violations.isEmpty()) {
        throw new IllegalArgumentException(violations.toString());
      }
      args[i] = SharedJsonb.JSONB.fromJson(shaped.toString(), types[i]);
    }
    return args;
  }

  /** The result as the model reads it: a string as it is, anything else as JSON. */
  static String resultText(Object result) {
    if (result == null) {
      return "null";
    }
    return result instanceof String ? (String) result : SharedJsonb.JSONB.toJson(result);
  }
}
