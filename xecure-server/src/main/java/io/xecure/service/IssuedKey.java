package io.xecure.service;

import io.xecure.model.ApiKeyRecord;
import org.jspecify.annotations.Nullable;

/**
 * A key just created, with its plaintext: the only moment the plaintext exists outside the caller's
 * hands. Show it once and drop it.
 *
 * @param replaced after a rotation, the old key as it now stands (with its grace end)
 */
public record IssuedKey(ApiKeyRecord key, String plaintext, @Nullable ApiKeyRecord replaced) {
  @Override
  public String toString() {
    return "IssuedKey[" + key.id() + "]"; // never print the plaintext
  }
}
