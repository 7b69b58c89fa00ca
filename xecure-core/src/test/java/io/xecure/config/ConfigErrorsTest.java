package io.xecure.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigErrorsTest {
  static List<String> problems(String yaml) {
    return problems(yaml, Map.of());
  }

  static List<String> problems(String yaml, Map<String, String> env) {
    ConfigException e =
        catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parse(yaml, env));
    assertThat(e).as("expected a ConfigException").isNotNull();
    assertThat(e.getMessage()).isEqualTo(String.join("\n", e.problems()));
    return e.problems();
  }

  /** One API that is valid as it stands, with {@code extra} lines added to it. */
  static String api(String extra) {
    return """
        apis:
          - name: a
            path: /a
            upstream: http://localhost:9000
        """
        + extra.indent(4);
  }

  @Test
  void unknownFieldsEverywhere() {
    assertThat(
            problems(
                """
                gateway: { prot: 8080 }
                admin: { tokn: x }
                plans: { free: { rate: { limit: 1, per: 1s, burst: 2 }, extra: 1 } }
                apis:
                  - name: a
                    path: /a
                    upstream: http://localhost:9000
                    key_auth: { in: [bearer], hide: true }
                    cors: { origins: ["*"], credentials: true }
                    access: [ { path: /a, scopes: [s], method: GET } ]
                    plan: free
                logging: debug
                """))
        .containsExactly(
            "gateway.prot: unknown field",
            "admin.tokn: unknown field",
            "plans.free.rate.burst: unknown field",
            "plans.free.extra: unknown field",
            "apis[0].key_auth.hide: unknown field",
            "apis[0].cors.credentials: unknown field",
            "apis[0].access[0].method: unknown field",
            "apis[0].plan: unknown field",
            "logging: unknown field");
  }

  /** Found by ConfigLoaderFuzzTest: a field name may hold any character, a line break too. */
  @Test
  void everyProblemIsOneLineWhateverTheFieldName() {
    assertThat(problems("\"gate\\nway\\r\": 1\ngateway: { \"a\\tb\\u0000\": 1 }\n"))
        .containsExactlyInAnyOrder(
            "gate\\nway\\r: unknown field", "gateway.a\\tb\\u0000: unknown field");
  }

  @Test
  void accessPathsMustBeCanonicalisable() {
    assertThat(
            problems(
                """
                apis:
                  - name: a
                    path: /a
                    upstream: http://localhost:9000
                    access:
                      - { path: "/a/%2Fadmin/**", scopes: [ a:read ] }
                      - { path: "/a/../../x", scopes: [ a:read ] }
                      - { path: "/a/**", scopes: [ a:read ] }
                      - { path: "/a/%2a", scopes: [ a:read ] }
                      - { path: "/a/%40me/**", scopes: [ a:read ] }
                """))
        .hasSize(3)
        .anyMatch(p -> p.startsWith("apis[0].access[0].path: is not a valid path"))
        .anyMatch(p -> p.startsWith("apis[0].access[1].path: is not a valid path"))
        .anyMatch(p -> p.startsWith("apis[0].access[3].path: must not contain %2A"));
  }

  @Test
  void gatewayValues() {
    assertThat(
            problems(
                """
                gateway:
                  port: abc
                  bind: "not an address"
                  trusted_proxies: [10.0.0.0/33, example.com, "::1/129", 300.1.1.1, "[::1]"]
                  shutdown_grace: 10 seconds
                """))
        .containsExactly(
            "gateway.port: must be an integer from 0 to 65535, got \"abc\"",
            "gateway.bind: must be an IP address or a host name, got \"not an address\"",
            "gateway.trusted_proxies[0]: must be an IP address or a CIDR such as 10.0.0.0/8 or"
                + " fd00::/8, got \"10.0.0.0/33\"",
            "gateway.trusted_proxies[1]: must be an IP address or a CIDR such as 10.0.0.0/8 or"
                + " fd00::/8, got \"example.com\"",
            "gateway.trusted_proxies[2]: must be an IP address or a CIDR such as 10.0.0.0/8 or"
                + " fd00::/8, got \"::1/129\"",
            "gateway.trusted_proxies[3]: must be an IP address or a CIDR such as 10.0.0.0/8 or"
                + " fd00::/8, got \"300.1.1.1\"",
            "gateway.trusted_proxies[4]: must be an IP address or a CIDR such as 10.0.0.0/8 or"
                + " fd00::/8, got \"[::1]\"",
            "gateway.shutdown_grace: must be a duration such as 500ms, 30s, 5m, 24h or 7d, got"
                + " \"10 seconds\"");
  }

  @Test
  void portOutOfRangeAndWrongTypes() {
    assertThat(
            problems(
                """
                gateway: { port: 70000, trusted_proxies: { a: 1 } }
                admin: { port: -1 }
                events: { enabled: maybe }
                store: [ 1 ]
                """))
        .containsExactly(
            "gateway.port: must be an integer from 0 to 65535, got \"70000\"",
            "gateway.trusted_proxies: expected a list, got a mapping",
            "admin.port: must be an integer from 0 to 65535, got \"-1\"",
            "store: expected a mapping, got a list",
            "events.enabled: must be true or false, got \"maybe\"");
  }

  @Test
  void adminTokenRules() {
    assertThat(problems("admin: { bind: 0.0.0.0 }"))
        .containsExactly(
            "admin.token: required, at least 32 characters, when admin.bind is not a loopback"
                + " address");
    assertThat(problems("admin: { bind: 10.1.2.3, token: 0123456789abcdefghij }"))
        .containsExactly(
            "admin.token: required, at least 32 characters, when admin.bind is not a loopback"
                + " address");
    assertThat(problems("admin: { token: short-token }"))
        .containsExactly("admin.token: must be at least 16 characters");
  }

  @Test
  void loopbackAdminBindsNeedNoToken() throws ConfigException {
    for (String bind : List.of("127.0.0.1", "127.9.9.9", "::1", "localhost")) {
      assertThat(ConfigLoader.parse("admin: { bind: \"" + bind + "\" }", Map.of()).admin().bind())
          .isEqualTo(bind);
    }
  }

  @Test
  void valuesKeepTheirTextAsWritten() throws ConfigException {
    GatewayConfig config =
        ConfigLoader.parse(
            "admin: { token: 0x1F2E3D4C5B6A79880x1F2E3D4C5B6A7988 }\nkeys: { pepper: 1.10000000000000000 }\n",
            Map.of());

    assertThat(config.admin().token()).isEqualTo("0x1F2E3D4C5B6A79880x1F2E3D4C5B6A7988");
    assertThat(config.keys().pepper()).isEqualTo("1.10000000000000000");
    assertThat(problems("events: { enabled: yes }"))
        .containsExactly("events.enabled: must be true or false, got \"yes\"");
  }

  @Test
  void emptyValuesAreAbsent() throws ConfigException {
    GatewayConfig config =
        ConfigLoader.parse(
            "admin: { token: \"\" }\nkeys: { pepper: '' }\nevents:\n  file:\n", Map.of());

    assertThat(config.admin().token()).isNull();
    assertThat(config.keys().pepper()).isNull();
    assertThat(config.events().file()).isNull();
  }

  @Test
  void tokenIsNeverEchoed() {
    assertThat(String.join("\n", problems("admin: { token: sup3r-s3cret }")))
        .doesNotContain("sup3r-s3cret");
  }

  @Test
  void storeClusterKeysEvents() {
    assertThat(
            problems(
                """
                store: { url: "postgres://xecure:hunter2@db/xecure?password=hunter2" }
                cluster: { redis: "http://:hunter2@cache:6379" }
                keys: { prefix: "xk" }
                """))
        .containsExactly(
            "store.url: must start with jdbc:h2: or jdbc:postgresql:, got"
                + " \"postgres://***@db/xecure?password=***\"",
            "cluster.redis: must be a redis:// or rediss:// URL with a host, got"
                + " \"http://***@cache:6379\"",
            "keys.prefix: must be 1 to 16 characters of A-Z, a-z, 0-9 and _, ending with _, got"
                + " \"xk\"");
  }

  @Test
  void clusterIntervalsArePositiveDurations() {
    assertThat(
            problems(
                """
                cluster: { poll_interval: 0s, max_staleness: soon, heartbeat_interval: -1s }
                """))
        .containsExactly(
            "cluster.poll_interval: must be a positive duration such as 500ms, 30s, 5m, 24h or"
                + " 7d, got \"0s\"",
            "cluster.max_staleness: must be a positive duration such as 500ms, 30s, 5m, 24h or"
                + " 7d, got \"soon\"",
            "cluster.heartbeat_interval: must be a positive duration such as 500ms, 30s, 5m, 24h"
                + " or 7d, got \"-1s\"");
  }

  @Test
  void aShortPepperIsRefusedAndNeverEchoed() throws ConfigException {
    List<String> problems = problems("keys: { pepper: short-pepper-15 }");
    assertThat(problems)
        .containsExactly(
            "keys.pepper: must be at least 16 bytes (a random secret, e.g. openssl rand -base64"
                + " 32)");
    assertThat(String.join("\n", problems)).doesNotContain("short-pepper");
    assertThat(problems("keys: {}", Map.of("XECURE_KEYS_PEPPER", "tiny"))).hasSize(1);
    // bytes, not characters: 8 two-byte characters are enough
    assertThat(ConfigLoader.parse("keys: { pepper: ééééééééé }", Map.of()).keys().pepper())
        .hasSize(9);
  }

  @Test
  void redactParamsAreQueryParameterNames() {
    assertThat(problems("events: { redact_params: [ sig, \"a&b\", \"a b\" ] }"))
        .hasSize(2)
        .allMatch(p -> p.startsWith("events.redact_params"))
        .allMatch(p -> p.contains("must be a query parameter name"));
  }

  @Test
  void keyPrefixRules() {
    assertThat(problems("keys: { prefix: \"x-k_\" }"))
        .containsExactly(
            "keys.prefix: must be 1 to 16 characters of A-Z, a-z, 0-9 and _, ending with _, got"
                + " \"x-k_\"");
    assertThat(problems("keys: { prefix: abcdefghijklmnop_ }")).hasSize(1);
  }

  @Test
  void planProblems() {
    assertThat(
            problems(
                """
                plans:
                  Free: { rate: { limit: 1, per: 1s } }
                  empty: {}
                  bad:
                    rate: { limit: 0, per: 0s }
                    quota: { per: week }
                    limit_by: ip
                  nothing:
                """))
        .containsExactly(
            "plans.Free: a plan name must be 1 to 64 characters of a-z, 0-9, _ and -",
            "plans.empty: needs rate, quota or both",
            "plans.bad.rate.limit: must be a positive integer, got \"0\"",
            "plans.bad.rate.per: must be a positive duration such as 500ms, 30s, 5m, 24h or 7d,"
                + " got \"0s\"",
            "plans.bad.quota.limit: required",
            "plans.bad.quota.per: must be minute, hour, day or month, got \"week\"",
            "plans.bad.limit_by: must be key or developer, got \"ip\"",
            "plans.nothing: needs rate, quota or both");
  }

  @Test
  void plansMustBeAMapping() {
    assertThat(problems("plans: [ free ]"))
        .containsExactly("plans: expected a mapping, got a list");
    assertThat(problems("plans: { free: 10/s }"))
        .containsExactly("plans.free: expected a mapping, got \"10/s\"");
  }

  @Test
  void apiRequiredFields() {
    assertThat(problems("apis:\n  - { strip_path: true }\n  - just-a-string\n"))
        .containsExactly(
            "apis[0].name: required",
            "apis[0].path: required",
            "apis[0].upstream: required",
            "apis[1]: expected a mapping, got \"just-a-string\"");
  }

  @Test
  void apiNameAndPath() {
    String yaml =
        """
        apis:
          - { name: Users, path: users, upstream: "http://h" }
          - { name: b, path: /b/, upstream: "http://h" }
          - { name: c, path: /c//d, upstream: "http://h" }
          - { name: d, path: /d/../e, upstream: "http://h" }
          - { name: e, path: /e/./f, upstream: "http://h" }
          - { name: f, path: /caf%C3%A9, upstream: "http://h" }
          - { name: g, path: "/a b", upstream: "http://h" }
          - { name: h, path: "/x;y", upstream: "http://h" }
        """;
    assertThat(problems(yaml))
        .containsExactly(
            "apis[0].name: must be 1 to 64 characters of a-z, 0-9, _ and -, got \"Users\"",
            "apis[0].path: must start with /, got \"users\"",
            "apis[1].path: must not end with / (unless it is exactly /), got \"/b/\"",
            "apis[2].path: must not contain //, got \"/c//d\"",
            "apis[3].path: must not contain . or .. segments, got \"/d/../e\"",
            "apis[4].path: must not contain . or .. segments, got \"/e/./f\"",
            "apis[5].path: must not contain %: write the path decoded, got \"/caf%C3%A9\"",
            "apis[6].path: must contain only letters, digits, / and -._~!$&'()*+,=:@, got \"/a"
                + " b\"",
            "apis[7].path: must contain only letters, digits, / and -._~!$&'()*+,=:@, got"
                + " \"/x;y\"");
  }

  @Test
  void duplicateApiNamesAndPaths() {
    assertThat(
            problems(
                """
                apis:
                  - { name: a, path: /a, upstream: "http://h" }
                  - { name: b, path: /a, upstream: "http://h" }
                  - { name: a, path: /c, upstream: "http://h" }
                """))
        .containsExactly(
            "apis[1].path: \"/a\" is already used by apis[0]",
            "apis[2].name: \"a\" is already used by apis[0]");
  }

  @Test
  void upstreams() {
    String yaml =
        """
        apis:
          - { name: a, path: /a, upstream: "localhost:9000" }
          - { name: b, path: /b, upstream: "ftp://files.example.com" }
          - { name: c, path: /c, upstream: [ "http://ok:1", "/relative", "http://h/?q=1" ] }
          - { name: d, path: /d, upstream: [] }
          - { name: e, path: /e, upstream: "http://user:hunter2@h" }
          - { name: f, path: /f, upstream: "http://h#frag" }
          - { name: g, path: /g, upstream: { url: "http://h" } }
          - { name: h, path: /h, upstream: "http://h:99999" }
        """;
    assertThat(problems(yaml))
        .containsExactly(
            "apis[0].upstream: not an absolute http(s) URL, got \"localhost:9000\"",
            "apis[1].upstream: not an absolute http(s) URL, got \"ftp://files.example.com\"",
            "apis[2].upstream[1]: not an absolute http(s) URL, got \"/relative\"",
            "apis[2].upstream[2]: must not have a query or fragment, got \"http://h/?q=1\"",
            "apis[3].upstream: must not be empty",
            "apis[4].upstream: must not contain user info (credentials)",
            "apis[5].upstream: must not have a query or fragment, got \"http://h#frag\"",
            "apis[6].upstream: expected a list, got a mapping",
            "apis[7].upstream: not an absolute http(s) URL, got \"http://h:99999\"");
  }

  @Test
  void keyAuthLocationsAndLimits() {
    assertThat(
            problems(
                api(
                    """
                    timeout: 0s
                    strip_path: sometimes
                    key_auth:
                      in: [ "header:X-API-Key", "bearer", "cookie:x", "query:", 7 ]
                      hide_credentials: nope
                      max_body: 2GiB
                    """)))
        .containsExactly(
            "apis[0].strip_path: must be true or false, got \"sometimes\"",
            "apis[0].timeout: must be a positive duration such as 500ms, 30s, 5m, 24h or 7d, got"
                + " \"0s\"",
            "apis[0].key_auth.in[2]: expected header:NAME, bearer, query:NAME or body:FIELD, got"
                + " \"cookie:x\"",
            "apis[0].key_auth.in[3]: expected header:NAME, bearer, query:NAME or body:FIELD, got"
                + " \"query:\"",
            "apis[0].key_auth.in[4]: expected header:NAME, bearer, query:NAME or body:FIELD, got"
                + " \"7\"",
            "apis[0].key_auth.hide_credentials: must be true or false, got \"nope\"",
            "apis[0].key_auth.max_body: must be a size such as 512KiB, 1MiB or 10MB (1 byte to"
                + " 1GiB), got \"2GiB\"");
    assertThat(problems(api("key_auth: { in: [] }")))
        .containsExactly("apis[0].key_auth.in: must not be empty");
  }

  @Test
  void defaultPlanMustExist() {
    assertThat(problems(api("default_plan: gold")))
        .containsExactly("apis[0].default_plan: unknown plan \"gold\" (no plans are defined)");
    assertThat(
            problems(
                "plans: { pro: { rate: { limit: 1, per: 1s } }, free: { quota: { limit: 1, per:"
                    + " day } } }\n"
                    + api("default_plan: gold")))
        .containsExactly("apis[0].default_plan: unknown plan \"gold\" (plans: free, pro)");
  }

  @Test
  void invalidPlanIsStillAKnownName() {
    assertThat(problems("plans: { free: {} }\n" + api("default_plan: free")))
        .containsExactly("plans.free: needs rate, quota or both");
  }

  @Test
  void corsProblems() {
    assertThat(
            problems(
                api(
                    """
                    cors:
                      origins: [ "https://ok.example.com", "app.example.com", "https://x.com/path" ]
                      methods: [ "GE T" ]
                      headers: [ "X Bad" ]
                      max_age: soon
                    """)))
        .containsExactly(
            "apis[0].cors.origins[1]: must be * or an origin such as https://app.example.com,"
                + " got \"app.example.com\"",
            "apis[0].cors.origins[2]: must be * or an origin such as https://app.example.com,"
                + " got \"https://x.com/path\"",
            "apis[0].cors.methods[0]: must be an HTTP method such as GET, got \"GE T\"",
            "apis[0].cors.headers[0]: must be a header name, got \"X Bad\"",
            "apis[0].cors.max_age: must be a number of seconds or a duration such as 10m, got"
                + " \"soon\"");
    assertThat(problems(api("cors: { methods: [GET] }")))
        .containsExactly("apis[0].cors.origins: required");
    assertThat(problems(api("cors: { origins: [] }")))
        .containsExactly("apis[0].cors.origins: must not be empty");
  }

  @Test
  void accessRuleProblems() {
    assertThat(
            problems(
                api(
                    """
                    access:
                      - { methods: [GET], path: a/**, scopes: [ "a:read" ] }
                      - { path: "/a/*.json", scopes: [] }
                      - { methods: [ "G(T" ], path: /a }
                      - { path: /a, scopes: [ "has space" ] }
                    """)))
        .containsExactly(
            "apis[0].access[0].path: must start with /, got \"a/**\"",
            "apis[0].access[1].path: * and ** must be whole segments, got \"/a/*.json\"",
            "apis[0].access[1].scopes: must not be empty",
            "apis[0].access[2].methods[0]: must be an HTTP method such as GET, got \"G(T\"",
            "apis[0].access[2].scopes: required",
            "apis[0].access[3].scopes[0]: must be a scope such as users:read, without spaces,"
                + " got \"has space\"");
  }

  @Test
  void everyProblemIsReportedTogether() {
    assertThat(
            problems(
                """
                gateway: { port: abc, prot: 1 }
                admin: { bind: 0.0.0.0 }
                keys: { prefix: nope }
                apis:
                  - { name: a, path: /a, upstream: "http://h" }
                  - { name: b, path: /b, upstream: "nope" }
                """))
        .containsExactly(
            "gateway.port: must be an integer from 0 to 65535, got \"abc\"",
            "gateway.prot: unknown field",
            "admin.token: required, at least 32 characters, when admin.bind is not a loopback"
                + " address",
            "keys.prefix: must be 1 to 16 characters of A-Z, a-z, 0-9 and _, ending with _, got"
                + " \"nope\"",
            "apis[1].upstream: not an absolute http(s) URL, got \"nope\"");
  }

  @Test
  void notAMapping() {
    assertThat(problems("- a\n- b\n")).containsExactly("(root): expected a mapping, got a list");
    assertThat(problems("just text"))
        .containsExactly("(root): expected a mapping, got \"just text\"");
  }

  @Test
  void duplicateKeys() {
    assertThat(problems("gateway:\n  port: 1\n  port: 2\n"))
        .containsExactly("gateway.port: duplicate key (line 3, column 7)");
    assertThat(problems("apis:\n  - name: a\n    name: b\n"))
        .containsExactly("apis[0].name: duplicate key (line 3, column 9)");
    assertThat(problems("admin: {}\nadmin: {}\n"))
        .containsExactly("admin: duplicate key (line 2, column 6)");
  }

  @Test
  void oneDocumentOnly() {
    assertThat(problems("gateway: {}\n---\nadmin: {}\n"))
        .containsExactly("line 3, column 1: more than one YAML document");
  }

  @Test
  void unparseableYamlIsOneLine() {
    assertThat(problems("gateway: { port: 8080\nadmin: {}\n"))
        .containsExactly("line 2, column 6: invalid YAML: expected ',' or '}', but got :");
    assertThat(problems("a: b: c\n"))
        .containsExactly("line 1, column 5: invalid YAML: mapping values are not allowed here");
  }
}
