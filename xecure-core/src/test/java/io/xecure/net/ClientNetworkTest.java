package io.xecure.net;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ClientNetworkTest {
  @Test
  void ipv4IsItself() {
    assertThat(ClientNetwork.of("203.0.113.7")).isEqualTo("203.0.113.7");
  }

  @Test
  void ipv6IsItsSlash64() {
    assertThat(ClientNetwork.of("2001:db8:1:2:aaaa:bbbb:cccc:dddd"))
        .isEqualTo(ClientNetwork.of("2001:0db8:0001:0002::1"))
        .isEqualTo("2001:db8:1:2::/64");
    assertThat(ClientNetwork.of("2001:db8:1:3::1")).isEqualTo("2001:db8:1:3::/64");
    assertThat(ClientNetwork.of("::1")).isEqualTo("0:0:0:0::/64");
  }

  @Test
  void mappedIpv4IsTheIpv4Address() {
    assertThat(ClientNetwork.of("::ffff:192.0.2.1")).isEqualTo("192.0.2.1");
  }

  @Test
  void anythingElseIsKeptAsGiven() {
    assertThat(ClientNetwork.of("unknown")).isEqualTo("unknown");
    assertThat(ClientNetwork.of("not:an:address")).isEqualTo("not:an:address");
  }
}
