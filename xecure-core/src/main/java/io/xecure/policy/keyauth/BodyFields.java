package io.xecure.policy.keyauth;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The named top-level fields of a request body, for the three body types of SPEC §5 step 2: a JSON
 * object, a url-encoded form and multipart/form-data. Each type can also give the body back without
 * a field (hide_credentials), every other byte as sent. Any other content type, or a body that does
 * not parse as its type, has no fields: the request goes on without a body key and the upstream
 * judges the body.
 *
 * <p>Every parser here is one linear pass over the body (the body is at most {@code max_body}
 * bytes, but even a 1 MiB body of a hostile shape must not hold an event loop): JSON is Jackson's
 * streaming parser with tight nesting and number limits, forms are {@link QueryString}, multipart
 * is {@link Multipart}.
 */
abstract class BodyFields {
  /**
   * Every occurrence of the top-level field {@code field}, in order. An occurrence that cannot hold
   * a key (a JSON value that is not a string, a file part) is the empty string, so that it still
   * counts as an occurrence: a body naming the key field twice is ambiguous whatever the values.
   */
  abstract List<String> values(String field);

  /** The body without any occurrence of the {@code fields}, every other byte as sent. */
  abstract Buffer without(Collection<String> fields);

  /** Whether this is a form (url-encoded or multipart), whose fields frameworks merge as params. */
  boolean form() {
    return true;
  }

  /** The fields of {@code body} for its content type; null when it has none we read. */
  static @Nullable BodyFields of(@Nullable String contentType, Buffer body) {
    if (contentType == null) {
      return null;
    }
    int semicolon = contentType.indexOf(';');
    String type =
        (semicolon < 0 ? contentType : contentType.substring(0, semicolon))
            .trim()
            .toLowerCase(Locale.ROOT);
    if (type.equals("application/json") || type.endsWith("+json")) {
      return JsonFields.parse(body);
    }
    if (type.equals("application/x-www-form-urlencoded")) {
      return new FormFields(body.toString(StandardCharsets.ISO_8859_1));
    }
    if (type.equals("multipart/form-data") && semicolon >= 0) {
      List<Parameters.Parameter> params =
          Parameters.parse(contentType, semicolon, contentType.length());
      String boundary = params == null ? null : Parameters.value(params, "boundary");
      if (boundary == null) {
        return null;
      }
      String raw = body.toString(StandardCharsets.ISO_8859_1);
      List<Multipart.Part> parts = Multipart.parse(raw, boundary);
      return parts == null ? null : new MultipartFields(raw, parts);
    }
    return null;
  }

  /**
   * A JSON object's members, by their byte offsets in the body: the start of each member's name and
   * the comma before it, so that a member is cut out without re-serialising the rest.
   */
  private static final class JsonFields extends BodyFields {
    private static final JsonFactory JSON =
        JsonFactory.builder()
            .streamReadConstraints(
                StreamReadConstraints.builder()
                    .maxNestingDepth(64)
                    .maxNumberLength(100)
                    .maxNameLength(64 * 1024)
                    .build())
            .build();

    private final byte[] bytes;
    private final List<String> names;
    private final List<String> values;
    private final int[] starts;
    private final int[] commas;
    private final int end;

    private JsonFields(
        byte[] bytes,
        List<String> names,
        List<String> values,
        int[] starts,
        int[] commas,
        int end) {
      this.bytes = bytes;
      this.names = names;
      this.values = values;
      this.starts = starts;
      this.commas = commas;
      this.end = end;
    }

    static @Nullable BodyFields parse(Buffer body) {
      byte[] bytes = body.getBytes();
      List<String> names = new ArrayList<>();
      List<String> values = new ArrayList<>();
      List<Integer> starts = new ArrayList<>();
      try (JsonParser p = JSON.createParser(bytes)) {
        if (p.nextToken() != JsonToken.START_OBJECT) {
          return null;
        }
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
          names.add(p.currentName());
          starts.add((int) p.currentTokenLocation().getByteOffset());
          JsonToken value = p.nextToken();
          values.add(value == JsonToken.VALUE_STRING ? p.getText() : "");
          p.skipChildren();
        }
        if (t != JsonToken.END_OBJECT) {
          return null;
        }
        int end = (int) p.currentTokenLocation().getByteOffset();
        if (p.nextToken() != null) {
          return null; // content after the object: not one JSON object
        }
        int[] s = starts.stream().mapToInt(Integer::intValue).toArray();
        int[] commas = new int[s.length];
        for (int i = 1; i < s.length; i++) {
          commas[i] = commaBefore(bytes, s[i]);
        }
        return new JsonFields(bytes, names, values, s, commas, end);
      } catch (IOException | RuntimeException e) {
        // not JSON, or beyond the limits: no fields, the upstream judges the body
        return null;
      }
    }

    /** The comma before a member's name: only whitespace stands between them. */
    private static int commaBefore(byte[] bytes, int nameStart) {
      int i = nameStart - 1;
      while (i > 0 && bytes[i] != ',') {
        i--;
      }
      return i;
    }

    @Override
    boolean form() {
      return false;
    }

    @Override
    List<String> values(String field) {
      List<String> out = new ArrayList<>(1);
      for (int i = 0; i < names.size(); i++) {
        if (names.get(i).equals(field)) {
          out.add(values.get(i));
        }
      }
      return out;
    }

    /**
     * The kept members, each as sent from its name (or the whitespace after its comma) to the comma
     * after it (or the closing brace), joined by commas inside the object's own first and last
     * bytes.
     */
    @Override
    Buffer without(Collection<String> fields) {
      int n = starts.length;
      Buffer out = Buffer.buffer(bytes.length);
      out.appendBytes(bytes, 0, n == 0 ? end : starts[0]);
      boolean first = true;
      for (int i = 0; i < n; i++) {
        if (fields.contains(names.get(i))) {
          continue;
        }
        int from = i == 0 ? starts[0] : commas[i] + 1;
        int to = i + 1 < n ? commas[i + 1] : end;
        if (!first) {
          out.appendByte((byte) ',');
        }
        out.appendBytes(bytes, from, to - from);
        first = false;
      }
      out.appendBytes(bytes, end, bytes.length - end);
      return out;
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
    Buffer without(Collection<String> fields) {
      @Nullable String rest = form;
      for (String field : fields) {
        rest = rest == null ? null : QueryString.without(rest, field);
      }
      return Buffer.buffer(rest == null ? "" : rest, "ISO-8859-1");
    }
  }

  /** Byte-preserving: the body is read as ISO-8859-1 so offsets are byte offsets. */
  private static final class MultipartFields extends BodyFields {
    private final String raw;
    private final List<Multipart.Part> parts;

    MultipartFields(String raw, List<Multipart.Part> parts) {
      this.raw = raw;
      this.parts = parts;
    }

    @Override
    List<String> values(String field) {
      List<String> out = new ArrayList<>(1);
      for (Multipart.Part p : parts) {
        if (field.equals(p.name())) {
          out.add(p.file() ? "" : p.value(raw));
        }
      }
      return out;
    }

    @Override
    Buffer without(Collection<String> fields) {
      StringBuilder kept = new StringBuilder(raw.length());
      int from = 0;
      for (Multipart.Part p : parts) {
        // a part may have no name, and List.of(...).contains(null) throws
        String name = p.name();
        if (name != null && fields.contains(name)) {
          kept.append(raw, from, p.start());
          from = p.end();
        }
      }
      kept.append(raw, from, raw.length());
      return Buffer.buffer(kept.toString(), "ISO-8859-1");
    }
  }
}
