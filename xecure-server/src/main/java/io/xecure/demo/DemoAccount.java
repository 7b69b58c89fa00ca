package io.xecure.demo;

import io.vertx.core.Future;
import io.xecure.app.Gateway;
import io.xecure.model.ApiKeyRecord;
import io.xecure.model.Developer;
import io.xecure.model.DeveloperStatus;
import io.xecure.model.KeyHash;
import io.xecure.model.KeyStatus;
import io.xecure.service.IssuedKey;
import io.xecure.service.KeySpec;
import io.xecure.store.Page;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * The demo's developer and key, found again when the demo restarts on the same store rather than
 * added anew. The store keeps only the key's hash, so the plaintext is kept in a file of the demo's
 * own, readable by its owner only ({@code demo-key} next to the demo's other data). When that file
 * is missing or names no active demo key, the demo key is rotated (without grace), so there is
 * still one demo key, and the file rewritten.
 *
 * @param developer the demo developer
 * @param key the demo key's plaintext
 * @param keyId the demo key's id
 */
public record DemoAccount(Developer developer, String key, String keyId) {
  static final String NAME = "Demo Developer";
  static final String EMAIL = "demo@example.com";
  static final String KEY_NAME = "demo key";
  static final String TOUR_KEY_NAME = "cluster tour";
  private static final String ACTOR = "demo";
  private static final int PAGE = 100;
  private static final int MAX_PAGES = 1_000;
  private static final List<String> APIS = List.of("users", "analytics");
  private static final List<String> SCOPES = List.of("users:read", "analytics:read");

  @Override
  public String toString() {
    return "DemoAccount[developer=" + developer.id() + ", keyId=" + keyId + "]";
  }

  /** The demo developer and key in {@code gateway}'s store, created only when missing. */
  public static DemoAccount findOrCreate(Gateway gateway, Path keyFile) throws Exception {
    Developer developer = developer(gateway);
    String remembered = read(keyFile);
    KeyHash rememberedHash = remembered == null ? null : gateway.hasher().hash(remembered);
    List<ApiKeyRecord> keys = activeKeys(gateway, developer, k -> k.name().equals(KEY_NAME));
    for (ApiKeyRecord k : keys) {
      if (remembered != null && k.hash().equals(rememberedHash)) {
        return new DemoAccount(developer, remembered, k.id());
      }
    }
    IssuedKey issued =
        keys.isEmpty()
            ? await(gateway.keys().issue(ACTOR, developer.id(), spec(KEY_NAME)))
            : await(gateway.keys().rotate(ACTOR, keys.get(0).id(), Duration.ZERO));
    write(keyFile, issued.plaintext());
    return new DemoAccount(developer, issued.plaintext(), issued.key().id());
  }

  /**
   * A fresh key of the demo developer for the cluster tour, which revokes it; the tour keys of
   * earlier runs that are still active are revoked first, so they do not pile up.
   */
  public IssuedKey issueTourKey(Gateway gateway) throws Exception {
    for (ApiKeyRecord old : activeKeys(gateway, developer, k -> k.name().equals(TOUR_KEY_NAME))) {
      await(gateway.keys().revoke(ACTOR, old.id()));
    }
    return await(gateway.keys().issue(ACTOR, developer.id(), spec(TOUR_KEY_NAME)));
  }

  private static KeySpec spec(String name) {
    return new KeySpec(name, APIS, SCOPES, List.of(), null, null);
  }

  private static Developer developer(Gateway gateway) throws Exception {
    String cursor = null;
    for (int i = 0; i < MAX_PAGES; i++) {
      Page<Developer> page = await(gateway.developers().list(PAGE, cursor));
      for (Developer d : page.items()) {
        if (d.email().equals(EMAIL) && d.status() == DeveloperStatus.ACTIVE) {
          return d;
        }
      }
      cursor = page.nextCursor();
      if (cursor == null) {
        break;
      }
    }
    return await(gateway.developers().create(ACTOR, NAME, EMAIL));
  }

  private static List<ApiKeyRecord> activeKeys(
      Gateway gateway, Developer developer, Predicate<ApiKeyRecord> wanted) throws Exception {
    List<ApiKeyRecord> found = new ArrayList<>();
    String cursor = null;
    for (int i = 0; i < MAX_PAGES; i++) {
      Page<ApiKeyRecord> page =
          await(gateway.keys().list(developer.id(), KeyStatus.ACTIVE, PAGE, cursor));
      page.items().stream().filter(wanted).forEach(found::add);
      cursor = page.nextCursor();
      if (cursor == null) {
        break;
      }
    }
    return found;
  }

  private static @Nullable String read(Path keyFile) throws IOException {
    if (!Files.isRegularFile(keyFile)) {
      return null;
    }
    String key = Files.readString(keyFile, StandardCharsets.US_ASCII).strip();
    return key.isEmpty() ? null : key;
  }

  private static void write(Path keyFile, String key) throws IOException {
    Path dir = keyFile.toAbsolutePath().getParent();
    if (dir != null) {
      Files.createDirectories(dir);
    }
    Files.deleteIfExists(keyFile);
    if (keyFile.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      Files.createFile(
          keyFile,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    }
    Files.writeString(
        keyFile,
        key + "\n",
        StandardCharsets.US_ASCII,
        StandardOpenOption.CREATE,
        StandardOpenOption.TRUNCATE_EXISTING,
        StandardOpenOption.WRITE);
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
