package io.xecure.problem;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class ProblemJsonTest {

  private static JsonObject expected(ProblemCode code, String detail, String requestId) {
    return new JsonObject()
        .put("type", code.type())
        .put("title", code.title())
        .put("status", code.status())
        .put("detail", detail)
        .put("code", code.code())
        .put("request_id", requestId);
  }

  @Test
  void everyCodeEncodesItsMembersInOrderAsJsonWould() {
    for (ProblemCode code : ProblemCode.values()) {
      String detail = "Detail of " + code.code() + ".";
      String body = ProblemJson.body(code, detail, "req42").toString();

      assertThat(body).isEqualTo(expected(code, detail, "req42").encode());
      // asked again (the cached head), with another request id
      assertThat(ProblemJson.body(code, detail, "req43").toString())
          .isEqualTo(expected(code, detail, "req43").encode());
    }
  }

  @Test
  void anotherDetailForTheSameCodeIsNeverAnsweredWithTheOneBefore() {
    ProblemCode code = ProblemCode.values()[0];
    String first = ProblemJson.body(code, "First detail.", "r1").toString();
    String second = ProblemJson.body(code, "Second detail.", "r2").toString();
    String firstAgain = ProblemJson.body(code, "First detail.", "r3").toString();

    assertThat(new JsonObject(first).getString("detail")).isEqualTo("First detail.");
    assertThat(new JsonObject(second).getString("detail")).isEqualTo("Second detail.");
    assertThat(new JsonObject(firstAgain).getString("detail")).isEqualTo("First detail.");
    assertThat(new JsonObject(firstAgain).getString("request_id")).isEqualTo("r3");
  }

  @Test
  void quotesControlCharactersAndNonAsciiAreEscapedAsJsonWould() {
    ProblemCode code = ProblemCode.values()[1];
    String detail = "A \"quoted\" \\ back\nslash, tab\t, é and \u0001.";
    String requestId = "id\"with\\odd\u0002chars";

    String body = ProblemJson.body(code, detail, requestId).toString();

    assertThat(body).isEqualTo(expected(code, detail, requestId).encode());
    assertThat(new JsonObject(body).getString("detail")).isEqualTo(detail);
    assertThat(new JsonObject(body).getString("request_id")).isEqualTo(requestId);
  }

  @Test
  void extraMembersComeLast() {
    ProblemCode code = ProblemCode.values()[2];
    JsonObject extra = new JsonObject().put("errors", new io.vertx.core.json.JsonArray().add("x"));

    String body = ProblemJson.body(code, "Bad.", "r9", extra).toString();

    assertThat(body).isEqualTo(expected(code, "Bad.", "r9").mergeIn(extra).encode());
  }
}
