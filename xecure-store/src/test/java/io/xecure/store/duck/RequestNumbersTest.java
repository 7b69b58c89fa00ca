package io.xecure.store.duck;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RequestNumbersTest {
  private static final char[] DIGITS = "0123456789abcdefghijklmnopqrstuv".toCharArray();

  @Test
  void everyIdOfTheGatewaysFormIsSpelledBackFromItsNumber() {
    SplittableRandom random = new SplittableRandom(7);
    for (int n = 0; n < 10_000; n++) {
      char[] id = new char[RequestNumbers.LENGTH];
      for (int i = 0; i < id.length; i++) {
        id[i] = DIGITS[random.nextInt(DIGITS.length)];
      }
      String s = new String(id);
      assertThat(RequestNumbers.fits(s)).isTrue();
      assertThat(RequestNumbers.id(RequestNumbers.low(s), RequestNumbers.high(s))).isEqualTo(s);
    }
    for (String edge : new String[] {"00000000000000000000", "vvvvvvvvvvvvvvvvvvvv"}) {
      assertThat(RequestNumbers.id(RequestNumbers.low(edge), RequestNumbers.high(edge)))
          .isEqualTo(edge);
    }
  }

  @Test
  void anyOtherIdDoesNotFit() {
    assertThat(RequestNumbers.fits("req-1")).isFalse();
    assertThat(RequestNumbers.fits("0123456789abcdefghi")).as("19 characters").isFalse();
    assertThat(RequestNumbers.fits("0123456789abcdefghijk")).as("21 characters").isFalse();
    assertThat(RequestNumbers.fits("0123456789abcdefghiw")).as("w is not a digit").isFalse();
    assertThat(RequestNumbers.fits("0123456789ABCDEFGHIJ")).as("upper case").isFalse();
    assertThat(RequestNumbers.fits("0123456789abcdefghi-")).isFalse();
  }
}
