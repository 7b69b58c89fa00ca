package io.xecure.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;

/** Configuration files as an operator writes them (SPEC §3), in a test's directory. */
final class ConfigFiles {
  private static final SecureRandom RANDOM = new SecureRandom();

  private ConfigFiles() {}

  /**
   * One API named {@code echo} on {@code /echo} in front of {@code upstream}, the store, the events
   * file and the events spool under {@code dir/data} (so a search of it covers all three), the
   * admin token from {@code XECURE_ADMIN_TOKEN}. The brute-force guard is raised out of the way:
   * these tests present many wrong keys from one address on purpose.
   *
   * @param keyIn the YAML list of key locations, e.g. {@code [ "header:X-API-Key" ]}
   */
  static Path serve(Path dir, int port, int adminPort, String upstream, String keyIn)
      throws IOException {
    String data = dir.resolve("data").toAbsolutePath().toString();
    String yaml =
        """
        gateway: { port: %d, bind: 127.0.0.1, shutdown_grace: 10s, brute_force: { threshold: 100000 } }
        admin: { port: %d, bind: 127.0.0.1, token: "${XECURE_ADMIN_TOKEN}" }
        store: { url: "jdbc:h2:file:%s/xecure" }
        events: { file: "%s/events.jsonl", spool_dir: "%s/spool" }
        keys: { prefix: "xk_", pepper: "e2e-pepper-4b1d0c7e9a" }
        apis:
          - name: echo
            path: /echo
            upstream: %s
            key_auth:
              in: %s
              hide_credentials: true
        """
            .formatted(port, adminPort, data, data, data, upstream, keyIn);
    Path file = dir.resolve("xecure.yaml");
    Files.writeString(file, yaml);
    return file;
  }

  /** A random admin token of 40 characters. */
  static String token() {
    StringBuilder s = new StringBuilder("e2e_");
    String digits = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    for (int i = 0; i < 36; i++) {
      s.append(digits.charAt(RANDOM.nextInt(digits.length())));
    }
    return s.toString();
  }
}
