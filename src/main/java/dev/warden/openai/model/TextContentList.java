package dev.warden.openai.model;

import java.util.AbstractList;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * The content of a Responses message item that arrived as a plain string ({@code "content":
 * "Hello"}): reads as one {@code input_text} part and is written back as the original string.
 */
final class TextContentList extends AbstractList<ResponseContent> implements RandomAccess {

  private final String text;

  TextContentList(String text) {
    this.text = Objects.requireNonNull(text, "text");
  }

  String text() {
    return text;
  }

  @Override
  public ResponseContent get(int index) {
    Objects.checkIndex(index, 1);
    return ResponseContent.inputText(text);
  }

  @Override
  public int size() {
    return 1;
  }
}
