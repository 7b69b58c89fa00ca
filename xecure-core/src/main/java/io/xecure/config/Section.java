package io.xecure.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A mapping being bound by hand, so that every problem names its path. Each field is asked for by
 * name; {@link #finish()} then reports the fields nobody asked for. A scalar field's environment
 * override ({@link ConfigLoader}) wins over the file. An absent mapping binds like an empty one, so
 * that defaults and overrides still apply. A JSON/YAML null counts as absent.
 */
public final class Section {
  /** Turns one value into its typed form, or says why it cannot. */
  public interface Parser<T> {
    T parse(JsonNode value) throws BadValue;
  }

  private final JsonNode node;
  private final String path;
  private final Problems problems;
  private final Map<String, String> env;
  private final Set<String> asked = new HashSet<>();

  private Section(JsonNode node, String path, Problems problems, Map<String, String> env) {
    this.node = node;
    this.path = path;
    this.problems = problems;
    this.env = env;
  }

  /** A section over {@code node}; anything but a mapping (or nothing) is reported and ignored. */
  public static Section of(
      @Nullable JsonNode node, String path, Problems problems, Map<String, String> env) {
    JsonNode mapping = node == null || node.isNull() ? MissingNode.getInstance() : node;
    if (!mapping.isObject() && !mapping.isMissingNode()) {
      problems.add(path, "expected a mapping, got " + BadValue.describe(mapping));
      mapping = MissingNode.getInstance();
    }
    return new Section(mapping, path, problems, env);
  }

  /**
   * The variable that overrides {@code path}: {@code apis[0].key_auth.in} → {@code
   * XECURE_APIS_0_KEY_AUTH_IN}.
   */
  public static String envName(String path) {
    String snake = path.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]+", "_");
    return "XECURE_" + snake.replaceAll("^_|_$", "");
  }

  public String path() {
    return path;
  }

  public String path(String field) {
    return Problems.field(path, field);
  }

  public Problems problems() {
    return problems;
  }

  /** The field as written in the file, or null; never consults the environment. */
  public @Nullable JsonNode raw(String field) {
    asked.add(field);
    JsonNode value = node.get(field);
    return present(value) ? value : null;
  }

  /**
   * A scalar field: its override, else the file's value, else null. An empty override unsets the
   * value (as an empty {@code ${VAR}} does), since orchestrators often pass variables set to "".
   */
  public @Nullable JsonNode scalar(String field) {
    String override = env.get(envName(path(field)));
    if (override != null) {
      asked.add(field);
      return override.isEmpty() ? null : TextNode.valueOf(override);
    }
    return raw(field);
  }

  /** An optional value; null when absent or invalid (then reported). */
  public <T> @Nullable T optional(String field, Parser<T> parser) {
    JsonNode value = scalar(field);
    return value == null ? null : parse(path(field), value, parser);
  }

  /** A value with a default, which also stands in for an invalid value (then reported). */
  public <T> T get(String field, T fallback, Parser<T> parser) {
    T value = optional(field, parser);
    return value == null ? fallback : value;
  }

  /** A required value; null when absent or invalid (then reported). */
  public <T> @Nullable T required(String field, Parser<T> parser) {
    JsonNode value = scalar(field);
    if (value == null) {
      problems.add(path(field), "required");
      return null;
    }
    return parse(path(field), value, parser);
  }

  /** A mapping found elsewhere (a map entry), bound with the same problems and environment. */
  public Section child(@Nullable JsonNode value, String childPath) {
    return Section.of(value, childPath, problems, env);
  }

  /** A nested mapping, bound even when absent. */
  public Section section(String field) {
    return Section.of(raw(field), path(field), problems, env);
  }

  /** A nested mapping whose presence means something (cors, rate); null when absent. */
  public @Nullable Section optionalSection(String field) {
    JsonNode value = raw(field);
    return value == null ? null : Section.of(value, path(field), problems, env);
  }

  /**
   * A list of scalars; null when absent. A string stands for a comma-separated list, so that one
   * value needs no brackets and an environment override can set a whole list. Invalid items are
   * reported and left out.
   */
  public <T> @Nullable List<T> list(String field, Parser<T> parser) {
    return listOf(field, parser, false);
  }

  /** As {@link #list(String, Parser)}, and an empty list is reported. */
  public <T> @Nullable List<T> nonEmptyList(String field, Parser<T> parser) {
    return listOf(field, parser, true);
  }

  /** A list of scalars with a default for when it is absent. */
  public <T> List<T> list(String field, List<T> fallback, Parser<T> parser) {
    List<T> value = list(field, parser);
    return value == null ? fallback : value;
  }

  /** Binds each mapping of a list, such as apis, in order; other items are reported. */
  public void eachSection(String field, Consumer<Section> action) {
    JsonNode value = raw(field);
    if (value == null) {
      return;
    }
    if (!value.isArray()) {
      problems.add(path(field), "expected a list, got " + BadValue.describe(value));
      return;
    }
    for (int i = 0; i < value.size(); i++) {
      JsonNode item = value.get(i);
      String itemPath = Problems.item(path(field), i);
      if (item.isObject()) {
        action.accept(new Section(item, itemPath, problems, env));
      } else {
        problems.add(itemPath, "expected a mapping, got " + BadValue.describe(item));
      }
    }
  }

  /** Reports the fields of this mapping that were never asked for: typos, misplaced keys. */
  public void finish() {
    node.fieldNames()
        .forEachRemaining(
            name -> {
              if (!asked.contains(name)) {
                problems.add(path(name), "unknown field");
              }
            });
  }

  private <T> @Nullable List<T> listOf(String field, Parser<T> parser, boolean nonEmpty) {
    JsonNode value = scalar(field);
    if (value == null) {
      return null;
    }
    List<JsonNode> items = items(path(field), value);
    if (items == null) {
      return List.of();
    }
    if (items.isEmpty() && nonEmpty) {
      problems.add(path(field), "must not be empty");
    }
    List<T> result = new ArrayList<>();
    // one value written without brackets is reported at the field itself
    boolean single = !value.isArray() && items.size() == 1;
    for (int i = 0; i < items.size(); i++) {
      String itemPath = Problems.item(path(field), i);
      String override = env.get(envName(itemPath));
      JsonNode item = override == null ? items.get(i) : TextNode.valueOf(override);
      T parsed = parse(single ? path(field) : itemPath, item, parser);
      if (parsed != null) {
        result.add(parsed);
      }
    }
    return result;
  }

  /** The items of a list, or null when the value is neither a list nor a string (reported). */
  private @Nullable List<JsonNode> items(String listPath, JsonNode value) {
    if (value.isArray()) {
      List<JsonNode> items = new ArrayList<>();
      value.forEach(items::add);
      return items;
    }
    if (value.isTextual()) {
      List<JsonNode> items = new ArrayList<>();
      for (String part : value.textValue().split(",")) {
        if (!part.isBlank()) {
          items.add(TextNode.valueOf(part.trim()));
        }
      }
      return items;
    }
    problems.add(listPath, "expected a list, got " + BadValue.describe(value));
    return null;
  }

  private <T> @Nullable T parse(String valuePath, JsonNode value, Parser<T> parser) {
    try {
      return parser.parse(value);
    } catch (BadValue e) {
      problems.add(valuePath, String.valueOf(e.getMessage()));
      return null;
    }
  }

  private static boolean present(@Nullable JsonNode value) {
    return value != null && !value.isNull() && !value.isMissingNode();
  }
}
