package dev.warden.openai;

/**
 * The model operations that can go to any configured upstream; everything else (stored responses,
 * files, batches, the model list) goes to the default upstream ({@value Upstreams#DEFAULT}).
 */
public enum UpstreamOperation {
  CHAT("/chat/completions", true),
  RESPONSES("/responses", false),
  EMBEDDINGS("/embeddings", true);

  private final String path;
  private final boolean perDeployment;

  UpstreamOperation(String path, boolean perDeployment) {
    this.path = path;
    this.perDeployment = perDeployment;
  }

  /** The path below the base URL, as OpenAI names it. */
  public String path() {
    return path;
  }

  /** Whether Azure OpenAI serves it below a deployment ({@code /openai/deployments/<name>}). */
  boolean perDeployment() {
    return perDeployment;
  }
}
