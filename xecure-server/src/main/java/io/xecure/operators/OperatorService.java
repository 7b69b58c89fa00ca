package io.xecure.operators;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.xecure.model.Operator;
import io.xecure.model.OperatorRole;
import io.xecure.model.OperatorToken;
import io.xecure.policy.bruteforce.BruteForceConfig;
import io.xecure.policy.bruteforce.FailureTracker;
import io.xecure.problem.ProblemCode;
import io.xecure.service.Audit;
import io.xecure.service.Ids;
import io.xecure.service.ServiceException;
import io.xecure.store.OperatorStore;
import io.xecure.store.OperatorStore.Credentials;
import io.xecure.store.OperatorStore.Grant;
import io.xecure.store.Page;
import io.xecure.store.Store;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;

/**
 * Operator accounts, their personal tokens and sign-in sessions (SPEC §10). Store calls run on
 * workers; password hashes on a pool of their own two threads, so a burst of sign-ins cannot take
 * every worker (or, at 19 MiB a hash, much memory). Every change is an admin event naming who made
 * it; passwords and token plaintexts appear in none, nor in any log or error.
 *
 * <p>Sign-in is throttled per account and per client address: {@link #PER_ACCOUNT} failures block
 * the account's sign-ins, {@link #PER_CLIENT} the client's, each for its block time, before any
 * password is hashed. Futures fail with {@link ServiceException}: 401 for a refused sign-in (the
 * same answer for an unknown email, a wrong password and a disabled operator), 429 while blocked,
 * 404 for an unknown id, 409 for a duplicate email.
 */
public final class OperatorService {
  /** A session unused for this long is over. */
  public static final Duration SESSION_IDLE = Duration.ofMinutes(30);

  /** A session is over this long after its sign-in, however busy. */
  public static final Duration SESSION_ABSOLUTE = Duration.ofHours(12);

  /** Failed sign-ins to one account that block its sign-ins. */
  public static final BruteForceConfig PER_ACCOUNT =
      new BruteForceConfig(true, 5, Duration.ofMinutes(15), Duration.ofMinutes(15));

  /** Failed sign-ins from one client address that block its sign-ins. */
  public static final BruteForceConfig PER_CLIENT =
      new BruteForceConfig(true, 20, Duration.ofMinutes(15), Duration.ofMinutes(15));

  /** Last use is written at most this often per token: a note, not a write per request. */
  private static final Duration TOUCH_EVERY = Duration.ofMinutes(1);

  private static final int MAX_TRACKED = 100_000;

  private final Vertx vertx;
  private final OperatorStore store;
  private final PasswordHasher hasher;
  private final Clock clock;
  private final Audit audit;
  private final WorkerExecutor passwords;
  private final FailureTracker accounts;
  private final FailureTracker clients;

  public OperatorService(
      Vertx vertx, Store events, OperatorStore store, PasswordHasher hasher, Clock clock) {
    this.vertx = vertx;
    this.store = store;
    this.hasher = hasher;
    this.clock = clock;
    this.audit = new Audit(events, clock);
    this.passwords = vertx.createSharedWorkerExecutor("xecure-passwords", 2);
    this.accounts = new FailureTracker(PER_ACCOUNT, clock, MAX_TRACKED);
    this.clients = new FailureTracker(PER_CLIENT, clock, MAX_TRACKED);
  }

  public Future<Operator> create(
      String actor, String email, String name, OperatorRole role, @Nullable String password) {
    return hashing(
        () -> {
          Operator operator =
              new Operator(Ids.next("op_", clock), normal(email), name, role, false, now());
          try {
            store.insertOperator(operator, password == null ? null : hasher.hash(password));
          } catch (IllegalArgumentException e) {
            throw ServiceException.conflict("an operator with this email exists");
          }
          audit.record(actor, "operator.created", operator.id(), "role=" + role.wire());
          return operator;
        });
  }

  public Future<Operator> get(String id) {
    return blocking(() -> find(id));
  }

  /** Operators by id (so by creation); {@code cursor} is the previous page's last id. */
  public Future<Page<Operator>> list(int limit, @Nullable String cursor) {
    return blocking(() -> store.operators(limit, cursor));
  }

