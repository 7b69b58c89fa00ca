package io.xecure.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Searches texts and files for plaintext keys. Files are read as bytes and searched as ISO-8859-1,
 * so a key stored as ASCII or UTF-8 inside a binary file (an H2 database) is found too.
 */
final class LeakSearch {
  /** Keys shorter than this are not keys the gateway would accept (SPEC §4), so not searched. */
  static final int MIN_KEY = 20;

  private final Set<String> keys = new LinkedHashSet<>();
  private final Map<String, String> places = new LinkedHashMap<>();

  /** A plaintext that was presented to the product at some point. */
  void key(String key) {
    if (key.length() >= MIN_KEY) {
      keys.add(key);
    }
  }

  Set<String> keys() {
    return keys;
  }

  /** A text to search, named for the failure message. */
  void place(String name, String text) {
    places.merge(name, text, (a, b) -> a + "\n" + b);
  }

  void file(String name, Path file) throws IOException {
    place(name, new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
  }

  /** Every regular file under {@code dir}, each named by its path relative to {@code dir}. */
  void filesUnder(String name, Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
        file(name + "/" + dir.relativize(f), f);
      }
    }
  }

  int placeCount() {
    return places.size();
  }

  /**
   * One line per key found somewhere: the key's first 6 characters (never more: the failure message
   * must not be a leak itself), every place it was found, and what surrounds its first occurrence
   * (every key in it cut the same way), so that the line says which output wrote it.
   */
  List<String> findings() {
    List<String> found = new ArrayList<>();
    for (String key : keys) {
      List<String> where = new ArrayList<>();
      String context = "";
      for (Map.Entry<String, String> place : places.entrySet()) {
        int at = place.getValue().indexOf(key);
        if (at >= 0) {
          where.add(place.getKey());
          if (context.isEmpty()) {
            String text = place.getValue();
            context =
                cut(
                    text.substring(
                        Math.max(0, at - 80), Math.min(text.length(), at + key.length() + 80)));
          }
        }
      }
      if (!where.isEmpty()) {
        found.add(key.substring(0, 6) + "... found in " + where + " as in: " + context);
      }
    }
    return found;
  }

  /** {@code text} with every known key cut to its first 6 characters. */
  private String cut(String text) {
    String out = text;
    for (String key : keys) {
      out = out.replace(key, key.substring(0, 6) + "...");
    }
    return out.replace('\n', ' ');
  }
}
