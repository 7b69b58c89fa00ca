package io.xecure.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * {@code ${VAR}} and {@code ${VAR:-default}} in scalar values, taken from the environment map the
 * caller passes (never the process's own, so tests and callers decide). As in a shell, {@code :-}
 * also replaces an empty value. A value that is exactly {@code ${VAR}}, with VAR unset or empty, is
 * absent: the field takes its default (so an unset admin token stays null). Inside a longer value
 * an unset VAR is a problem, because substituting nothing would quietly build another value, such
 * as a database URL without its host. <code>$${</code> writes a literal <code>${</code>.
 *
 * <p>Substitution happens on the parsed tree, never on the text, so a value from the environment
 * cannot add YAML structure. The expressions are hidden from the YAML parser first ({@link
 * #protect}), since SPEC §3 writes them unquoted inside flow mappings (<code>{ token:
 * ${XECURE_ADMIN_TOKEN} }</code>), where a plain scalar may not contain braces.
 */
final class Interpolation {
  private static final Pattern EXPRESSION = Pattern.compile("\\$?\\$\\{[^}\\r\\n]*\\}");
  private static final Pattern REFERENCE = Pattern.compile("\\$(\\$)?\\{([^}]*)\\}");
  private static final Pattern WHOLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)\\}");
  private static final Pattern INNER =
      Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)(?::-(.*))?", Pattern.DOTALL);

  /**
   * Printable ASCII inside an expression is shifted into the Unicode private use area, which YAML
   * accepts in any scalar and gives no meaning; the shift keeps lengths, so parse errors still
   * point at the right column. A config that itself holds U+E020..U+E07E would be read as ASCII.
   */
  private static final char SHIFT = 0xE000;

  private final Map<String, String> env;
  private final Problems problems;

  private Interpolation(Map<String, String> env, Problems problems) {
    this.env = env;
    this.problems = problems;
  }

  static String protect(String yaml) {
    Matcher m = EXPRESSION.matcher(yaml);
    StringBuilder out = new StringBuilder(yaml.length());
    while (m.find()) {
      StringBuilder hidden = new StringBuilder();
      m.group()
          .chars()
          .forEach(c -> hidden.append(c >= 0x20 && c <= 0x7E ? (char) (c + SHIFT) : (char) c));
      m.appendReplacement(out, Matcher.quoteReplacement(hidden.toString()));
    }
    return m.appendTail(out).toString();
  }

  static String unprotect(String text) {
    StringBuilder out = new StringBuilder(text.length());
    text.chars()
        .forEach(
            c ->
                out.append(c >= SHIFT + 0x20 && c <= SHIFT + 0x7E ? (char) (c - SHIFT) : (char) c));
    return out.toString();
  }

  /** A copy of {@code root} with every expression resolved; problems go to {@code problems}. */
  static JsonNode resolve(JsonNode root, Map<String, String> env, Problems problems) {
    JsonNode resolved = new Interpolation(env, problems).resolve(root, "");
    return resolved == null ? NullNode.getInstance() : resolved;
  }

  /** Null means absent: a mapping keeps the key with a null (so typos are still reported). */
  private @Nullable JsonNode resolve(JsonNode node, String path) {
    if (node.isObject()) {
      ObjectNode out = JsonNodeFactory.instance.objectNode();
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        String key = unprotect(e.getKey());
        JsonNode value = resolve(e.getValue(), Problems.field(path, key));
        out.set(key, value == null ? NullNode.getInstance() : value);
      }
      return out;
    }
    if (node.isArray()) {
      ArrayNode out = JsonNodeFactory.instance.arrayNode();
      for (int i = 0; i < node.size(); i++) {
        JsonNode value = resolve(node.get(i), Problems.item(path, i));
        if (value != null) {
          out.add(value);
        }
      }
      return out;
    }
    return node.isTextual() ? interpolate(unprotect(node.textValue()), path) : node;
  }

  private @Nullable JsonNode interpolate(String text, String path) {
    if (!text.contains("${")) {
      return TextNode.valueOf(text);
    }
    Matcher whole = WHOLE.matcher(text);
    if (whole.matches()) {
      String value = env.get(whole.group(1));
      return value == null || value.isEmpty() ? null : TextNode.valueOf(value);
    }
    StringBuilder out = new StringBuilder();
    Matcher m = REFERENCE.matcher(text);
    while (m.find()) {
      String value = m.group(1) != null ? "${" + m.group(2) + "}" : lookUp(m.group(2), path);
      if (value == null) {
        return null;
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    return TextNode.valueOf(m.appendTail(out).toString());
  }

  private @Nullable String lookUp(String expression, String path) {
    Matcher m = INNER.matcher(expression);
    if (!m.matches()) {
      problems.add(
          path,
          "invalid reference "
              + BadValue.quote("${" + expression + "}")
              + ", expected ${NAME} or ${NAME:-default}");
      return null;
    }
    String value = env.get(m.group(1));
    if (value == null || value.isEmpty()) {
      value = m.group(2);
    }
    if (value == null) {
      problems.add(path, "environment variable " + m.group(1) + " is not set");
    }
    return value;
  }
}
