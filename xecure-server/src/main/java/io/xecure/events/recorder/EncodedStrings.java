package io.xecure.events.recorder;

import java.util.HashMap;
import java.util.function.Function;

/**
 * The bytes of recurring strings (API, node, method, outcome, code, reason, key and developer ids),
 * encoded once and handed out again: an event writer encodes the same few values thousands of times
 * a second. Not for strings made anew each request (client address, user agent): hashing one to
 * look it up costs more than encoding it.
 *
 * <p>Bounded: once it holds {@code capacity} strings it starts again empty, so values that keep
 * changing (the key ids of many thousands of keys, say) cost at most one encoding each and never
 * grow it. Callers must not modify the arrays returned. Not thread-safe: one per writer thread, or
 * used under a lock.
 */
final class EncodedStrings {
  private final int capacity;
  private final Function<String, byte[]> encoder;
  private final HashMap<String, byte[]> known;
  // in front of the map: the last value seen in each slot, by reference. The recurring values are
  // mostly the same instances event after event (an API's name, a key's id), and a look-up here
  // is one array read, where the map reads its table and a node. The slot comes from the string's
  // own hash, kept in the string once computed and needed by the map anyway: its identity hash
  // took the VM's slow path for every new instance (10 % of the writer's samples under wrong keys,
  // its look-ups 21.8 % -> 18.2 %: bench/results/coarse-clock-2026-12-07.md)
  private final String[] lastValue = new String[SLOTS];
  private final byte[][] lastBytes = new byte[SLOTS][];
  private static final int SLOTS = 256;

  /**
   * @param capacity how many strings it holds at most
   * @param encoder the bytes of a string, e.g. its UTF-8; called once per string held
   */
  EncodedStrings(int capacity, Function<String, byte[]> encoder) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be positive, got " + capacity);
    }
    this.capacity = capacity;
    this.encoder = encoder;
    this.known = new HashMap<>(capacity * 2);
  }

  /** The encoder's bytes of {@code value}, encoded now only when not held. */
  byte[] get(String value) {
    int slot = value.hashCode() & (SLOTS - 1);
    if (lastValue[slot] == value) {
      return lastBytes[slot];
    }
    byte[] bytes = known.get(value);
    if (bytes == null) {
      if (known.size() >= capacity) {
        known.clear();
      }
      bytes = encoder.apply(value);
      known.put(value, bytes);
    }
    lastValue[slot] = value;
    lastBytes[slot] = bytes;
    return bytes;
  }

  /** How many strings are held now. */
  int size() {
    return known.size();
  }
}
