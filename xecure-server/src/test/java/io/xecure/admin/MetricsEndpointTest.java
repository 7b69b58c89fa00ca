package io.xecure.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.xecure.admin.AdminFixture.Response;
import io.xecure.testing.MemoryStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code GET /metrics} when it asks for a token: the metrics token or the admin token. */
class MetricsEndpointTest {
  private static AdminFixture admin;

  @BeforeAll
  static void start() throws Exception {
    admin = new AdminFixture(new MemoryStore());
  }

  @AfterAll
  static void stop() throws Exception {
    admin.close();
  }

  @Test
  void guardedMetricsTakeTheMetricsTokenOrTheAdminToken() throws Exception {
    for (String token : new String[] {AdminFixture.METRICS_TOKEN, AdminFixture.TOKEN}) {
      Response r = admin.send(admin.request("/metrics").header("authorization", "Bearer " + token));
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.header("content-type")).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
      assertThat(r.body()).isEqualTo(AdminFixture.METRICS);
    }
  }

  @Test
  void guardedMetricsRefuseNoTokenAndAWrongOne() throws Exception {
    Response none = admin.send(admin.request("/metrics"));
    assertThat(none.status()).isEqualTo(401);
    assertThat(none.header("www-authenticate")).isEqualTo("Bearer realm=\"xecure-admin\"");
    assertThat(none.json().getString("detail"))
        .isEqualTo("send Authorization: Bearer <metrics token>");
    Response wrong =
        admin.send(admin.request("/metrics").header("authorization", "Bearer not-the-token"));
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(wrong.body()).doesNotContain("not-the-token").doesNotContain(AdminFixture.METRICS);
  }

  @Test
  void theMetricsTokenOpensNoAdminCall() throws Exception {
    Response r =
        admin.send(
            admin
                .request("/admin/developers")
                .header("authorization", "Bearer " + AdminFixture.METRICS_TOKEN));
    assertThat(r.status()).isEqualTo(401);
  }
}
