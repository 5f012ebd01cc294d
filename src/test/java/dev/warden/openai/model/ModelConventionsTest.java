package dev.warden.openai.model;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.bind.annotation.JsonbProperty;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Conventions every record of the package keeps, so that JSON-B maps it as intended. */
class ModelConventionsTest {

  private static final List<Class<?>> RECORDS = new ArrayList<>();

  @BeforeAll
  static void findRecords() throws IOException, URISyntaxException, ClassNotFoundException {
    Path root =
        Path.of(ChatMessage.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Path dir = root.resolve(ChatMessage.class.getPackageName().replace('.', '/'));
    List<String> names;
    try (Stream<Path> files = Files.list(dir)) {
      names =
          files
              .map(path -> path.getFileName().toString())
              .filter(name -> name.endsWith(".class"))
              .map(name -> name.substring(0, name.length() - ".class".length()))
              .sorted()
              .toList();
    }
    for (String name : names) {
      Class<?> type = Class.forName(ChatMessage.class.getPackageName() + "." + name);
      if (type.isRecord() && Modifier.isPublic(type.getModifiers())) {
        RECORDS.add(type);
      }
    }
    assertThat(RECORDS)
        .contains(
            ChatCompletionRequest.class,
            ModelResponse.class,
            ContentPart.ImageUrl.class,
            ResponseUsage.InputTokensDetails.class,
            ErrorBody.class);
  }

  @Test
  void everyComponentHasASnakeCaseJsonbProperty() {
    List<String> problems = new ArrayList<>();
    for (Class<?> record : RECORDS) {
      for (RecordComponent component : record.getRecordComponents()) {
        // @JsonbProperty cannot target record components: it lands on the accessor and field.
        JsonbProperty property = component.getAccessor().getAnnotation(JsonbProperty.class);
        String expected = component.getName().replaceAll("([A-Z])", "_$1").toLowerCase();
        if (property == null) {
          problems.add(record.getSimpleName() + "." + component.getName() + " has none");
        } else if (!property.value().equals(expected)) {
          problems.add(
              record.getSimpleName() + "." + component.getName() + " -> " + property.value());
        }
      }
    }
    assertThat(problems).isEmpty();
  }

  @Test
  void noRecordHasBeanGettersThatJsonbWouldWriteAsExtraProperties() {
    List<String> getters = new ArrayList<>();
    for (Class<?> record : RECORDS) {
      for (Method method : record.getDeclaredMethods()) {
        boolean beanName =
            method.getName().matches("(get|is)[A-Z].*") && method.getParameterCount() == 0;
        if (beanName && !Modifier.isStatic(method.getModifiers())) {
          getters.add(record.getSimpleName() + "." + method.getName());
        }
      }
    }
    assertThat(getters).isEmpty();
  }

  @Test
  void anEmptyRecordOfEveryTypeIsWrittenAsAnEmptyObject() throws ReflectiveOperationException {
    for (Class<?> record : RECORDS) {
      RecordComponent[] components = record.getRecordComponents();
      Class<?>[] types =
          Stream.of(components).map(RecordComponent::getType).toArray(Class<?>[]::new);
      Object empty =
          record.getDeclaredConstructor(types).newInstance(new Object[components.length]);
      assertThat(RoundTrip.JSONB.toJson(empty)).as(record.getSimpleName()).isEqualTo("{}");
      assertThat(RoundTrip.read("{}", record)).as(record.getSimpleName()).isEqualTo(empty);
    }
  }
}
