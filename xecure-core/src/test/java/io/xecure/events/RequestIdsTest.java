package io.xecure.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RequestIdsTest {
  private static final char[] DIGITS = "0123456789abcdefghijklmnopqrstuv".toCharArray();

  @Test
  void everyIdOfTheGatewaysFormIsSpelledBackFromItsNumber() {
    SplittableRandom random = new SplittableRandom(7);
    for (int n = 0; n < 10_000; n++) {
      char[] id = new char[RequestIds.LENGTH];
      for (int i = 0; i < id.length; i++) {
        id[i] = DIGITS[random.nextInt(DIGITS.length)];
      }
      String s = new String(id);
      assertThat(RequestIds.fits(s)).isTrue();
      assertThat(RequestIds.spell(RequestIds.low(s), RequestIds.high(s))).isEqualTo(s);
    }
    for (String edge : new String[] {"00000000000000000000", "vvvvvvvvvvvvvvvvvvvv"}) {
      assertThat(RequestIds.spell(RequestIds.low(edge), RequestIds.high(edge))).isEqualTo(edge);
    }
  }

  @Test
  void anyOtherIdDoesNotFit() {
    assertThat(RequestIds.fits("req-1")).isFalse();
    assertThat(RequestIds.fits("0123456789abcdefghi")).as("19 characters").isFalse();
    assertThat(RequestIds.fits("0123456789abcdefghijk")).as("21 characters").isFalse();
    assertThat(RequestIds.fits("0123456789abcdefghiw")).as("w is not a digit").isFalse();
    assertThat(RequestIds.fits("0123456789ABCDEFGHIJ")).as("upper case").isFalse();
    assertThat(RequestIds.fits("0123456789abcdefghi-")).isFalse();
  }

  @Test
  void aNewIdIsOfTheFormAndSpellsItsNumbersBack() {
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (int n = 0; n < 1_000; n++) {
      String id = RequestIds.next();
      assertThat(RequestIds.fits(id)).as(id).isTrue();
      assertThat(RequestIds.spell(RequestIds.low(id), RequestIds.high(id))).isEqualTo(id);
      seen.add(id);
    }
    assertThat(seen).hasSize(1_000);
  }
}
