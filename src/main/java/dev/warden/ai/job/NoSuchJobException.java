package dev.warden.ai.job;

/** The job does not exist or belongs to someone else (not told apart). */
public class NoSuchJobException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public NoSuchJobException(String id) {
    super("no job " + id + " for this caller");
  }
}
