package io.xecure.config;

import java.util.ArrayList;
import java.util.List;

/** Collects problems while binding, so that every one is reported at once. */
final class Problems {
  private final List<String> list = new ArrayList<>();

  void add(String path, String message) {
    list.add((path.isEmpty() ? "(root)" : path) + ": " + message);
  }

  boolean isEmpty() {
    return list.isEmpty();
  }

  void throwIfAny() throws ConfigException {
    if (!list.isEmpty()) {
      throw new ConfigException(list);
    }
  }

  static String field(String path, String field) {
    return path.isEmpty() ? field : path + "." + field;
  }

  static String item(String path, int index) {
    return path + "[" + index + "]";
  }
}
