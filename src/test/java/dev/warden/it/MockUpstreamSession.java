package dev.warden.it;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.warden.mock.MockOpenAiServer;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Runs the mock OpenAI upstream for the whole integration-test session, in the Failsafe JVM, on the
 * port the IT server is configured with ({@code mock.port}). Does nothing where {@code mock.port}
 * is not set (unit tests start their own mocks on random ports).
 */
public class MockUpstreamSession implements LauncherSessionListener {

  private WireMockServer server;
  private WireMockServer second;

  @Override
  public void launcherSessionOpened(LauncherSession session) {
    String port = System.getProperty("mock.port");
    if (port != null && server == null) {
      server = MockOpenAiServer.start(Integer.parseInt(port));
    }
    // a second upstream (MultiUpstreamIT), where mock.second.port is set
    String secondPort = System.getProperty("mock.second.port");
    if (secondPort != null && second == null) {
      second = MockOpenAiServer.start(Integer.parseInt(secondPort));
    }
  }

  @Override
  public void launcherSessionClosed(LauncherSession session) {
    if (server != null) {
      server.stop();
      server = null;
    }
    if (second != null) {
      second.stop();
      second = null;
    }
  }
}
