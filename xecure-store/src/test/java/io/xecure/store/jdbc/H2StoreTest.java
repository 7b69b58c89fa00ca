package io.xecure.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.xecure.model.Developer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on an embedded H2 file database, plus what only H2 URLs need. */
class H2StoreTest extends StoreContract {
  @SuppressWarnings("NullAway.Init") // injected by JUnit
  @TempDir
  Path dir;

  @Override
  JdbcStore openStore() {
    return JdbcStore.open(TestDatabases.h2Url(dir), null, null);
  }

  @Override
  String backend() {
    return "H2";
  }

  @Test
  void fileDatabaseIsCreatedInMissingDirectoriesAndSurvivesReopening() {
    Developer ada = store.insertDeveloper(developer("dev_ada"), null);
    store.close();

    assertThat(Files.exists(dir.resolve("data").resolve("xecure.mv.db"))).isTrue();
    try (JdbcStore reopened = openStore()) {
      assertThat(reopened.developer("dev_ada")).contains(ada);
    }
  }

  @Test
  void anUnnamedInMemoryDatabaseIsOneDatabaseForTheWholePool() {
    try (JdbcStore memory = JdbcStore.open("jdbc:h2:mem:", null, null)) {
      memory.insertDeveloper(developer("dev_ada"), null);

      // concurrent reads borrow several pooled connections: each must see the same database
      List<CompletableFuture<Boolean>> reads =
          IntStream.range(0, 16)
              .mapToObj(
                  i -> CompletableFuture.supplyAsync(() -> memory.developer("dev_ada").isPresent()))
              .toList();

      assertThat(reads).allSatisfy(r -> assertThat(r.join()).isTrue());
    }
  }
}
