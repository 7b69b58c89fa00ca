package io.xecure.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.snakeyaml.error.MarkedYAMLException;
import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * Reads YAML text into a tree whose scalars are all the text as written (an empty one is null).
 * YAML 1.1 would otherwise turn {@code yes} into true, {@code 0x1F} into 31 and {@code 1.10} into
 * 1.1, silently changing a token or a pepper; the binder coerces text itself and says so when it
 * cannot. Duplicate keys and syntax errors become one-line problems with their position, never a
 * parser's stack trace.
 */
final class YamlReader {
  private static final YAMLFactory YAML =
      YAMLFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private YamlReader() {}

  /** The first document; missing when the text holds none (empty, or only comments). */
  static JsonNode read(String yaml) throws ConfigException {
    try (JsonParser parser = YAML.createParser(yaml)) {
      JsonToken first = parser.nextToken();
      JsonNode root = first == null ? MissingNode.getInstance() : value(parser, first);
      if (parser.nextToken() != null) {
        var where = parser.currentLocation();
        throw syntax(where.getLineNr(), where.getColumnNr(), "more than one YAML document");
      }
      return root;
    } catch (MarkedYAMLException e) {
      var mark = e.getProblemMark();
      throw syntax(mark.getLine() + 1, mark.getColumn() + 1, "invalid YAML: " + e.getProblem());
    } catch (StreamReadException e) {
      throw streamProblem(e);
    } catch (IOException e) {
      throw new ConfigException("invalid YAML: " + e.getMessage());
    }
  }

  private static JsonNode value(JsonParser parser, JsonToken token) throws IOException {
    return switch (token) {
      case START_OBJECT -> mapping(parser);
      case START_ARRAY -> sequence(parser);
      case VALUE_NULL -> NullNode.getInstance();
      default -> scalar(parser.getText());
    };
  }

  /** An empty value is absent, as an empty environment variable is: "unset", not "". */
  private static JsonNode scalar(String text) {
    return text.isEmpty() ? NullNode.getInstance() : TextNode.valueOf(text);
  }

  private static ObjectNode mapping(JsonParser parser) throws IOException {
    ObjectNode mapping = NODES.objectNode();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      mapping.set(name, value(parser, parser.nextToken()));
    }
    return mapping;
  }

  private static ArrayNode sequence(JsonParser parser) throws IOException {
    ArrayNode sequence = NODES.arrayNode();
    for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
      sequence.add(value(parser, t));
    }
    return sequence;
  }

  private static ConfigException streamProblem(StreamReadException e) {
    var where = e.getLocation();
    String message = e.getOriginalMessage();
    if (message.startsWith("Duplicate field") && e.getProcessor() != null) {
      String path = Interpolation.unprotect(path(e.getProcessor().getParsingContext()));
      String at = "line " + where.getLineNr() + ", column " + where.getColumnNr();
      return new ConfigException(path + ": duplicate key (" + at + ")");
    }
    return syntax(where.getLineNr(), where.getColumnNr(), "invalid YAML: " + message);
  }

  private static ConfigException syntax(int line, int column, String problem) {
    String oneLine = Interpolation.unprotect(problem).replaceAll("\\s*\\R\\s*", " ");
    return new ConfigException("line " + line + ", column " + column + ": " + oneLine);
  }

  private static String path(@Nullable JsonStreamContext context) {
    if (context == null || context.inRoot()) {
      return "";
    }
    String parent = path(context.getParent());
    return context.inArray()
        ? Problems.item(parent, context.getCurrentIndex())
        : Problems.field(parent, String.valueOf(context.getCurrentName()));
  }
}
