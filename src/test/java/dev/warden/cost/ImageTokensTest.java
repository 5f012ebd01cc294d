package dev.warden.cost;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.openai.model.ChatCompletionRequest;
import dev.warden.openai.model.ChatMessage;
import dev.warden.openai.model.ContentPart;
import dev.warden.openai.model.CreateResponseRequest;
import dev.warden.openai.model.ResponseContent;
import dev.warden.openai.model.ResponseInput;
import dev.warden.openai.model.ResponseItem;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.util.Base64;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** OpenAI's documented image token formula, and image sizes read from {@code data:} URLs. */
class ImageTokensTest {

  /** A real image of {@code format} ({@code png}, {@code jpg}, {@code gif}) as a data URL. */
  static String dataUrl(String format, int width, int height) throws Exception {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThat(ImageIO.write(image, format, out)).isTrue();
    String mime = format.equals("jpg") ? "jpeg" : format;
    return "data:image/"
        + mime
        + ";base64,"
        + Base64.getEncoder().encodeToString(out.toByteArray());
  }

  private static String webp(byte[] bytes) {
    return "data:image/webp;base64," + Base64.getEncoder().encodeToString(bytes);
  }

  private static byte[] riff(String chunk, byte[] payload) {
    byte[] b = new byte[20 + payload.length];
    System.arraycopy("RIFF".getBytes(), 0, b, 0, 4);
    System.arraycopy("WEBP".getBytes(), 0, b, 8, 4);
    System.arraycopy(chunk.getBytes(), 0, b, 12, 4);
    System.arraycopy(payload, 0, b, 20, payload.length);
    return b;
  }

  @Test
  void theGuidesTileExamplesForGpt4o() {
    // "Images and vision", Calculating costs: 1024×1024 high → 765; 2048×4096 high → 1105
    assertThat(ImageTokens.of("gpt-4o", 1024, 1024, "high")).isEqualTo(765);
    assertThat(ImageTokens.of("gpt-4o", 2048, 4096, "auto")).isEqualTo(1105);
    assertThat(ImageTokens.of("gpt-4o", 4096, 8192, "low")).isEqualTo(85);
    assertThat(ImageTokens.of("gpt-4.1", 1024, 1024, null)).isEqualTo(765);
    // small images are not enlarged: one tile
    assertThat(ImageTokens.of("gpt-4o", 1, 1, "high")).isEqualTo(85 + 170);
    assertThat(ImageTokens.of("gpt-4o", 512, 513, "high")).isEqualTo(85 + 2 * 170);
  }

  @Test
  void otherTileFamiliesUseTheirOwnFigures() {
    assertThat(ImageTokens.of("gpt-4o-mini", 1024, 1024, "high")).isEqualTo(2833 + 4 * 5667);
    assertThat(ImageTokens.of("gpt-4o-mini-2024-07-18", 10, 10, "low")).isEqualTo(2833);
    assertThat(ImageTokens.of("gpt-5", 1024, 1024, "high")).isEqualTo(70 + 4 * 140);
    assertThat(ImageTokens.of("o3", 1024, 1024, "high")).isEqualTo(75 + 4 * 150);
    assertThat(ImageTokens.of("o1-pro", 10, 10, "low")).isEqualTo(75);
    assertThat(ImageTokens.of("some-future-model", 1024, 1024, "high")).isEqualTo(765);
  }

  @Test
  void theGuidesPatchExamples() {
    // 1024×1024 → 1024 patches; 1800×2400 → scaled to 1056×1408 → 33×44 = 1452 patches
    assertThat(ImageTokens.patches(1024, 1024)).isEqualTo(1024);
    assertThat(ImageTokens.patches(1800, 2400)).isEqualTo(1452);
    assertThat(ImageTokens.patches(100000, 100000)).isLessThanOrEqualTo(1536);
    assertThat(ImageTokens.of("gpt-4.1-mini", 1024, 1024, "high"))
        .isEqualTo((int) Math.ceil(1024 * 1.62));
    assertThat(ImageTokens.of("gpt-4.1-nano", 1800, 2400, "low"))
        .isEqualTo((int) Math.ceil(1452 * 2.46));
    assertThat(ImageTokens.of("o4-mini", 64, 32, null)).isEqualTo((int) Math.ceil(2 * 1.72));
  }

