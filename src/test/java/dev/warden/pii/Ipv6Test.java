package dev.warden.pii;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Ipv6Test {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "::",
        "::1",
        "1::",
        "1::8",
        "2001:db8::1",
        "2001:0db8:0000:0000:0000:ff00:0042:8329",
        "2001:DB8:0:0:8:800:200C:417A",
        "fe80::1ff:fe23:4567:890a",
        "1:2:3:4:5:6:7::", // "::" for a single zero group
        "::2:3:4:5:6:7:8",
        "1:2:3::6:7:8",
        "::ffff:192.0.2.128",
        "64:ff9b::192.0.2.33",
        "1:2:3:4:5:6:1.2.3.4",
        "::1.2.3.4",
        "::0.0.0.0",
        "::255.255.255.255"
      })
  void validAddresses(String address) {
    assertThat(Ipv6.isValid(address)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        ":",
        ":::",
        "1:2:3:4:5:6:7", // seven groups
        "1:2:3:4:5:6:7:8:9", // nine groups
        "1:2:3:4:5:6:7:8::", // "::" with eight groups already
        "::1:2:3:4:5:6:7:8",
        "1:2:3::4:5:6:7:8",
        "1::2::3", // two "::"
        "2001:db8:::1",
        "12:30:45", // a time
        "00:1A:2B:3C:4D:5E", // a MAC address
        "12345::1", // five hex digits
        "g::1",
        "fe80::1:", // a trailing single colon
        ":fe80::1", // a leading single colon
        "1:2:3:4:5:6:7:8:",
        "::ffff:01.2.3.4", // a leading zero in the IPv4 tail
        "::ffff:256.1.1.1",
        "::ffff:1.2.3",
        "::ffff:1.2.3.4.5",
        "::ffff:1..3.4",
        "::ffff:1.2.3.",
        "::1.2.3.4:5", // the IPv4 part only at the end
        "1.2.3.4::",
        "1:2:3:4:5:6:7:1.2.3.4", // nine groups' worth
        "1.2.3.4", // IPv4 alone
        "std::vector"
      })
  void invalidAddresses(String address) {
    assertThat(Ipv6.isValid(address)).isFalse();
  }

  @Test
  void theIpv4PartChecksFourOctetsInRange() {
    assertThat(Ipv6.ipv4("x10.0.0.1y", 1, 9)).isTrue();
    assertThat(Ipv6.ipv4("1000.0.0.1", 0, 10)).isFalse();
    assertThat(Ipv6.ipv4("10.0.0", 0, 6)).isFalse();
    assertThat(Ipv6.ipv4("10.0.0.1.", 0, 9)).isFalse();
  }

  @Test
  void theDetectorFindsAddressesInTextAndLeavesLookalikesAlone() {
    PiiEngine engine = new PiiEngine(PiiPolicy.defaults());
    assertThat(
            engine
                .redact(
                    "From 2001:db8::1 and 1:2:3:4:5:6:7:: via fe80::1ff:fe23:4567:890a at 12:30:45.",
                    null,
                    new PlaceholderVault())
                .text())
        .isEqualTo("From <IP_1> and <IP_2> via <IP_3> at 12:30:45.");
    assertThat(engine.detect("ratio 1:2:3:4:5:6:7:8:9 and 1::2::3, std::vector", null)).isEmpty();
  }
}
