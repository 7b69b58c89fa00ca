package io.xecure.console;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The HTML every console page shares (head, skip link, header with the navigation, {@code main}),
 * filled with one page's own content. A page file starts with its settings, one comment line each,
 * then its content:
 *
 * <pre>{@code
 * <!-- title: Audit log -->          (required: the page's title, before "· XecureAPI console")
 * <!-- styles: uplot.css -->         (style sheets before console.css, comma separated)
 * <!-- script: sign-in -->           (its module, default the page's name; also body[data-page])
 * <!-- header: none -->              (no skip link and header: the sign-in page)
 * <h1>Audit log</h1>
 * ...
 * }</pre>
 *
 * <p>Pages are our own files, built once at start: a page that breaks these rules stops the start
 * with a message naming it. Values go in as written (they are HTML of our own, not input).
 */
final class Layout {
  private static final Pattern SETTING = Pattern.compile("<!-- ([a-z]+): (.+?) -->\\R");
  private static final Set<String> KEYS = Set.of("title", "styles", "script", "header");
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{[a-z]+}}");

  private final String page;
  private final String header;

  /**
   * @param page the document with {@code {{title}}}, {@code {{styles}}}, {@code {{script}}}, {@code
   *     {{header}}} and {@code {{content}}}
   * @param header what {@code {{header}}} stands for on signed-in pages
   */
  Layout(String page, String header) {
    this.page = page;
    this.header = header;
  }

  /** The whole document of the page file {@code name} (for messages) with {@code source}. */
  String render(String name, String source) {
    Map<String, String> settings = new LinkedHashMap<>();
    Matcher m = SETTING.matcher(source);
    int end = 0;
    while (m.region(end, source.length()).lookingAt()) {
      if (!KEYS.contains(m.group(1)) || settings.put(m.group(1), m.group(2)) != null) {
        throw new IllegalStateException(name + ": unknown or repeated setting " + m.group(1));
      }
      end = m.end();
    }
    String title = settings.get("title");
    if (title == null) {
      throw new IllegalStateException(name + ": no <!-- title: ... --> line");
    }
    String basename = name.substring(name.lastIndexOf('/') + 1).replaceFirst("\\.html$", "");
    String noHeader = settings.getOrDefault("header", "");
    if (!noHeader.isEmpty() && !noHeader.equals("none")) {
      throw new IllegalStateException(name + ": header is none or left out");
    }
    StringBuilder styles = new StringBuilder();
    for (String sheet : settings.getOrDefault("styles", "").split(",")) {
      if (!sheet.isBlank()) {
        styles.append("  <link rel=\"stylesheet\" href=\"").append(sheet.strip()).append("\">\n");
      }
    }
    styles.append("  <link rel=\"stylesheet\" href=\"console.css\">\n");
    String shell =
        page.replace("{{title}}", title)
            .replace("{{styles}}", styles)
            .replace("{{script}}", settings.getOrDefault("script", basename))
            .replace("{{header}}", noHeader.isEmpty() ? header : "");
    int at = shell.indexOf("{{content}}");
    Matcher left = PLACEHOLDER.matcher(shell.replace("{{content}}", ""));
    if (at < 0 || left.find()) {
      throw new IllegalStateException("the console's layout has no {{content}} or an unknown one");
    }
    // the content last, and as it is: a "{{" in a page is text, not a placeholder
    return shell.substring(0, at) + indent(source.substring(end)) + shell.substring(at + 11);
  }

  /** Content lines indented to sit inside {@code main}, as the layout's own lines are. */
  private static String indent(String content) {
    StringBuilder out = new StringBuilder(content.length() + 1024);
    content.lines().forEach(l -> out.append(l.isEmpty() ? "" : "    ").append(l).append('\n'));
    return out.toString();
  }
}
