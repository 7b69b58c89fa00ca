package io.xecure.operators;

import io.xecure.model.OperatorToken;

/** A personal token just created: the only time its plaintext exists outside its holder. */
public record IssuedToken(OperatorToken token, String plaintext) {
  @Override
  public String toString() {
    return "IssuedToken[" + token.id() + "]"; // never the plaintext
  }
}
