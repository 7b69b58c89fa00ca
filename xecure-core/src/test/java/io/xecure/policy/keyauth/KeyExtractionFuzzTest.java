package io.xecure.policy.keyauth;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Fuzzes key extraction from a header, bearer, query, JSON, form and multipart: a known key is put
 * in its place among fuzzed neighbours (or the fuzzer writes the whole text), and whatever comes
 * out must be the key that was sent, alone or next to another value (then refused as ambiguous), or
 * no fields at all (a multipart body the fuzzed headers broke): never an exception, never another
 * key instead, never more output than input, never more reading than linear in the input. What is
 * left after removing the key still parses and holds no key field.
 *
 * <p>{@code ./mvnw verify} replays {@code KeyExtractionFuzzTestInputs/extractKey/} only; a run that
 * fuzzes: {@code JAZZER_FUZZ=1 ./mvnw -B -pl xecure-core -am test -Dtest=KeyExtractionFuzzTest
 * -Dsurefire.failIfNoSpecifiedTests=false} (new findings land in that directory, the working corpus
 * in {@code .cifuzz-corpus/}).
 */
class KeyExtractionFuzzTest {
  private static final String FIELD = "api_key";
  private static final String KEY = "xk_4fJ2aZ9qLm3Xc7Tb1Rn8Wd5Ye6Hs0Gp2Kv9AbCdEf";
  private static final String BOUNDARY = "XyZ";
  private static final JsonFactory JSON = new JsonFactory();

  @FuzzTest(maxDuration = "5m")
  void extractKey(FuzzedDataProvider data) throws IOException {
    switch (data.consumeInt(0, 7)) {
      case 0 -> header(data);
      case 1 -> query(data, true);
      case 2 -> query(data, false);
      case 3 -> json(data, true);
      case 4 -> json(data, false);
      case 5 -> multipart(data, true);
      case 6 -> multipart(data, false);
      default -> form(data);
    }
  }

  private static void header(FuzzedDataProvider data) {
    String ows = data.pickValue(List.of("", " ", "\t", " \t "));
    String spaces = " ".repeat(data.consumeInt(1, 4));
    assertThat(KeyAuthPolicy.withoutOws(ows + KEY + ows)).isEqualTo(KEY);
    assertThat(KeyAuthPolicy.bearer("bEaReR" + spaces + KEY)).isEqualTo(KEY);
    String value = data.consumeRemainingAsString();
    String trimmed = KeyAuthPolicy.withoutOws(value);
    assertThat(value).contains(trimmed);
    String credentials = KeyAuthPolicy.bearer(trimmed);
    if (credentials != null) {
      assertThat(trimmed).endsWith(credentials);
    }
  }

  /** The key as a pair between fuzzed text, or the fuzzer's whole string. */
  private static void query(FuzzedDataProvider data, boolean placed) {
    String text =
        placed
            ? data.consumeString(200)
                + "&"
                + FIELD
                + "="
                + KEY
                + "&"
                + data.consumeRemainingAsString()
            : data.consumeRemainingAsString();
    CountingChars counted = new CountingChars(text);
    List<String> values = new ArrayList<>();
    QueryString.values(counted, FIELD, values);
    assertLinear(counted);
    if (placed) {
      assertThat(values).contains(KEY);
    }
    values.forEach(v -> assertThat(v.length()).isLessThanOrEqualTo(text.length() + 1));
    String rest = QueryString.without(text, FIELD);
    if (rest != null) {
      assertThat(rest.length()).isLessThanOrEqualTo(text.length());
      List<String> left = new ArrayList<>();
      QueryString.values(rest, FIELD, left);
      assertThat(left).isEmpty();
    }
  }

  private static void form(FuzzedDataProvider data) {
    String text =
        data.consumeAsciiString(200) + "&" + FIELD + "=" + KEY + "&" + data.consumeAsciiString(200);
    BodyFields fields =
        Objects.requireNonNull(BodyFields.of("application/x-www-form-urlencoded", latin1(text)));
    check(fields, text.length(), true, "application/x-www-form-urlencoded");
  }

  /** Fuzzed members written by a JSON generator with the key among them, or fuzzed bytes. */
  private static void json(FuzzedDataProvider data, boolean placed) throws IOException {
    byte[] body;
    if (placed) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (JsonGenerator g = JSON.createGenerator(out)) {
        g.writeStartObject();
        int members = data.consumeInt(0, 8);
        int at = data.consumeInt(0, members);
        for (int i = 0; i <= members; i++) {
          if (i == at) {
            g.writeStringField(FIELD, KEY);
          }
          if (i < members) {
            g.writeStringField(data.consumeString(20), data.consumeString(40));
          }
        }
        g.writeEndObject();
      }
      body = out.toByteArray();
    } else {
      body = data.consumeRemainingAsBytes();
    }
    BodyFields fields = BodyFields.of("application/json", Buffer.buffer(body));
    if (placed) {
      assertThat(fields).isNotNull();
    }
    if (fields != null) {
      check(fields, body.length, placed, "application/json");
    }
  }

  /** Fuzzed parts with the key part among them, or a fuzzed body under a fixed boundary. */
  private static void multipart(FuzzedDataProvider data, boolean placed) {
    String text;
    if (placed) {
      StringBuilder b = new StringBuilder(noBoundary(data.consumeAsciiString(40)));
      int parts = data.consumeInt(0, 6);
      int at = data.consumeInt(0, parts);
      for (int i = 0; i <= parts; i++) {
        if (i == at) {
          b.append("\r\n--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"")
              .append(FIELD)
              .append("\"\r\n\r\n")
              .append(KEY);
        }
        if (i < parts) {
          b.append("\r\n--" + BOUNDARY + "\r\n")
              .append(noBoundary(data.consumeAsciiString(80)))
              .append("\r\n\r\n")
              .append(noBoundary(data.consumeAsciiString(80)));
        }
      }
      text = b.append("\r\n--" + BOUNDARY + "--\r\n").toString();
    } else {
      text = data.consumeRemainingAsString();
    }
    CountingChars counted = new CountingChars(text);
    Multipart.parse(counted, BOUNDARY);
    assertLinear(counted);
    String type = "multipart/form-data; boundary=" + BOUNDARY;
    BodyFields fields = BodyFields.of(type, latin1(text));
    if (fields != null) {
      check(fields, text.length(), placed, type);
    }
  }

  /** Fuzzed text that cannot end the key's part early: the boundary never occurs in it. */
  private static String noBoundary(String s) {
    return s.replace(BOUNDARY, "xyz");
  }

  private static void check(BodyFields fields, int length, boolean mustFind, String type) {
    List<String> values = fields.values(FIELD);
    if (mustFind) {
      assertThat(values).contains(KEY);
    }
    values.forEach(v -> assertThat(v.length()).isLessThanOrEqualTo(length));
    Buffer rest = fields.without(List.of(FIELD));
    assertThat(rest.length()).isLessThanOrEqualTo(length);
    if (!values.isEmpty()) {
      BodyFields again = BodyFields.of(type, rest);
      assertThat(again).as("what is left still parses").isNotNull();
      assertThat(Objects.requireNonNull(again).values(FIELD)).isEmpty();
    }
  }

  private static void assertLinear(CountingChars text) {
    assertThat(text.reads()).isLessThanOrEqualTo(16L * text.length() + 1024);
  }

  private static Buffer latin1(String text) {
    byte[] bytes = new byte[text.length()];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) text.charAt(i);
    }
    return Buffer.buffer(bytes);
  }
}
