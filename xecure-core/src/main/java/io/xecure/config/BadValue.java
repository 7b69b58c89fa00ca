package io.xecure.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;

/** A value that does not fit its field; {@link Section} turns it into a problem with the path. */
public final class BadValue extends Exception {
  private static final long serialVersionUID = 1L;

  public BadValue(String message) {
    super(message, null, false, false);
  }

  /** "must be ..., got <value>". */
  public static BadValue got(String must, JsonNode value) {
    return new BadValue(must + ", got " + describe(value));
  }

  public static BadValue got(String must, String value) {
    return new BadValue(must + ", got " + quote(value));
  }

  public static String describe(JsonNode value) {
    if (value.isObject()) {
      return "a mapping";
    }
    if (value.isArray()) {
      return "a list";
    }
    return value.isTextual() ? quote(value.textValue()) : value.toString();
  }

  /** JSON-quoted, so that blanks and control characters in the value are visible. */
  public static String quote(String value) {
    String shown = value.length() > 80 ? value.substring(0, 80) + "..." : value;
    return TextNode.valueOf(shown).toString();
  }
}
