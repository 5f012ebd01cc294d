package dev.warden.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.openai.error.AuthenticationException;
import dev.warden.openai.error.ConnectionException;
import dev.warden.openai.error.ErrorInfo;
import dev.warden.openai.error.MalformedResponseException;
import dev.warden.openai.error.UpstreamTimeoutException;
import jakarta.json.bind.JsonbException;
import jakarta.ws.rs.ProcessingException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import org.junit.jupiter.api.Test;

class TransportFailureTest {

  @Test
  void readTimeoutsBecomeUpstreamTimeouts() {
    assertThat(
            OpenAiTransport.transportFailure(
                new ProcessingException(new SocketTimeoutException("Read timed out"))))
        .isInstanceOf(UpstreamTimeoutException.class)
        .matches(e -> e.isRetriable() && e.status() == 0);
  }

  @Test
  void refusedAndResetConnectionsAreRetriableConnectionFailures() {
    assertThat(
            OpenAiTransport.transportFailure(
                new ProcessingException(new ConnectException("Connection refused"))))
        .isExactlyInstanceOf(ConnectionException.class);
    assertThat(
            OpenAiTransport.transportFailure(
                new ProcessingException(new SocketException("Connection reset"))))
        .isExactlyInstanceOf(ConnectionException.class)
        .matches(e -> e.isRetriable());
  }

  @Test
  void unreadableJsonIsMalformed() {
    assertThat(
            OpenAiTransport.transportFailure(
                new ProcessingException(new JsonbException("Unexpected char"))))
        .isInstanceOf(MalformedResponseException.class);
  }

  @Test
  void anOpenAiExceptionWrappedByTheClientIsUnwrapped() {
    AuthenticationException auth = new AuthenticationException(ErrorInfo.of(401, "bad key"), null);
    assertThat(OpenAiTransport.transportFailure(new ProcessingException(auth))).isSameAs(auth);
  }
}
