package io.xecure.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.xecure.admin.AdminFixture.Response;
import io.xecure.keys.KeyOutcome;
import io.xecure.store.Store;
import io.xecure.testing.MemoryStore;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * A million-line import through HTTP must finish in minutes. Too slow for every build: run with
 * {@code -Dxecure.scale=true}.
 */
@EnabledIfSystemProperty(named = "xecure.scale", matches = "true")
class BulkImportScaleTest {
  static final int LINES = 1_000_000;

  Store store(Path dir) throws Exception {
    return new MemoryStore();
  }

  @Test
  void importsAMillionKeysInMinutes(@TempDir Path dir) throws Exception {
    StringBuilder body = new StringBuilder(LINES * 30);
    for (int i = 0; i < LINES; i++) {
      body.append("legacy-").append(String.format("%020d", i)).append('\n');
    }
    Path file = Files.writeString(dir.resolve("keys.txt"), body);
    try (AdminFixture admin = new AdminFixture(store(dir))) {
      String dev = admin.developer("bulk");
      long start = System.nanoTime();
      Response r =
          admin.send(
              admin
                  .authorized("/admin/developers/" + dev + "/keys/import")
                  .timeout(Duration.ofMinutes(10))
                  .header("content-type", "text/plain")
                  .POST(HttpRequest.BodyPublishers.ofFile(file)));
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      System.err.println("imported " + LINES + " keys in " + took);
      assertThat(r.status()).as(r.body()).isEqualTo(200);
      assertThat(r.json().getInteger("imported")).isEqualTo(LINES);
      assertThat(admin.verify("legacy-" + String.format("%020d", 4242)))
          .isEqualTo(KeyOutcome.VALID);
      assertThat(took).isLessThan(Duration.ofMinutes(5));
    }
  }
}
