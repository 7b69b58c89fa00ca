package io.xecure.config;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Map;

/**
 * Fuzzes {@link ConfigLoader#parse} with arbitrary text: it either returns a configuration or
 * throws {@link ConfigException} whose every problem is one line {@code "<path>: <message>"}; no
 * other exception, no stack trace, nothing that breaks the one-problem-per-line report start-up
 * prints.
 *
 * <p>Every build replays {@code src/test/resources/io/xecure/config/ConfigLoaderFuzzTestInputs/
 * parse/} (each file is one YAML text); {@code scripts/fuzz.sh} fuzzes it.
 */
class ConfigLoaderFuzzTest {
  private static final Map<String, String> ENV =
      Map.of("TOKEN", "0123456789abcdef0123456789abcdef", "EMPTY", "", "PORT", "8080");

  @FuzzTest
  void parse(byte[] input) {
    String yaml = new String(input, UTF_8);
    try {
      assertThat(ConfigLoader.parse(yaml, ENV)).isNotNull();
    } catch (ConfigException e) {
      assertThat(e.problems()).isNotEmpty();
      assertThat(e.getMessage()).isEqualTo(String.join("\n", e.problems()));
      assertThat(e.getCause()).isNull();
      for (String problem : e.problems()) {
        int colon = problem.indexOf(": ");
        assertThat(colon).as("no path in %s", problem).isPositive();
        assertThat(problem.substring(colon + 2)).as(problem).isNotBlank();
        assertThat(problem).as("one line").doesNotContain("\n", "\r");
        assertThat(problem).as("no stack trace").doesNotContain("\tat ", "Exception");
      }
    }
  }
}