  @Test
  void aRemoteImageIsNeverFetchedAndCountsAsTheMostItCanCost() {
    String url = "https://images.example/photo.png";
    // 2 × 4 tiles is the most an image fitted to 2048 with a 768-px short side can need
    assertThat(ImageTokens.of("gpt-4o", url, "high")).isEqualTo(85 + 8 * 170);
    assertThat(ImageTokens.of("gpt-4o", url, null)).isEqualTo(1445);
    assertThat(ImageTokens.of("gpt-4o", 768, 2048, "high")).isEqualTo(1445);
    assertThat(ImageTokens.of("gpt-4o", url, "low")).isEqualTo(85);
    assertThat(ImageTokens.of("gpt-4.1-mini", url, "low")).isEqualTo((int) Math.ceil(1536 * 1.62));
    // unreadable data counts the same
    assertThat(ImageTokens.of("gpt-4o", "data:image/png;base64,!!!!", "high")).isEqualTo(1445);
    assertThat(ImageTokens.of("gpt-4o", "data:image/png;base64,AAAAAAAA", "high")).isEqualTo(1445);
    assertThat(ImageTokens.of("gpt-4o", "data:image/svg+xml,<svg/>", "high")).isEqualTo(1445);
    assertThat(ImageTokens.of("gpt-4o", null, "high")).isEqualTo(1445);
  }

  @Test
  void readsTheSizeOfPngJpegAndGifDataUrls() throws Exception {
    for (String format : List.of("png", "jpg", "gif")) {
      assertThat(ImageTokens.ImageSize.ofDataUrl(dataUrl(format, 1500, 700)))
          .as(format)
          .hasValueSatisfying(size -> assertThat(size).containsExactly(1500, 700));
    }
    // 1500×700: short side 700, no scaling → 3 × 2 tiles
    assertThat(ImageTokens.of("gpt-4o", dataUrl("jpg", 1500, 700), "auto")).isEqualTo(85 + 6 * 170);
    // a truncated PNG still has its size in the IHDR chunk
    assertThat(
            ImageTokens.ImageSize.ofDataUrl(
                "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAAB"))
        .hasValueSatisfying(size -> assertThat(size).containsExactly(1, 1));
  }

  @Test
  void readsTheSizeOfWebpDataUrls() {
    // VP8X: 24-bit width-1 and height-1 after 4 bytes of flags
    byte[] vp8x = new byte[10];
    vp8x[4] = (byte) (1999 & 0xFF);
    vp8x[5] = (byte) (1999 >> 8);
    vp8x[7] = (byte) (999 & 0xFF);
    vp8x[8] = (byte) (999 >> 8);
    assertThat(ImageTokens.ImageSize.ofDataUrl(webp(riff("VP8X", vp8x))))
        .hasValueSatisfying(size -> assertThat(size).containsExactly(2000, 1000));
    // VP8L: signature 0x2f, then 14 bits width-1 and 14 bits height-1
    int bits = (640 - 1) | (480 - 1) << 14;
    byte[] vp8l = {
      0x2f, (byte) bits, (byte) (bits >> 8), (byte) (bits >> 16), (byte) (bits >> 24), 0, 0, 0, 0, 0
    };
    assertThat(ImageTokens.ImageSize.ofDataUrl(webp(riff("VP8L", vp8l))))
        .hasValueSatisfying(size -> assertThat(size).containsExactly(640, 480));
    // VP8 (lossy): frame tag, start code 9d 01 2a, then 14-bit width and height
    byte[] vp8 = {
      0, 0, 0, (byte) 0x9d, 0x01, 0x2a, (byte) (320 & 0xFF), (byte) (320 >> 8), (byte) 200, 0
    };
    assertThat(ImageTokens.ImageSize.ofDataUrl(webp(riff("VP8 ", vp8))))
        .hasValueSatisfying(size -> assertThat(size).containsExactly(320, 200));
  }

  @Test
  void theCounterCountsEachImageOfAChatAndAResponsesRequest() throws Exception {
    TokenCounter counter = new TokenCounter(ModelCatalog.from(CostSettings.shipped()));
    ChatCompletionRequest text =
        ChatCompletionRequest.builder()
            .model("gpt-4o")
            .messages(List.of(ChatMessage.user(ContentPart.text("What is this?"))))
            .build();
    ChatCompletionRequest images =
        text.toBuilder()
            .messages(
                List.of(
                    ChatMessage.user(
                        ContentPart.text("What is this?"),
                        ContentPart.imageUrl(dataUrl("png", 1024, 1024)),
                        ContentPart.imageUrl("https://images.example/a.png", "high"))))
            .build();
    assertThat(counter.count(images)).isEqualTo(counter.count(text) + 765 + 1445);

    CreateResponseRequest plain =
        CreateResponseRequest.builder()
            .model("gpt-4.1")
            .input(
                ResponseInput.of(
                    ResponseItem.message("user", List.of(ResponseContent.inputText("Hi")))))
            .build();
    CreateResponseRequest withImage =
        CreateResponseRequest.builder()
            .model("gpt-4.1")
            .input(
                ResponseInput.of(
                    ResponseItem.message(
                        "user",
                        List.of(
                            ResponseContent.inputText("Hi"),
                            ResponseContent.inputImage(dataUrl("gif", 300, 200))))))
            .build();
    assertThat(counter.count(withImage)).isEqualTo(counter.count(plain) + 85 + 170);
  }
}
