package io.xecure.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.xecure.config.AlertsConfig.KeyShared;
import io.xecure.config.AlertsConfig.QuotaNear;
import io.xecure.config.AlertsConfig.UsageSpike;
import io.xecure.config.AlertsConfig.Webhook;
import io.xecure.model.AlertType;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/** Binds the {@code alerts} section; see {@link ConfigLoader} for its fields and defaults. */
final class AlertsParser {
  private static final Pattern DECIMAL = Pattern.compile("\\d{1,7}(\\.\\d{1,3})?");
  private static final Duration MAX_WINDOW = Duration.ofDays(7);
  private static final int MIN_SECRET = 16;

  private AlertsParser() {}

  static AlertsConfig parse(Section s) {
    AlertsConfig d = AlertsConfig.DEFAULT;
    List<AlertType> detect = s.list("detect", List.copyOf(d.detect()), AlertsParser::type);
    UsageSpike spike = usageSpike(s.section("usage_spike"));
    KeyShared shared = keyShared(s.section("key_shared"));
    QuotaNear near = quotaNear(s.section("quota_near"));
    Webhook webhook = webhook(s.section("webhook"));
    s.finish();
    return new AlertsConfig(java.util.Set.copyOf(detect), spike, shared, near, webhook);
  }

  private static AlertType type(JsonNode value) throws BadValue {
    AlertType type = AlertType.of(Values.text(value).trim().toLowerCase(Locale.ROOT));
    if (type == null) {
      String all =
          Arrays.stream(AlertType.values()).map(AlertType::wire).collect(Collectors.joining(", "));
      throw BadValue.got("must be one of " + all, value);
    }
    return type;
  }

  private static UsageSpike usageSpike(Section s) {
    UsageSpike d = UsageSpike.DEFAULT;
    double factor = s.get("factor", d.factor(), AlertsParser::factor);
    long min =
        s.get(
            "min_requests",
            d.minRequests(),
            v -> Values.integer(v, 1, 1_000_000_000, "must be an integer from 1 to 1000000000"));
    Duration warmup = s.get("warmup", d.warmup(), AlertsParser::window);
    s.finish();
    return new UsageSpike(factor, min, warmup);
  }

  /** Above 1 (a factor of 1 is any growth at all), written as 5 or 2.5. */
  private static double factor(JsonNode value) throws BadValue {
    String text = value.isNumber() || value.isTextual() ? value.asText().trim() : "";
    if (DECIMAL.matcher(text).matches()) {
      double factor = Double.parseDouble(text);
      if (factor > 1 && factor <= 1000) {
        return factor;
      }
    }
    throw BadValue.got("must be a number above 1 and at most 1000, such as 5 or 2.5", value);
  }

  /** From one minute (the detectors count per minute) to seven days. */
  private static Duration window(JsonNode value) throws BadValue {
    Duration d = Values.duration(value);
    if (d.compareTo(Duration.ofMinutes(1)) < 0 || d.compareTo(MAX_WINDOW) > 0) {
      throw BadValue.got("must be a duration from 1m to 7d", value);
    }
    return d;
  }

  private static KeyShared keyShared(Section s) {
    KeyShared d = KeyShared.DEFAULT;
    // each key watched holds up to max_ips + 1 hashes: the bound keeps that memory small
    int maxIps =
        s.get(
            "max_ips",
            d.maxIps(),
            v -> (int) Values.integer(v, 1, 1000, "must be an integer from 1 to 1000"));
    Duration window = s.get("window", d.window(), AlertsParser::window);
    s.finish();
    return new KeyShared(maxIps, window);
  }

  private static QuotaNear quotaNear(Section s) {
    int percent =
        s.get(
            "percent",
            QuotaNear.DEFAULT.percent(),
            v -> (int) Values.integer(v, 1, 100, "must be an integer from 1 to 100"));
    s.finish();
    return new QuotaNear(percent);
  }

  private static @Nullable Webhook webhook(Section s) {
    boolean hasUrl = s.scalar("url") != null;
    URI url = s.optional("url", AlertsParser::url);
    String secret = s.optional("secret", Values::text);
    Duration timeout =
        s.get("timeout", Webhook.DEFAULT_TIMEOUT, v -> bounded(v, Duration.ofMinutes(5), "5m"));
    int retries =
        s.get(
            "retries",
            Webhook.DEFAULT_RETRIES,
            v -> (int) Values.integer(v, 0, 10, "must be an integer from 0 to 10"));
    Duration backoff =
        s.get("backoff", Webhook.DEFAULT_BACKOFF, v -> bounded(v, Duration.ofHours(1), "1h"));
    s.finish();
    // never echo the secret: the messages give only its required length
    if (secret != null && secret.length() < MIN_SECRET) {
      s.problems().add(s.path("secret"), "must be at least " + MIN_SECRET + " characters");
    }
    if (url == null) {
      if (secret != null && !hasUrl) {
        s.problems().add(s.path("url"), "required when alerts.webhook.secret is set");
      }
      return null;
    }
    if (secret == null) {
      s.problems()
          .add(s.path("secret"), "required when alerts.webhook.url is set: deliveries are signed");
      return null;
    }
    return new Webhook(url, secret, timeout, retries, backoff);
  }

  private static Duration bounded(JsonNode value, Duration max, String maxText) throws BadValue {
    Duration d = Values.positiveDuration(value);
    if (d.compareTo(max) > 0) {
      throw BadValue.got("must be a positive duration of at most " + maxText, value);
    }
    return d;
  }

  private static URI url(JsonNode value) throws BadValue {
    String text = Values.text(value).trim();
    try {
      URI uri = new URI(text);
      String scheme = String.valueOf(uri.getScheme()).toLowerCase(Locale.ROOT);
      if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
        return uri;
      }
    } catch (URISyntaxException e) {
      // reported below
    }
    throw BadValue.got("not an absolute http(s) URL", Values.redact(text));
  }
}
