package io.xecure.config;

import java.util.ArrayList;
import java.util.List;

/** Collects problems while binding, so that every one is reported at once. */
public final class Problems {
  private final List<String> list = new ArrayList<>();

  public void add(String path, String message) {
    list.add((path.isEmpty() ? "(root)" : path) + ": " + message);
  }

  public boolean isEmpty() {
    return list.isEmpty();
  }

  public void throwIfAny() throws ConfigException {
    if (!list.isEmpty()) {
      throw new ConfigException(list);
    }
  }

  public static String field(String path, String field) {
    return path.isEmpty() ? field : path + "." + field;
  }

  public static String item(String path, int index) {
    return path + "[" + index + "]";
  }
}
