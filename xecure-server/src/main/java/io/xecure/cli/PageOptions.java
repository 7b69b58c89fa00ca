package io.xecure.cli;

import org.jspecify.annotations.NullMarked;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/** {@code --limit} and {@code --cursor} of every list command, as query parameters. */
@NullMarked // the class, not the package: io.xecure.cli is shared with the app's commands
final class PageOptions {
  @Option(names = "--limit", description = "at most this many (1-1000, default 100)")
  @Nullable Integer limit;

  @Option(names = "--cursor", description = "the next page, as printed by the previous one")
  @Nullable String cursor;

  /** The query string of {@code filters} (name, value pairs; null values left out) and paging. */
  String query(@Nullable String... filters) {
    String[] all = new String[filters.length + 4];
    System.arraycopy(filters, 0, all, 0, filters.length);
    all[filters.length] = "limit";
    all[filters.length + 1] = limit == null ? null : limit.toString();
    all[filters.length + 2] = "cursor";
    all[filters.length + 3] = cursor;
    return AdminClient.query(all);
  }
}
