package io.xecure.config;

import static io.xecure.config.ConfigErrorsTest.problems;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code portal}: absent means no portal; defaults, values, overrides and problems. */
class PortalConfigTest {
  @Test
  void absentMeansNoPortal() throws ConfigException {
    assertThat(ConfigLoader.parse("", Map.of()).portal()).isNull();
  }

  @Test
  void anEmptySectionIsAPortalOnLoopbackPort8082() throws ConfigException {
    assertThat(ConfigLoader.parse("portal: {}", Map.of()).portal())
        .isEqualTo(new PortalConfig(8082, "127.0.0.1"));
  }

  @Test
  void readsEveryFieldAndTheEnvironmentOverridesThem() throws ConfigException {
    PortalConfig portal =
        ConfigLoader.parse(
                "portal: { port: 9090, bind: 0.0.0.0, url: \"https://dev.example.com/\","
                    + " gateway_url: https://api.example.com }",
                Map.of("XECURE_PORTAL_PORT", "9443"))
            .portal();

    assertThat(portal)
        .isEqualTo(
            new PortalConfig(
                9443, "0.0.0.0", "https://dev.example.com", "https://api.example.com"));
  }

  @Test
  void reportsEveryBadValueWithItsPath() {
    assertThat(problems("portal: { port: 70000, bind: nowhere!, url: ftp://x, colour: red }"))
        .hasSize(4)
        .anySatisfy(p -> assertThat(p).startsWith("portal.port: "))
        .anySatisfy(p -> assertThat(p).startsWith("portal.bind: "))
        .contains(
            "portal.url: not an absolute http(s) URL without query, got \"ftp://x\"",
            "portal.colour: unknown field");
  }

  @Test
  void portalMustBeAMapping() {
    assertThat(problems("portal: 8082"))
        .containsExactly("portal: expected a mapping, got \"8082\"");
  }
}
