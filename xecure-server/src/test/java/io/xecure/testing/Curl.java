package io.xecure.testing;

import java.nio.charset.StandardCharsets;

/** curl, for the HTTP/2 clients Java 17's lacks (prior knowledge, streams that outlive GOAWAY). */
public final class Curl {
  private Curl() {}

  /** Whether a curl that speaks HTTP/2 is on the path ({@code .ci/run} installs one). */
  public static boolean speaksHttp2() {
    try {
      Process p = new ProcessBuilder("curl", "--version").redirectErrorStream(true).start();
      String version = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      return p.waitFor() == 0 && version.contains("HTTP2");
    } catch (Exception e) {
      return false;
    }
  }
}
