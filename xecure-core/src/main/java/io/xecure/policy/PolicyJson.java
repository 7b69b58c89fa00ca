package io.xecure.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;

/** Small helpers for the JSON views and schema fragments of policies. */
public final class PolicyJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private PolicyJson() {}

  /** A schema fragment written as JSON text in the code. */
  public static ObjectNode parse(String json) {
    try {
      return (ObjectNode) MAPPER.readTree(json);
    } catch (JsonProcessingException | ClassCastException e) {
      throw new IllegalArgumentException("not a JSON object: " + json, e);
    }
  }

  /** A JSON array of strings. */
  public static ArrayNode strings(List<String> values) {
    ArrayNode array = JsonNodeFactory.instance.arrayNode();
    values.forEach(array::add);
    return array;
  }

  /** An enum value as the configuration writes it: lower case. */
  public static String lower(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }
}
