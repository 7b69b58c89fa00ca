package io.xecure.usage;

import io.xecure.events.EventSink;
import io.xecure.events.RequestEvent;
import io.xecure.problem.ProblemCode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * Counts request events in memory per minute, per key identity, developer and API (each also split
 * by API), and remembers each key's latest use; {@link #drain} hands the counts over to be added to
 * the store.
 *
 * <p>{@link #record} runs on the event loop for every request, so it only looks up counters and
 * increments them: a few hash look-ups of strings the event already holds, and no allocation once
 * an id has been seen in the minute. Counters are reset as they are read ({@code getAndSet}), so an
 * increment racing a drain is never lost: it is taken by the next drain, and the minute in progress
 * can be drained as often as wanted. A drained minute is read again by the drains of the next
 * {@link #STRAGGLERS} for that reason, then forgotten.
 *
 * <p>Events refused before routing (no API) are not counted, but still mark their key as used.
 */
public final class UsageAggregator implements EventSink {
  private static final String GRANTED = "granted";

  // slots of a cell's counters; one per problem code, so no map is touched to count a denial
  private static final int GRANTED_SLOT = 0;
  private static final int DENIED_SLOT = 1;
  private static final int STATUS_SLOT = 2; // 2xx, 3xx, 4xx, 5xx
  private static final int LATENCY_SUM = 6;
  private static final int LATENCY_MAX = 7;
  private static final int CODE_SLOT = 8;
  private static final ProblemCode[] CODES = ProblemCode.values();
  private static final int OTHER_CODE = CODE_SLOT + CODES.length;
  private static final int SLOTS = OTHER_CODE + 1;
  private static final Map<String, Integer> CODE_SLOTS = codeSlots();

  /**
   * How long after its end a taken minute is still read by each drain, for increments that looked
   * it up before it was taken and landed after: one {@link #record} call, so far less than this.
   */
  static final Duration STRAGGLERS = Duration.ofMinutes(2);

  /** Denials whose code is missing or unknown. */
  public static final String OTHER = "other";

  private final UnaryOperator<String> identityOf;
  private final ConcurrentHashMap<Long, Minute> minutes = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, LastUse> lastUses = new ConcurrentHashMap<>();
  private volatile Minute current = new Minute(Long.MIN_VALUE);
  private List<Minute> retired = List.of(); // taken minutes still read; guarded by this
  private final LongAdder recorded = new LongAdder();

  /**
   * @param identityOf the identity a key's usage is counted under (its own id, or after a rotation
   *     its predecessor's); must be cheap, it is called on the event loop
   */
  public UsageAggregator(UnaryOperator<String> identityOf) {
    this.identityOf = identityOf;
  }

  @Override
  public void record(RequestEvent e) {
    recorded.increment();
    String keyId = e.keyId();
    if (keyId != null) {
      touch(keyId, e.time().toEpochMilli(), e.clientIp());
    }
    String api = e.api();
    if (api == null) {
      return;
    }
    boolean granted = GRANTED.equals(e.outcome());
    int code = granted ? -1 : codeSlot(e.code());
    int statusClass = e.status() / 100;
    int status = statusClass >= 2 && statusClass <= 5 ? STATUS_SLOT + statusClass - 2 : -1;
    long latency = Math.max(0, e.latencyMicros());
    Minute m = minute(Math.floorDiv(e.time().getEpochSecond(), 60));
    m.api(api).add(code, status, latency);
    String developer = e.developerId();
    if (developer != null) {
      m.cell(m.developers, UsageDimension.DEVELOPER, developer, api, developer)
          .add(code, status, latency);
    }
    if (keyId != null) {
      m.cell(m.keys, UsageDimension.KEY, identityOf.apply(keyId), api, developer)
          .add(code, status, latency);
    }
  }

  /**
   * Takes the counts of every minute: those that ended by {@code now} (every minute when {@code
   * everything}, at shutdown) are taken whole, with what arrived late for minutes taken before; the
   * minute in progress gives what it has counted so far and goes on counting (SPEC §7: it is
   * visible within seconds, and the store adds each drain's rows up). Also the latest use of every
   * key used since the last drain. Counts taken are gone from memory: the caller keeps them until
   * the store has them.
   */
  public synchronized Drained drain(Instant now, boolean everything) {
    long boundary = everything ? Long.MAX_VALUE : Math.floorDiv(now.getEpochSecond(), 60);
    List<Minute> taken = new ArrayList<>();
    List<UsageRow> rows = new ArrayList<>();
    for (Long minute : minutes.keySet()) {
      if (minute < boundary) {
        Minute m = minutes.remove(minute);
        if (m != null) {
          taken.add(m);
        }
      } else {
        Minute open = minutes.get(minute);
        if (open != null) {
          open.drainInto(rows); // counters are reset as read: nothing is counted twice
        }
      }
    }
    if (current.epochMinute < boundary) {
      current = new Minute(Long.MIN_VALUE);
    }
    List<Minute> keep = new ArrayList<>();
    long nowSecond = now.getEpochSecond();
    for (Minute m : retired) {
      m.drainInto(rows);
      if (!everything && (m.epochMinute + 1) * 60 + STRAGGLERS.toSeconds() > nowSecond) {
        keep.add(m);
      }
    }
    for (Minute m : taken) {
      m.drainInto(rows);
      if (!everything) {
        keep.add(m);
      }
    }
    retired = keep;
    return new Drained(rows, drainUses());
  }

  /** Events seen since start, counted or not (refused before routing). */
  public long recorded() {
    return recorded.sum();
  }

  /** What one {@link #drain} took: rows to add to the store, key uses to record. */
  public record Drained(List<UsageRow> rows, List<KeyUse> uses) {}

  private Minute minute(long epochMinute) {
    Minute m = current;
    if (m.epochMinute == epochMinute) {
      return m;
    }
    m = minutes.computeIfAbsent(epochMinute, Minute::new);
    if (m.epochMinute > current.epochMinute) {
      current = m; // a benign race: a lost update only costs the next event a map look-up
    }
    return m;
  }

  private void touch(String keyId, long millis, String ip) {
    while (true) {
      LastUse use = lastUses.get(keyId);
      if (use == null) {
        use = lastUses.computeIfAbsent(keyId, k -> new LastUse());
      }
      if (millis <= use.millis) {
        return; // not later than what is known (and if dropped, already taken)
      }
      synchronized (use) {
        if (!use.dropped) {
          if (millis > use.millis) {
            use.millis = millis;
            use.ip = ip;
          }
          return;
        }
      }
      // dropped by a drain between the look-up and the lock: look it up again
    }
  }

  private List<KeyUse> drainUses() {
    List<KeyUse> uses = new ArrayList<>();
    for (Map.Entry<String, LastUse> entry : lastUses.entrySet()) {
      LastUse use = entry.getValue();
      synchronized (use) {
        if (use.millis > use.taken) {
          uses.add(new KeyUse(entry.getKey(), Instant.ofEpochMilli(use.millis), use.ip));
          use.taken = use.millis;
        } else {
          // unused for a whole drain interval: forget it, so memory follows the active keys
          use.dropped = true;
          lastUses.remove(entry.getKey(), use);
        }
      }
    }
    return uses;
  }

  private static int codeSlot(@Nullable String code) {
    Integer slot = code == null ? null : CODE_SLOTS.get(code);
    return slot == null ? OTHER_CODE : slot;
  }

  private static Map<String, Integer> codeSlots() {
    Map<String, Integer> slots = new HashMap<>();
    for (ProblemCode c : CODES) {
      slots.put(c.code(), CODE_SLOT + c.ordinal());
    }
    return Map.copyOf(slots);
  }

  /** The latest use of one key; {@code taken} is what the last drain took. */
  private static final class LastUse {
    volatile long millis = Long.MIN_VALUE;
    String ip = "";
    long taken = Long.MIN_VALUE;
    boolean dropped;
  }

  /** The counters of one minute. */
  private static final class Minute {
    final long epochMinute;
    final ConcurrentHashMap<String, Cell> apis = new ConcurrentHashMap<>();
    final ConcurrentHashMap<String, ConcurrentHashMap<String, Cell>> developers =
        new ConcurrentHashMap<>();
    final ConcurrentHashMap<String, ConcurrentHashMap<String, Cell>> keys =
        new ConcurrentHashMap<>();

    Minute(long epochMinute) {
      this.epochMinute = epochMinute;
    }

    Cell api(String api) {
      Cell cell = apis.get(api);
      return cell != null
          ? cell
          : apis.computeIfAbsent(api, a -> new Cell(UsageDimension.API, a, a, null));
    }

    /** The cell of {@code id} on {@code api}; allocates only the first time they are seen. */
    Cell cell(
        ConcurrentHashMap<String, ConcurrentHashMap<String, Cell>> byId,
        UsageDimension dimension,
        String id,
        String api,
        @Nullable String developer) {
      ConcurrentHashMap<String, Cell> byApi = byId.get(id);
      if (byApi == null) {
        byApi = byId.computeIfAbsent(id, k -> new ConcurrentHashMap<>(4));
      }
      Cell cell = byApi.get(api);
      return cell != null
          ? cell
          : byApi.computeIfAbsent(api, a -> new Cell(dimension, id, a, developer));
    }

    void drainInto(List<UsageRow> rows) {
      if (epochMinute == Long.MIN_VALUE) {
        return;
      }
      Instant start = Instant.ofEpochSecond(epochMinute * 60);
      apis.values().forEach(c -> c.drainInto(rows, start));
      developers.values().forEach(byApi -> byApi.values().forEach(c -> c.drainInto(rows, start)));
      keys.values().forEach(byApi -> byApi.values().forEach(c -> c.drainInto(rows, start)));
    }
  }

  /** The counters of one id on one API in one minute. */
  private static final class Cell {
    final UsageDimension dimension;
    final String id;
    final String api;
    final @Nullable String developer;
    final AtomicLongArray counts = new AtomicLongArray(SLOTS);

    Cell(UsageDimension dimension, String id, String api, @Nullable String developer) {
      this.dimension = dimension;
      this.id = id;
      this.api = api;
      this.developer = developer;
    }

    /**
     * @param code the denial's code slot, or -1 when granted
     * @param status the status class slot, or -1 for none (1xx)
     */
    void add(int code, int status, long latencyMicros) {
      if (code < 0) {
        counts.incrementAndGet(GRANTED_SLOT);
      } else {
        counts.incrementAndGet(DENIED_SLOT);
        counts.incrementAndGet(code);
      }
      if (status >= 0) {
        counts.incrementAndGet(status);
      }
      counts.addAndGet(LATENCY_SUM, latencyMicros);
      if (latencyMicros > counts.get(LATENCY_MAX)) {
        counts.accumulateAndGet(LATENCY_MAX, latencyMicros, Math::max);
      }
    }

    void drainInto(List<UsageRow> rows, Instant minute) {
      long[] v = new long[SLOTS];
      boolean any = false;
      for (int i = 0; i < SLOTS; i++) {
        v[i] = counts.getAndSet(i, 0);
        any |= v[i] != 0;
      }
      if (!any) {
        return;
      }
      Map<String, Long> denied = new TreeMap<>();
      for (int i = CODE_SLOT; i < SLOTS; i++) {
        if (v[i] != 0) {
          denied.put(i == OTHER_CODE ? OTHER : CODES[i - CODE_SLOT].code(), v[i]);
        }
      }
      UsageCounts c =
          new UsageCounts(
              v[GRANTED_SLOT],
              v[DENIED_SLOT],
              denied,
              v[STATUS_SLOT],
              v[STATUS_SLOT + 1],
              v[STATUS_SLOT + 2],
              v[STATUS_SLOT + 3],
              v[LATENCY_SUM],
              v[LATENCY_MAX]);
      rows.add(new UsageRow(dimension, id, api, developer, minute, c));
    }
  }
}
