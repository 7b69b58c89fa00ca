package io.xecure.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.xecure.keys.KeyFormat;
import io.xecure.testing.EchoUpstream;
import io.xecure.testing.Eventually;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SPEC §4: "Nothing — logs, events, metrics, errors, alerts, webhooks, the admin API — ever shows a
 * plaintext key again, even one a client sent where the API does not look for keys." Drives a few
 * hundred mixed requests (valid, wrong, revoked, ambiguous, misrouted keys, in every location the
 * APIs read, and stray keys everywhere else a client could put one) through the packaged gateway,
 * reports a key leaked so that an alert is posted to a webhook, stops the gateway cleanly, then
 * searches every output the product produced (both streams, the events file, the store on disk, the
 * admin API's views, metrics, alerts, webhook bodies) for every plaintext ever presented.
 */
class NoPlaintextKeyIT {
  private static final String KEY_IN =
      "[ \"header:X-API-Key\", \"bearer\", \"query:api_key\", \"body:api_key\" ]";
  private static final String BASE62 =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  private static final int ISSUED = 20;
  private static final int REVOKED = 4;
  private static final int IMPORTED = 20;

  /** Where a request carries its key. */
  enum In {
    HEADER,
    BEARER,
    QUERY,
    JSON,
    FORM,
    MULTIPART
  }

  /** One request and what the gateway must answer. */
  record Call(String what, HttpRequest request, int status, String code) {}

  @TempDir Path dir;

  private final LeakSearch search = new LeakSearch();
  private final long seed = System.nanoTime();
  private final Random random = new Random(seed);
  private int port;

  @Test
  void searchFindsAPlantedKey() throws Exception {
    Path scratch = Files.createDirectories(dir.resolve("scratch/nested"));
    String planted = new KeyFormat("xk_").generate();
    byte[] junk = new byte[4096];
    random.nextBytes(junk);
    Files.write(scratch.resolve("junk.bin"), junk);
    byte[] withKey =
        (new String(junk, StandardCharsets.ISO_8859_1) + planted + "\0\1")
            .getBytes(StandardCharsets.ISO_8859_1);
    Files.write(scratch.resolve("store.mv.db"), withKey);
    LeakSearch check = new LeakSearch();
    check.key(planted);
    check.key("xk_too_short_to_count");
    check.key(new KeyFormat("xk_").generate());
    check.filesUnder("scratch", dir.resolve("scratch"));
    check.place("a response", "{\"detail\":\"" + planted.substring(0, 30) + "\"}");

    assertThat(check.findings())
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .startsWith(planted.substring(0, 6) + "... found in [scratch/nested/store.mv.db] as in: ")
        .endsWith(planted.substring(0, 6) + "...\0\1");
    assertThat(String.join("\n", check.findings())).doesNotContain(planted.substring(6));
  }

  @Test
  void noPlaintextKeyIsEverShownStoredOrLogged() throws Exception {
    System.out.println("[e2e] NoPlaintextKeyIT seed " + seed);
    port = XecureProcess.freePort();
    int adminPort = XecureProcess.freePort();
    String token = ConfigFiles.token();
    Path data = dir.resolve("data");
    List<String> wrongStatus = new ArrayList<>();
    int dataPlaneRequests;
    try (EchoUpstream upstream = new EchoUpstream()) {
      HookReceiver hook = new HookReceiver();
      Path config = ConfigFiles.serve(dir, port, adminPort, upstream.url(), KEY_IN);
      // a second API that reads the key from a header only (stray keys elsewhere are refused but
      // must not be recorded), and a webhook for alerts
      Files.writeString(
          config,
          """
            - name: strict
              path: /strict
              upstream: %s
              key_auth:
                in: [ "header:X-API-Key" ]
          alerts:
            webhook: { url: "%s", secret: "e2e-webhook-secret-0123456789", retries: 0 }
          """
              .formatted(upstream.url(), hook.url()),
          StandardOpenOption.APPEND);
      try (XecureProcess serve =
          XecureProcess.start(
              dir,
              "serve",
              Map.of("XECURE_ADMIN_TOKEN", token),
              "serve",
              "--config",
              config.toString())) {
        serve.awaitHealthy(adminPort, Duration.ofSeconds(30));
        Admin admin = new Admin(adminPort, token);

        // keys issued through the admin API; a few revoked
        String developer = admin.createDeveloper("ada").getString("id");
        List<String> valid = new ArrayList<>();
        List<String> ours = new ArrayList<>(); // valid keys in our format: recognised by shape
        List<String> revoked = new ArrayList<>();
        List<String> keyIds = new ArrayList<>();
        for (int i = 0; i < ISSUED; i++) {
          JsonObject issued = admin.issueKey(developer, "k" + i);
          keyIds.add(issued.getString("id"));
          (i < REVOKED ? revoked : valid).add(issued.getString("key"));
          if (i >= REVOKED) {
            ours.add(issued.getString("key"));
          }
          if (i < REVOKED) {
            admin.revoke(issued.getString("id"));
          }
        }

        // legacy keys imported with the CLI, as an operator moving from another gateway would
        String legacyDeveloper = admin.createDeveloper("legacy").getString("id");
        List<String> legacy = new ArrayList<>();
        for (int i = 0; i < IMPORTED; i++) {
          legacy.add(legacyKey());
        }
        String badChecksum = changeOneChar(new KeyFormat("xk_").generate(), 40);
        List<String> lines = new ArrayList<>(legacy);
        lines.add(badChecksum); // looks like ours, checksum wrong: refused
        lines.add("short-legacy-key"); // under 20 characters: refused
        lines.add(legacy.get(0)); // duplicate line: refused
        Path keyFile = dir.resolve("legacy-keys.txt");
        Files.write(keyFile, lines);
        XecureProcess importer =
            XecureProcess.run(
                dir,
                "import",
                Map.of(),
                "keys",
                "import",
                "--developer",
                legacyDeveloper,
                "--file",
                keyFile.toString(),
                "--admin-url",
                admin.base,
                "--token",
                token);
        assertThat(importer.exitValue()).as(importer.dump()).isEqualTo(3);
        assertThat(importer.stdout()).contains("imported " + IMPORTED + ", failed 3");
        valid.addAll(legacy);

        List<String> wrong = new ArrayList<>(revoked);
        wrong.add(badChecksum);
        for (int i = 0; i < 20; i++) {
          wrong.add(new KeyFormat("xk_").generate()); // well-formed, unknown
        }
        for (int i = 0; i < 10; i++) {
          String v = valid.get(random.nextInt(valid.size()));
          wrong.add(v.substring(0, v.length() - 1 - random.nextInt(10))); // truncated
          wrong.add(changeOneChar(valid.get(random.nextInt(valid.size())), 3));
          wrong.add(legacyKey()); // imported format, unknown
        }
        valid.forEach(search::key);
        wrong.forEach(search::key);

        List<Call> calls = calls(valid, wrong, revoked);
        // the well-formed unknown keys (after the revoked ones and the one with a bad checksum)
        calls.addAll(strayKeys(ours, legacy, wrong.subList(REVOKED + 1, REVOKED + 9)));
        Collections.shuffle(calls, random);
        dataPlaneRequests = calls.size();
        long start = System.nanoTime();
        for (int i = 0; i < calls.size(); i++) {
          Call call = calls.get(i);
          HttpResponse<String> r =
              XecureProcess.HTTP.send(call.request(), HttpResponse.BodyHandlers.ofString());
          search.place("response #" + i + " (" + call.what() + ")", describe(r));
          String code = r.statusCode() == 200 ? null : codeOf(r.body());
          if (r.statusCode() != call.status() || !Objects.equals(code, call.code())) {
            wrongStatus.add(
                call.what()
                    + ": expected "
                    + call.status()
                    + " "
                    + call.code()
                    + ", got "
                    + r.statusCode()
                    + " "
                    + code);
          }
        }
        System.out.println(
            "[e2e] NoPlaintextKeyIT: "
                + calls.size()
                + " requests in "
                + Duration.ofNanos(System.nanoTime() - start).toMillis()
                + " ms");

        // a scanner reports a key leaked: revoked, and an alert posted to the webhook
        String leaked = admin.issueKey(developer, "to-leak").getString("key");
        search.key(leaked);
        admin.post("/admin/keys/leaked", new JsonObject().put("key", leaked));
        hook.awaitDeliveries(1);

        // the admin API's views, once every request's event has reached the store
        awaitRequestEvents(admin, calls.size());
        admin.responses.clear(); // the issue responses show each key once, by design
        admin.listAll("/admin/keys");
        admin.listAll("/admin/keys?developer=" + legacyDeveloper);
        admin.listAll("/admin/developers");
        admin.get("/admin/events?limit=1000");
        admin.get("/admin/keys/" + keyIds.get(0));
        admin.get("/admin/keys/" + keyIds.get(REVOKED));
        admin.get("/admin/alerts?limit=1000");
        admin.get("/metrics");
        for (HttpResponse<String> r : admin.responses) {
          search.place(
              "admin " + r.request().uri().getPath() + "?" + r.request().uri().getQuery(),
              describe(r));
        }

        assertThat(serve.stop(Duration.ofSeconds(15))).as(serve.dump()).isZero();
        search.file("serve stdout", serve.stdoutFile());
        search.file("serve stderr", serve.stderrFile());
        search.file("keys import stdout", importer.stdoutFile());
        search.file("keys import stderr", importer.stderrFile());
      } finally {
        hook.close();
      }
      List<String> bodies = hook.bodies();
      for (int i = 0; i < bodies.size(); i++) {
        search.place("webhook body #" + i, bodies.get(i));
      }
      List<EchoUpstream.Received> received = upstream.received();
      for (int i = 0; i < received.size(); i++) {
        EchoUpstream.Received r = received.get(i);
        search.place(
            "upstream request #" + i,
            r.method()
                + " "
                + r.uri()
                + "\n"
                + r.headers()
                + "\n"
                + r.body().toString(StandardCharsets.ISO_8859_1));
      }
    }
    Path events = data.resolve("events.jsonl");
    search.file("events file", events);
    search.filesUnder("data", data);

    // the search covered real output: every request's event, and the store on disk
    assertThat(Files.readAllLines(events)).hasSizeGreaterThanOrEqualTo(dataPlaneRequests);
    assertThat(data.resolve("xecure.mv.db")).isRegularFile();
    System.out.println(
        "[e2e] NoPlaintextKeyIT: searched "
            + search.placeCount()
            + " places for "
            + search.keys().size()
            + " keys");

    assertThat(search.findings()).as("plaintext keys found (seed " + seed + ")").isEmpty();
    assertThat(wrongStatus).as("answers that differ from SPEC §5").isEmpty();
  }

  /** The mixed traffic, shuffled: valid keys everywhere, then every kind of wrong request. */
  private List<Call> calls(List<String> valid, List<String> wrong, List<String> revoked) {
    List<Call> calls = new ArrayList<>();
    for (String key : valid) {
      for (In in : In.values()) {
        calls.add(new Call("valid key in " + in, request("/echo/items", in, key), 200, null));
      }
    }
    In[] ins = In.values();
    for (int i = 0; i < wrong.size(); i++) {
      In in = ins[i % ins.length];
      calls.add(
          new Call(
              "wrong key in " + in, request("/echo/items", in, wrong.get(i)), 401, "key_invalid"));
    }
    for (String key : revoked) {
      In in = ins[random.nextInt(ins.length)];
      calls.add(
          new Call("revoked key in " + in, request("/echo/items", in, key), 401, "key_invalid"));
    }
    for (int i = 0; i < 12; i++) {
      String a = valid.get(random.nextInt(valid.size()));
      String b = i % 3 == 0 ? wrong.get(random.nextInt(wrong.size())) : other(valid, a);
      calls.add(new Call("two keys (" + i % 4 + ")", twoKeys(i % 4, a, b), 400, "key_ambiguous"));
    }
    for (int i = 0; i < 4; i++) {
      String key = valid.get(random.nextInt(valid.size()));
      HttpRequest same =
          HttpRequest.newBuilder(uri("/echo/items?api_key=" + key))
              .header("X-API-Key", key)
              .header("Authorization", "Bearer " + key)
              .build();
      calls.add(new Call("one key in header, bearer and query", same, 200, null));
    }
    for (int i = 0; i < 4; i++) {
      String key = valid.get(random.nextInt(valid.size()));
      // the field's name percent-encoded is the same field: found, so it must be redacted too
      calls.add(
          new Call(
              "valid key in query as api%5Fkey",
              HttpRequest.newBuilder(uri("/echo/items?api%5Fkey=" + key)).build(), 200, null));
      calls.add(
          new Call(
              "valid key twice in the query",
              HttpRequest.newBuilder(uri("/echo/items?api_key=" + key + "&x=1&api_key=" + key))
                  .build(),
              200,
              null));
      // a body that does not parse holds no key: refused, and the body goes nowhere
      calls.add(
          new Call(
              "key in malformed JSON",
              post(
                  HttpRequest.newBuilder(uri("/echo/items")),
                  "application/json",
                  "{\"api_key\":\"" + key + "\""),
              401,
              "key_missing"));
    }
    for (int i = 0; i < 10; i++) {
      String key = (i % 2 == 0 ? valid : wrong).get(random.nextInt(10));
      HttpRequest nope =
          i % 4 == 3
              ? HttpRequest.newBuilder(uri("/nope/x")).header("X-API-Key", key).build()
              : HttpRequest.newBuilder(uri("/nope?api_key=" + key)).build();
      calls.add(new Call("unknown path with a key", nope, 404, "route_not_found"));
    }
    List<String> badPaths =
        List.of(
            "/echo/a%2fb",
            "/echo/a;b",
            "/echo/%5cwindows",
            "/echo/%2e%2e/%2e%2e/etc",
            "/echo/a%00b",
            "/echo/a%0d%0ab",
            "/../echo/x");
    for (int i = 0; i < badPaths.size() * 2; i++) {
      String key = (i % 2 == 0 ? valid : wrong).get(random.nextInt(10));
      HttpRequest bad =
          HttpRequest.newBuilder(uri(badPaths.get(i / 2) + "?note=1&api_key=" + key)).build();
      calls.add(new Call("bad path " + badPaths.get(i / 2), bad, 400, "path_invalid"));
    }
    return calls;
  }

  /**
   * Keys where the API does not look for them (the {@code strict} API reads a header only), so
   * every call is refused 401 and nothing reaches the upstream: the query under every credential
   * name and others, a path segment, the user agent, Referer and other headers, a body,
   * fragment-like and percent-encoded. Keys of our format ({@code ours}, {@code shaped}) are
   * removed by their shape wherever they stand; imported ones ({@code legacy}) only as the value of
   * a credential parameter.
   */
  private List<Call> strayKeys(List<String> ours, List<String> legacy, List<String> shaped) {
    List<Call> calls = new ArrayList<>();
    List<String> names =
        List.of(
            "api_key",
            "apikey",
            "key",
            "token",
            "access_token",
            "API_KEY",
            "Api%5fKey",
            "%61pi_key",
            "Access_Token");
    List<String> keys = new ArrayList<>(ours);
    keys.addAll(shaped);
    for (int i = 0; i < keys.size(); i++) {
      String key = keys.get(i);
      String name = names.get(i % names.size());
      String encoded = key.replace("_", "%5F");
      List<HttpRequest> requests =
          List.of(
              get("/strict/items?" + name + "=" + key),
              get("/strict/items?page=2&q=" + key + "&sort=asc"),
              get("/strict/items?x=1;token=" + key),
              get("/strict/" + key + "/items"),
              get("/strict/" + encoded + "/items"),
              get("/strict/items?q=" + encoded),
              get("/strict/items?next=%2Fhome%23access_token%3D" + key),
              HttpRequest.newBuilder(uri("/strict/items"))
                  .header("User-Agent", "probe/1.0 (" + key + ")")
                  .header("Referer", "https://app.example.com/cb?api_key=" + key)
                  .header("X-Debug", key)
                  .header("Cookie", "session=" + key)
                  .header("Authorization", "Token " + key)
                  .build(),
              post(
                  HttpRequest.newBuilder(uri("/strict/items")),
                  "application/json",
                  new JsonObject().put("api_key", key).encode()));
      for (HttpRequest r : requests) {
        calls.add(new Call("stray key: " + r.uri().getRawPath(), r, 401, "key_missing"));
      }
      calls.add(
          new Call("stray key in a path, no API", get("/nope/" + key), 404, "route_not_found"));
      calls.add(new Call("stray key in a bad path", get("/strict/a;" + key), 400, "path_invalid"));
    }
    for (int i = 0; i < legacy.size(); i++) {
      String name = names.get(i % names.size());
      calls.add(
          new Call(
              "imported key in ?" + name,
              get("/strict/items?page=2&" + name + "=" + legacy.get(i)),
              401,
              "key_missing"));
    }
    return calls;
  }

  private HttpRequest get(String pathAndQuery) {
    return HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(20)).build();
  }

  private HttpRequest request(String path, In in, String key) {
    HttpRequest.Builder b = HttpRequest.newBuilder().timeout(Duration.ofSeconds(20));
    return switch (in) {
      case HEADER -> b.uri(uri(path)).header("X-API-Key", key).build();
      case BEARER -> b.uri(uri(path)).header("Authorization", "Bearer " + key).build();
      case QUERY -> b.uri(uri(path + "?page=2&api_key=" + key)).build();
      case JSON ->
          post(
              b.uri(uri(path)),
              "application/json",
              new JsonObject().put("note", "hi").put("api_key", key).encode());
      case FORM ->
          post(b.uri(uri(path)), "application/x-www-form-urlencoded", "note=hi&api_key=" + key);
      case MULTIPART -> {
        String boundary = "e2e" + random.nextInt(1_000_000);
        String body =
            "--"
                + boundary
                + "\r\n"
                + "Content-Disposition: form-data; name=\"note\"\r\n\r\nhi\r\n"
                + "--"
                + boundary
                + "\r\n"
                + "Content-Disposition: form-data; name=\"api_key\"\r\n\r\n"
                + key
                + "\r\n"
                + "--"
                + boundary
                + "--\r\n";
        yield post(b.uri(uri(path)), "multipart/form-data; boundary=" + boundary, body);
      }
    };
  }

  /** Two different keys in one request, four ways. */
  private HttpRequest twoKeys(int way, String a, String b) {
    return switch (way) {
      case 0 ->
          HttpRequest.newBuilder(uri("/echo/items?api_key=" + b)).header("X-API-Key", a).build();
      case 1 ->
          HttpRequest.newBuilder(uri("/echo/items"))
              .header("X-API-Key", a)
              .header("X-API-Key", b)
              .build();
      case 2 ->
          post(
              HttpRequest.newBuilder(uri("/echo/items")).header("Authorization", "Bearer " + a),
              "application/json",
              new JsonObject().put("api_key", b).encode());
      default ->
          post(
              HttpRequest.newBuilder(uri("/echo/items?api_key=" + a)),
              "application/x-www-form-urlencoded",
              "api_key=" + b);
    };
  }

  private static HttpRequest post(HttpRequest.Builder b, String type, String body) {
    return b.header("content-type", type).POST(HttpRequest.BodyPublishers.ofString(body)).build();
  }

  private URI uri(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + port + pathAndQuery);
  }

  /** Status, every header and the body of a response, as one searchable text. */
  private static String describe(HttpResponse<String> r) {
    StringBuilder s = new StringBuilder().append(r.statusCode()).append('\n');
    r.headers()
        .map()
        .forEach(
            (name, values) ->
                values.forEach(v -> s.append(name).append(": ").append(v).append('\n')));
    return s.append(r.body()).toString();
  }

  private static String codeOf(String body) {
    try {
      return new JsonObject(body).getString("code");
    } catch (RuntimeException e) {
      return "(not problem+json: " + body.length() + " chars)";
    }
  }

  private static void awaitRequestEvents(Admin admin, int count) throws Exception {
    Eventually.await(
        "all " + count + " request events shown by the admin API",
        Duration.ofSeconds(15),
        () -> requestEvents(admin),
        seen -> seen >= count);
  }

  private static long requestEvents(Admin admin) throws Exception {
    JsonObject events = new JsonObject(admin.get("/admin/events?limit=1000").body());
    return events.getJsonArray("items").stream()
        .filter(e -> "request".equals(((JsonObject) e).getString("type")))
        .count();
  }

  /** A key from another gateway: not our format, 28 to 40 characters. */
  private String legacyKey() {
    StringBuilder s = new StringBuilder("legacy-");
    int n = 21 + random.nextInt(13);
    for (int i = 0; i < n; i++) {
      s.append(BASE62.charAt(random.nextInt(BASE62.length())));
    }
    return s.toString();
  }

  /** {@code key} with one character at or after {@code from} replaced by another base62 one. */
  private String changeOneChar(String key, int from) {
    int at = from + random.nextInt(key.length() - from);
    char c;
    do {
      c = BASE62.charAt(random.nextInt(BASE62.length()));
    } while (c == key.charAt(at));
    return key.substring(0, at) + c + key.substring(at + 1);
  }

  private static String other(List<String> keys, String not) {
    for (String k : keys) {
      if (!k.equals(not)) {
        return k;
      }
    }
    throw new IllegalStateException("one key only");
  }
}
