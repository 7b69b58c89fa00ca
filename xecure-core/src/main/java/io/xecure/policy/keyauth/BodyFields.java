package io.xecure.policy.keyauth;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * A named top-level field of a request body, for the three body types of SPEC §5 step 2: a JSON
 * object, a url-encoded form and multipart/form-data. Each type can also give the body back without
 * the field, for hide_credentials. Any other content type, or a body that does not parse, has no
 * fields: the request goes on without a body key and the upstream judges the body.
 */
abstract class BodyFields {
  abstract List<String> values(String field);

  abstract Buffer without(String field);

  static @Nullable BodyFields of(@Nullable String contentType, Buffer body) {
    if (contentType == null) {
      return null;
    }
    String type = contentType.toLowerCase(Locale.ROOT);
    if (type.startsWith("application/json") || type.contains("+json")) {
      return JsonFields.parse(body);
    }
    if (type.startsWith("application/x-www-form-urlencoded")) {
      return new FormFields(body.toString(StandardCharsets.ISO_8859_1));
    }
    if (type.startsWith("multipart/form-data")) {
      String boundary = parameter(contentType, "boundary");
      return boundary == null ? null : new MultipartFields(body, boundary);
    }
    return null;
  }

  static @Nullable String parameter(String contentType, String name) {
    for (String part : contentType.split(";")) {
      String p = part.trim();
      int eq = p.indexOf('=');
      if (eq > 0 && p.substring(0, eq).trim().equalsIgnoreCase(name)) {
        String v = p.substring(eq + 1).trim();
        if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
          v = v.substring(1, v.length() - 1);
        }
        return v.isEmpty() ? null : v;
      }
    }
    return null;
  }

  private static final class JsonFields extends BodyFields {
    private final JsonObject json;

    private JsonFields(JsonObject json) {
      this.json = json;
    }

    static @Nullable BodyFields parse(Buffer body) {
      try {
        Object value = io.vertx.core.json.Json.decodeValue(body);
        return value instanceof JsonObject o ? new JsonFields(o) : null;
      } catch (DecodeException e) {
        return null;
      }
    }

    @Override
    List<String> values(String field) {
      Object v = json.getValue(field);
      return v instanceof String s ? List.of(s) : List.of();
    }

    @Override
    Buffer without(String field) {
      JsonObject copy = json.copy();
      copy.remove(field);
      return copy.toBuffer();
    }
  }

  private static final class FormFields extends BodyFields {
    private final String form;

    FormFields(String form) {
      this.form = form;
    }

    @Override
    List<String> values(String field) {
      List<String> out = new ArrayList<>(1);
      QueryString.values(form, field, out);
      return out;
    }

    @Override
    Buffer without(String field) {
      String rest = QueryString.without(form, field);
      return Buffer.buffer(rest == null ? "" : rest, "ISO-8859-1");
    }
  }

  /** Byte-preserving: the body is read as ISO-8859-1 so offsets are byte offsets. */
  private static final class MultipartFields extends BodyFields {
    private final String raw;
    private final String delimiter;

    MultipartFields(Buffer body, String boundary) {
      this.raw = body.toString(StandardCharsets.ISO_8859_1);
      this.delimiter = "--" + boundary;
    }

    /** [start of the part's delimiter, start of the next delimiter, value start, value end]. */
    private List<int[]> parts(String field) {
      List<int[]> found = new ArrayList<>(1);
      int at = raw.indexOf(delimiter);
      while (at >= 0) {
        int headersStart = raw.indexOf("\r\n", at);
        int next = raw.indexOf("\r\n" + delimiter, at + delimiter.length());
        if (headersStart < 0 || next < 0) {
          break;
        }
        int headersEnd = raw.indexOf("\r\n\r\n", headersStart);
        if (headersEnd > 0 && headersEnd < next) {
          String headers = raw.substring(headersStart + 2, headersEnd);
          if (namesField(headers, field)) {
            found.add(new int[] {at, next + 2, headersEnd + 4, next});
          }
        }
        at = next + 2;
      }
      return found;
    }

    private static boolean namesField(String headers, String field) {
      for (String line : headers.split("\r\n")) {
        int colon = line.indexOf(':');
        if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("content-disposition")) {
          String value = line.substring(colon + 1);
          return field.equals(parameter(value, "name")) && parameter(value, "filename") == null;
        }
      }
      return false;
    }

    @Override
    List<String> values(String field) {
      List<String> out = new ArrayList<>(1);
      for (int[] p : parts(field)) {
        byte[] bytes = raw.substring(p[2], p[3]).getBytes(StandardCharsets.ISO_8859_1);
        out.add(new String(bytes, StandardCharsets.UTF_8));
      }
      return out;
    }

    @Override
    Buffer without(String field) {
      StringBuilder kept = new StringBuilder(raw.length());
      int from = 0;
      for (int[] p : parts(field)) {
        kept.append(raw, from, p[0]);
        from = p[1];
      }
      kept.append(raw, from, raw.length());
      return Buffer.buffer(kept.toString(), "ISO-8859-1");
    }
  }
}
