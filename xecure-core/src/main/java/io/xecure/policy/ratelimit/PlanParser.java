package io.xecure.policy.ratelimit;

import com.fasterxml.jackson.databind.JsonNode;
import io.xecure.config.BadValue;
import io.xecure.config.Section;
import io.xecure.config.Values;
import io.xecure.policy.ratelimit.PlanConfig.LimitBy;
import io.xecure.policy.ratelimit.PlanConfig.Quota;
import io.xecure.policy.ratelimit.PlanConfig.QuotaWindow;
import io.xecure.policy.ratelimit.PlanConfig.Rate;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** Binds one plan: a smooth rate, a calendar quota, or both. */
public final class PlanParser {
  private PlanParser() {}

  /** The plan, or null when it has a problem (then reported). */
  public static @Nullable PlanConfig parse(Section plan) {
    Section rateSection = plan.optionalSection("rate");
    Section quotaSection = plan.optionalSection("quota");
    Rate rate = rateSection == null ? null : rate(rateSection);
    Quota quota = quotaSection == null ? null : quota(quotaSection);
    LimitBy limitBy = plan.get("limit_by", LimitBy.KEY, PlanParser::limitBy);
    plan.finish();
    if (rateSection == null && quotaSection == null) {
      plan.problems().add(plan.path(), "needs rate, quota or both");
      return null;
    }
    if ((rateSection != null && rate == null) || (quotaSection != null && quota == null)) {
      return null;
    }
    return new PlanConfig(rate, quota, limitBy);
  }

  private static @Nullable Rate rate(Section rate) {
    Long limit = rate.required("limit", Values::positive);
    var per = rate.required("per", Values::positiveDuration);
    rate.finish();
    return limit == null || per == null ? null : new Rate(limit, per);
  }

  private static @Nullable Quota quota(Section quota) {
    Long limit = quota.required("limit", Values::positive);
    QuotaWindow per = quota.required("per", PlanParser::window);
    quota.finish();
    return limit == null || per == null ? null : new Quota(limit, per);
  }

  private static QuotaWindow window(JsonNode value) throws BadValue {
    return switch (Values.text(value).trim().toLowerCase(Locale.ROOT)) {
      case "minute" -> QuotaWindow.MINUTE;
      case "hour" -> QuotaWindow.HOUR;
      case "day" -> QuotaWindow.DAY;
      case "month" -> QuotaWindow.MONTH;
      default -> throw BadValue.got("must be minute, hour, day or month", value);
    };
  }

  private static LimitBy limitBy(JsonNode value) throws BadValue {
    return switch (Values.text(value).trim().toLowerCase(Locale.ROOT)) {
      case "key" -> LimitBy.KEY;
      case "developer" -> LimitBy.DEVELOPER;
      default -> throw BadValue.got("must be key or developer", value);
    };
  }
}
