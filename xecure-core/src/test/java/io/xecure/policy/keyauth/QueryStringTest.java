package io.xecure.policy.keyauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class QueryStringTest {
  private static List<String> values(String query, String name) {
    List<String> out = new ArrayList<>();
    QueryString.values(query, name, out);
    return out;
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "api_key=k1               | k1",
        "a=1&api_key=k1&b=2       | k1",
        "api%5Fkey=k1             | k1",
        "api_key=%20k1            | ' k1'",
        "api_key=k1%09            | 'k1\t'",
        "api_key=k1+              | 'k1 '",
        "api_key=%00k1            | '\u0000k1'",
        "api_key=k1%00            | 'k1\u0000'",
        "api_key=a=b              | a=b",
      })
  void valuesAreTakenExactly(String query, String expected) {
    assertThat(values(query, "api_key")).containsExactly(expected);
  }

  @Test
  void aBrokenEscapeIsKeptAndMarkedSoTheValueIsNoKey() {
    assertThat(values("api_key=k%zz1&b=%", "api_key")).containsExactly("k%zz1\uFFFD");
  }

  @Test
  void everyOccurrenceIsReturnedAndOtherNamesAreNot() {
    assertThat(values("api_key=a&api_keys=b&xapi_key=c&api_key=d&api_key", "api_key"))
        .containsExactly("a", "d");
  }

  @Test
  void withoutRemovesEverySpellingAndKeepsTheRestByteForByte() {
    assertThat(QueryString.without("a=%20x&api_key=k&api%5Fkey=j&api_key&b=2+3", "api_key"))
        .isEqualTo("a=%20x&b=2+3");
    assertThat(QueryString.without("api_key=k", "api_key")).isNull();
  }

  /** The bug: indexOf('=') from each pair's start read the rest of the string for every pair. */
  @Test
  void readingAndRemovingAreLinearOnPairsWithoutValues() {
    assertLinear(q -> QueryString.values(q, "api_key", new ArrayList<>()));
    assertLinear(q -> QueryString.without(q, "api_key"));
  }

  private static void assertLinear(Consumer<CharSequence> parse) {
    long[] reads = new long[2];
    int[] sizes = {16 * 1024, 64 * 1024};
    for (int i = 0; i < 2; i++) {
      CountingChars text = new CountingChars("a&".repeat(sizes[i] / 2));
      parse.accept(text);
      reads[i] = text.reads();
      assertThat(reads[i]).as("reads for %d chars", sizes[i]).isLessThanOrEqualTo(4L * sizes[i]);
    }
    assertThat(reads[1]).isLessThanOrEqualTo(4 * reads[0] + 64);
  }
}
