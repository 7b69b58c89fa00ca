package io.xecure.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class HeaderNamesTest {

  @Test
  void everySpellingOfOneHeaderMatchesItsNormalForm() {
    for (String spelling : List.of("x-api-key", "X-API-Key", "X_API_KEY", "x_Api-kEy")) {
      assertThat(HeaderNames.normalise(spelling)).isEqualTo("x-api-key");
      assertThat(HeaderNames.sameAs(spelling, "x-api-key")).as(spelling).isTrue();
    }
  }

  @Test
  void otherNamesDoNotMatch() {
    for (String other : List.of("x-api-keys", "x-api-ke", "x-apikey", "x api-key", "")) {
      assertThat(HeaderNames.sameAs(other, "x-api-key")).as(other).isFalse();
    }
  }

  @Test
  void aCodecsAsciiStringMatchesLikeAString() {
    assertThat(HeaderNames.sameAs(io.netty.util.AsciiString.of("X_Api-KEY"), "x-api-key")).isTrue();
    assertThat(HeaderNames.startsWith("Access_Control-Allow-Origin", "access-control-")).isTrue();
    assertThat(
            HeaderNames.startsWith(
                io.netty.util.AsciiString.of("ACCESS-CONTROL-X"), "access-control-"))
        .isTrue();
    assertThat(HeaderNames.startsWith("access-contro", "access-control-")).isFalse();
    assertThat(HeaderNames.startsWith("x-access-control-", "access-control-")).isFalse();
  }

  /** sameAs must agree with normalise, beyond ASCII too (Latin-1 as a decoder reads the wire). */
  @Test
  void sameAsAgreesWithNormaliseForEveryLatin1Character() {
    for (char c = 0; c <= 0xff; c++) {
      String name = "x-api-ke" + c;
      assertThat(HeaderNames.sameAs(name, "x-api-key"))
          .as("U+%04X", (int) c)
          .isEqualTo(HeaderNames.normalise(name).equals("x-api-key"));
    }
    // the Kelvin sign lower-cases to an ASCII k under Locale.ROOT: both must say the same
    String kelvin = "x-api-\u212Aey";
    assertThat(HeaderNames.sameAs(kelvin, "x-api-key"))
        .isEqualTo(HeaderNames.normalise(kelvin).equals("x-api-key"));
  }

  @Test
  void theCacheOfNormalFormsStaysBounded() {
    for (int i = 0; i < 10_000; i++) {
      assertThat(HeaderNames.normalise("X-Random-" + i)).isEqualTo("x-random-" + i);
    }
    // and names past the cache's bound are still normalised, not refused
    assertThat(HeaderNames.normalise("X_Late_Name")).isEqualTo("x-late-name");
  }
}
