package io.xecure.policy.keyauth;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BodyFieldsTest {
  private static final String JSON = "application/json";
  private static final String FORM = "application/x-www-form-urlencoded";
  private static final String MULTIPART = "multipart/form-data; boundary=XyZ";

  private static @Nullable BodyFields fields(String type, String body) {
    return BodyFields.of(type, Buffer.buffer(body.getBytes(StandardCharsets.UTF_8)));
  }

  private static BodyFields parsed(String type, String body) {
    BodyFields f = fields(type, body);
    assertThat(f).as("parses: %s", body).isNotNull();
    return Objects.requireNonNull(f);
  }

  private static List<String> values(String type, String body) {
    return parsed(type, body).values("api_key");
  }

  private static String part(String headers, String value) {
    return "--XyZ\r\n" + headers + "\r\n" + value + "\r\n";
  }

  @Test
  void jsonValuesAreTakenExactly() {
    assertThat(values(JSON, "{\"api_key\":\"k1\\n\"}")).containsExactly("k1\n");
    assertThat(values(JSON, "{\"api_key\":\" k1\"}")).containsExactly(" k1");
    assertThat(values(JSON, "{\"api_key\":\"\\u0000k1\"}")).containsExactly("\0k1");
    assertThat(values(JSON, "{\"api\\u005fkey\":\"k1\"}")).containsExactly("k1");
  }

  @Test
  void jsonNamingTheKeyFieldTwiceGivesBothEvenIfEqualOrNotStrings() {
    assertThat(values(JSON, "{\"api_key\":\"k1\",\"api_key\":\"k1\"}")).hasSize(2);
    assertThat(values(JSON, "{\"api_key\":null,\"x\":{\"api_key\":1},\"api_key\":\"k\"}"))
        .containsExactly("", "k");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "[\"api_key\"]",
        "{\"api_key\":\"k\"} {}",
        "{\"api_key\":\"k\"",
        "{\"api_key\":1e99999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999}",
        "{\"a\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}",
      })
  void jsonThatIsNotOneObjectWithinLimitsHasNoFields(String body) {
    assertThat(fields(JSON, body)).isNull();
  }

  @Test
  void jsonWithoutCutsTheMemberAndKeepsEveryOtherByte() {
    String[][] cases = {
      {"{\"api_key\":\"k\"}", "{}"},
      {" { \"api_key\" : \"k\" } ", " { } "},
      {"{\"api_key\":\"k\", \"b\":[1, {\"c\":2}]}", "{ \"b\":[1, {\"c\":2}]}"},
      {"{\"a\":1.50 , \"api_key\":\"k\"}", "{\"a\":1.50 }"},
      {"{\"a\":1,\n \"api_key\":\"k\",\n \"b\":\"\\u00e9\"}", "{\"a\":1,\n \"b\":\"\\u00e9\"}"},
    };
    for (String[] c : cases) {
      BodyFields f = parsed(JSON, c[0]);
      assertThat(f.without(List.of("api_key")).toString()).as(c[0]).isEqualTo(c[1]);
    }
  }

  @Test
  void formValuesAreExactAndEveryOccurrenceCounts() {
    assertThat(values(FORM, "api_key=k1+&b=2")).containsExactly("k1 ");
    assertThat(values(FORM, "api_key=k1&api_key=k1")).containsExactly("k1", "k1");
  }

  @Test
  void multipartFieldIsFoundAndRemoved() {
    String body =
        "preamble\r\n"
            + part("Content-Disposition: form-data; name=\"api_key\"\r\n", "k1")
            + part("Content-Disposition: form-data; name=\"note\"\r\n", "hello")
            + "--XyZ--\r\n";
    BodyFields f = parsed(MULTIPART, body);
    assertThat(f.values("api_key")).containsExactly("k1");
    assertThat(f.without(List.of("api_key")).toString())
        .isEqualTo(
            "preamble\r\n"
                + part("Content-Disposition: form-data; name=\"note\"\r\n", "hello")
                + "--XyZ--\r\n");
  }

  @Test
  void severalFieldsAreCutFromTheOneParseOfEachType() {
    List<String> cut = List.of("api_key", "_method");
    assertThat(
            parsed(JSON, "{\"_method\":\"PUT\",\"a\":1,\"api_key\":\"k\"}").without(cut).toString())
        .isEqualTo("{\"a\":1}");
    assertThat(parsed(FORM, "_method=PUT&a=1&api_key=k&b=2").without(cut).toString())
        .isEqualTo("a=1&b=2");
    assertThat(parsed(FORM, "_method=PUT&api_key=k").without(cut).toString()).isEmpty();
    String multipart =
        part("Content-Disposition: form-data; name=\"_method\"\r\n", "PUT")
            + part("Content-Disposition: form-data; name=\"note\"\r\n", "hello")
            + part("Content-Disposition: form-data; name=\"api_key\"\r\n", "k1")
            + "--XyZ--\r\n";
    assertThat(parsed(MULTIPART, multipart).without(cut).toString())
        .isEqualTo(
            part("Content-Disposition: form-data; name=\"note\"\r\n", "hello") + "--XyZ--\r\n");
  }

  @Test
  void multipartValueIsExactAndAFilePartOrASecondPartCounts() {
    String body =
        part("Content-Disposition: form-data; name=api_key\r\n", " k1\t")
            + part("content-disposition: form-data; name=\"api_key\"; filename=\"a\"\r\n", "k2")
            + "--XyZ--";
    assertThat(values(MULTIPART, body)).containsExactly(" k1\t", "");
  }

  /** Issue 7 item 3: a part with no headers threw StringIndexOutOfBounds inside the callback. */
  @Test
  void aPartWithNoHeadersIsLegalAndHasNoName() {
    String body = "--XyZ\r\n\r\nno headers\r\n" + part("", "") + "--XyZ--\r\n";
    assertThat(values(MULTIPART, body)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "--XyZ\r\nContent-Disposition: form-data; name=\"api_key\"\r\nk1\r\n--XyZ--",
        "--XyZ\r\nContent-Disposition: form-data; name=\"api_key\"\r\n\r\nk1\r\n",
        "--XyZabc\r\nContent-Disposition: form-data; name=\"api_key\"\r\n\r\nk1\r\n--XyZ--",
        "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\nContent-Disposition: form-data;"
            + " name=\"api_key\"\r\n\r\nk1\r\n--XyZ--",
        "--XyZ\r\nContent-Disposition: form-data; name=\"a\"; name=\"api_key\"\r\n\r\nk\r\n--XyZ--",
        "--XyZ\r\nX: 1\nContent-Disposition: form-data; name=\"api_key\"\r\n\r\nk1\r\n--XyZ--",
        "no delimiter at all",
      })
  void malformedMultipartHasNoFields(String body) {
    assertThat(fields(MULTIPART, body)).isNull();
  }

  @Test
  void contentTypeMustBeExactlyOneOfTheThree() {
    assertThat(fields("application/jsonx", "{\"api_key\":\"k\"}")).isNull();
    assertThat(fields("text/plain", "api_key=k")).isNull();
    assertThat(fields("application/vnd.x+json; charset=utf-8", "{\"api_key\":\"k\"}")).isNotNull();
    assertThat(fields("multipart/form-data; boundary=\"Xy;Z\"", "--Xy;Z\r\n\r\n\r\n--Xy;Z--"))
        .isNotNull();
    assertThat(fields("multipart/form-data", "--XyZ--")).isNull();
  }

  /** Issue 7 item 2: parts that lack the blank line were searched to the end, once per part. */
  @Test
  void multipartIsLinearOnPartsWithoutTheBlankLineAndOnManyEmptyParts() {
    for (String unit : List.of("--XyZ\r\nX: y\r\n", "--XyZ\r\n\r\n\r\n", "\r\n--Xy")) {
      long[] reads = new long[2];
      int[] sizes = {16 * 1024, 64 * 1024};
      for (int i = 0; i < 2; i++) {
        CountingChars text = new CountingChars(unit.repeat(sizes[i] / unit.length()) + "--XyZ--");
        Multipart.parse(text, "XyZ");
        reads[i] = text.reads();
        assertThat(reads[i])
            .as("%s x %d", unit.trim(), sizes[i])
            .isLessThanOrEqualTo(8L * sizes[i]);
      }
      assertThat(reads[1]).isLessThanOrEqualTo(4 * reads[0] + 256);
    }
  }
}
