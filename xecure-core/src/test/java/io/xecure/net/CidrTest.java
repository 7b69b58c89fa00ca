package io.xecure.net;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CidrTest {

  @ParameterizedTest(name = "{0} contains {1}: {2}")
  @CsvSource({
    "127.0.0.0/8,           127.0.0.1,          true",
    "127.0.0.1,             127.0.0.1,          true",
    "10.0.0.0/8,            127.0.0.1,          false",
    "192.168.1.0/25,        192.168.1.127,      true",
    "192.168.1.0/25,        192.168.1.128,      false",
    "0.0.0.0/0,             203.0.113.7,        true",
    "::1/128,               127.0.0.1,          false",
    "::1/128,               ::1,                true",
    "::1,                   0:0:0:0:0:0:0:1,    true",
    "2001:db8::/32,         2001:db8:ffff::1,   true",
    "2001:db8::/32,         2001:db9::1,        false",
    // IPv4-mapped IPv6 client against an IPv4 network, and an IPv4 client against a mapped network
    "127.0.0.0/8,           ::ffff:127.0.0.1,   true",
    "10.0.0.0/8,            ::ffff:127.0.0.1,   false",
    "::ffff:127.0.0.1/128,  127.0.0.1,          true",
    "::ffff:0:0/96,         198.51.100.9,       true",
    "::ffff:10.0.0.0/104,   127.0.0.1,          false",
    "::/0,                  127.0.0.1,          true",
    "127.0.0.0/8,           unknown,            false",
  })
  void contains(String cidr, String ip, boolean expected) {
    assertThat(parse(cidr).contains(ip)).isEqualTo(expected);
  }

  @Test
  void equalNetworksAreEqualWhateverTheHostBits() {
    assertThat(Cidr.parse("10.1.2.3/8")).isEqualTo(Cidr.parse("10.0.0.0/8"));
    assertThat(parse("10.0.0.0/8").hashCode()).isEqualTo(parse("10.9.9.9/8").hashCode());
    assertThat(Cidr.parse("10.0.0.0/8")).isNotEqualTo(Cidr.parse("10.0.0.0/16"));
  }

  private static Cidr parse(String spec) {
    Cidr cidr = Cidr.parse(spec);
    assertThat(cidr).as(spec).isNotNull();
    return java.util.Objects.requireNonNull(cidr);
  }

  @Test
  void refusesNamesAndBadPrefixes() {
    assertThat(Cidr.parse("localhost")).isNull();
    assertThat(Cidr.parse("10.0.0.0/33")).isNull();
    assertThat(Cidr.parse("10.0.0.0/")).isNull();
    assertThat(Cidr.parse("::1/129")).isNull();
  }
}
