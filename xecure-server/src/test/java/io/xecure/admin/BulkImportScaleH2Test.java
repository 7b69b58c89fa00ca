package io.xecure.admin;

import io.xecure.store.Store;
import io.xecure.store.jdbc.JdbcStore;
import io.xecure.store.jdbc.TestDatabases;
import java.nio.file.Path;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/** The million-line import on the embedded H2 store (opt-in, see the parent). */
@EnabledIfSystemProperty(named = "xecure.scale", matches = "true") // not inherited
class BulkImportScaleH2Test extends BulkImportScaleTest {
  @Override
  Store store(Path dir) {
    return JdbcStore.open(TestDatabases.h2Url(dir), null, null);
  }
}
