package io.xecure.admin;

import io.xecure.store.Store;
import io.xecure.testing.MemoryStore;
import java.nio.file.Path;

class AdminApiMemoryTest extends AdminApiContract {
  @Override
  Store newStore(Path dir) {
    return new MemoryStore();
  }
}
