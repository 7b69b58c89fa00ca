package io.xecure.usage;

import java.time.Instant;
import java.util.List;

/**
 * One id's usage over a query's range: its points in time order, only those with requests (a chart
 * fills the gaps with zeros), and the total.
 */
public record UsageSeries(String id, UsageCounts total, List<Point> points) {
  public UsageSeries {
    points = List.copyOf(points);
  }

  /** The counts of the interval starting at {@code t}. */
  public record Point(Instant t, UsageCounts counts) {}

  /**
   * The answer to a {@link UsageQuery}: the series with the most requests first; {@code more} when
   * other ids had requests too but were left out by the limit.
   */
  public record Result(List<UsageSeries> series, boolean more) {
    public Result {
      series = List.copyOf(series);
    }
  }
}
