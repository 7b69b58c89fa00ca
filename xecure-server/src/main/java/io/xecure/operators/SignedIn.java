package io.xecure.operators;

import io.xecure.model.Operator;
import io.xecure.model.OperatorToken;

/**
 * A sign-in that succeeded: a new session (never one the client brought along, so a fixed session
 * cannot be planted), its bearer token and the CSRF token its cookie needs on every change.
 */
public record SignedIn(Operator operator, OperatorToken session, String token, String csrf) {
  @Override
  public String toString() {
    return "SignedIn[" + session.id() + "]"; // never the tokens
  }
}