  public Future<Operator> update(String actor, String id, OperatorPatch patch) {
    return hashing(
        () -> {
          Operator old = find(id);
          Operator changed =
              new Operator(
                  id,
                  old.email(),
                  patch.name() == null ? old.name() : patch.name(),
                  patch.role() == null ? old.role() : patch.role(),
                  patch.disabled() == null ? old.disabled() : patch.disabled(),
                  old.createdAt());
          Operator saved = store.updateOperator(changed).orElseThrow(() -> notFound(id));
          String password = patch.password();
          if (password != null && !store.setOperatorPassword(id, hasher.hash(password))) {
            throw notFound(id);
          }
          audit.record(actor, "operator.updated", id, changes(old, saved, password != null));
          return saved;
        });
  }

  public Future<Void> delete(String actor, String id) {
    return blocking(
        () -> {
          if (!store.deleteOperator(id)) {
            throw notFound(id);
          }
          audit.record(actor, "operator.deleted", id, "tokens and sessions ended");
          return null;
        });
  }

  /** A new personal token of the operator; its plaintext is in the result and nowhere else. */
  public Future<IssuedToken> createToken(String actor, String operatorId, String name) {
    return blocking(
        () -> {
          find(operatorId);
          String plaintext = OperatorTokens.generate(OperatorTokens.PERSONAL);
          OperatorToken token =
              new OperatorToken(
                  Ids.next("opt_", clock),
                  operatorId,
                  OperatorToken.Kind.TOKEN,
                  name,
                  now(),
                  null,
                  null,
                  null);
          store.insertOperatorToken(token, OperatorTokens.hash(plaintext));
          audit.record(actor, "operator.token_created", token.id(), "operator=" + operatorId);
          return new IssuedToken(token, plaintext);
        });
  }

  /** The operator's personal tokens, revoked ones included, oldest first. */
  public Future<List<OperatorToken>> tokens(String operatorId) {
    return blocking(
        () -> {
          find(operatorId);
          return store.operatorTokens(operatorId, OperatorToken.Kind.TOKEN);
        });
  }

  public Future<OperatorToken> revokeToken(String actor, String operatorId, String tokenId) {
    return blocking(
        () -> {
          if (!store.revokeOperatorToken(operatorId, tokenId, now())) {
            throw ServiceException.notFound("token", tokenId);
          }
          audit.record(actor, "operator.token_revoked", tokenId, "operator=" + operatorId);
          return store.operatorTokens(operatorId, OperatorToken.Kind.TOKEN).stream()
              .filter(t -> t.id().equals(tokenId))
              .findFirst()
              .orElseThrow(() -> ServiceException.notFound("token", tokenId));
        });
  }

  /**
   * Checks an email and password and opens a new session.
   *
   * @param client the client's address, for the per-client throttle and the audit trail
   */
  public Future<SignedIn> signIn(String email, String password, String client) {
    String account = normal(email);
    long wait = Math.max(accounts.blockedForMillis(account), clients.blockedForMillis(client));
    if (wait > 0) {
      return Future.failedFuture(
          new ServiceException(
              ProblemCode.TOO_MANY_FAILURES,
              "too many failed sign-ins; retry in " + ((wait + 999) / 1000) + " s"));
    }
    return hashing(
        () -> {
          Optional<Credentials> found = store.credentials(account);
          boolean matches =
              hasher.verify(password, found.map(Credentials::passwordHash).orElse(null));
          if (!matches || found.isEmpty() || found.get().operator().disabled()) {
            accounts.recordFailure(account);
            clients.recordFailure(client);
            audit.record("client " + client, "session.refused", account, "sign-in refused");
            throw new ServiceException(ProblemCode.UNAUTHORIZED, "wrong email or password");
          }
          return open(found.get().operator());
        });
  }

  private SignedIn open(Operator operator) {
    String plaintext = OperatorTokens.generate(OperatorTokens.SESSION);
    Instant now = now();
    OperatorToken session =
        new OperatorToken(
            Ids.next("ses_", clock),
            operator.id(),
            OperatorToken.Kind.SESSION,
            "sign-in",
            now,
            now.plus(SESSION_ABSOLUTE),
            now,
            null);
    store.insertOperatorToken(session, OperatorTokens.hash(plaintext));
    audit.record(operator.id(), "session.created", session.id(), "email=" + operator.email());
    return new SignedIn(operator, session, plaintext, OperatorTokens.csrf(plaintext));
  }

  /**
   * The principal a session or personal token stands for; empty when it is not one, or unknown,
   * revoked, expired, idle too long, or its operator is disabled.
   */
  public Future<Optional<Principal>> authenticate(String bearer) {
    if (!bearer.startsWith(OperatorTokens.PERSONAL) && !bearer.startsWith(OperatorTokens.SESSION)) {
      return Future.succeededFuture(Optional.empty());
    }
    return blocking(
        () -> store.operatorTokenByHash(OperatorTokens.hash(bearer)).flatMap(this::use));
  }

  private Optional<Principal> use(Grant grant) {
    OperatorToken token = grant.token();
    Operator operator = grant.operator();
    Instant now = clock.instant();
    Instant expires = token.expiresAt();
    Instant lastUsed = token.lastUsedAt() == null ? token.createdAt() : token.lastUsedAt();
    boolean session = token.kind() == OperatorToken.Kind.SESSION;
    if (token.revokedAt() != null
        || operator.disabled()
        || (expires != null && !now.isBefore(expires))
        || (session && !now.isBefore(lastUsed.plus(SESSION_IDLE)))) {
      return Optional.empty();
    }
    if (token.lastUsedAt() == null || !now.isBefore(lastUsed.plus(TOUCH_EVERY))) {
      store.touchOperatorToken(token.id(), now.truncatedTo(ChronoUnit.MILLIS));
    }
    String actor = session ? operator.id() : operator.id() + "/" + token.id();
    return Optional.of(new Principal(actor, operator.role(), operator.id(), token.id(), session));
  }

  /** Ends the principal's session; false when it is not a session. */
  public Future<Boolean> signOut(Principal principal) {
    String operatorId = principal.operatorId();
    String sessionId = principal.tokenId();
    if (!principal.session() || operatorId == null || sessionId == null) {
      return Future.succeededFuture(false);
    }
    return blocking(
        () -> {
          store.revokeOperatorToken(operatorId, sessionId, now());
          audit.record(principal.actor(), "session.ended", sessionId, "signed out");
          return true;
        });
  }

  /** The CSRF token of a session token. */
  public static String csrfOf(String sessionToken) {
    return OperatorTokens.csrf(sessionToken);
  }

  /** Whether {@code presented} is the CSRF token of {@code sessionToken}, in constant time. */
  public static boolean csrfMatches(String sessionToken, @Nullable String presented) {
    return presented != null
        && MessageDigest.isEqual(
            OperatorTokens.csrf(sessionToken).getBytes(StandardCharsets.UTF_8),
            presented.getBytes(StandardCharsets.UTF_8));
  }

  private static String changes(Operator old, Operator now, boolean password) {
    List<String> changed = new ArrayList<>();
    if (!old.name().equals(now.name())) {
      changed.add("name");
    }
    if (old.role() != now.role()) {
      changed.add("role=" + now.role().wire());
    }
    if (old.disabled() != now.disabled()) {
      changed.add("disabled=" + now.disabled());
    }
    if (password) {
      changed.add("password");
    }
    return changed.isEmpty() ? "no change" : "changed " + String.join(", ", changed);
  }

  private Operator find(String id) {
    return store.operator(id).orElseThrow(() -> notFound(id));
  }

  private static ServiceException notFound(String id) {
    return ServiceException.notFound("operator", id);
  }

  private static String normal(String email) {
    return email.trim().toLowerCase(Locale.ROOT);
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }

  private <T> Future<T> blocking(Callable<T> work) {
    return vertx.executeBlocking(work, false);
  }

  private <T> Future<T> hashing(Callable<T> work) {
    return passwords.executeBlocking(work, false);
  }

  /** Releases the password threads. */
  public void close() {
    passwords.close();
  }
}
