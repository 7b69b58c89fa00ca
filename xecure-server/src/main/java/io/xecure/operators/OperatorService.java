package io.xecure.operators;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.xecure.accounts.AccountTokens;
import io.xecure.accounts.AccountWork;
import io.xecure.accounts.PasswordHasher;
import io.xecure.accounts.SignInThrottle;
import io.xecure.model.Operator;
import io.xecure.model.OperatorRole;
import io.xecure.model.OperatorToken;
import io.xecure.service.Audit;
import io.xecure.service.Ids;
import io.xecure.service.ServiceException;
import io.xecure.store.OperatorStore;
import io.xecure.store.OperatorStore.Credentials;
import io.xecure.store.OperatorStore.Grant;
import io.xecure.store.Page;
import io.xecure.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Operator accounts, their personal tokens and sign-in sessions (SPEC §10). Store calls run on
 * workers, password hashes on their own threads ({@link AccountWork}). Every change is an admin
 * event naming who made it; passwords and token plaintexts appear in none, nor in any log or error.
 *
 * <p>Sign-in is throttled per account and per client address ({@link SignInThrottle}), before any
 * password is hashed. Futures fail with {@link ServiceException}: 401 for a refused sign-in (the
 * same answer for an unknown email, a wrong password and a disabled operator), 429 while blocked,
 * 404 for an unknown id, 409 for a duplicate email.
 */
public final class OperatorService {
  /** A session unused for this long is over. */
  public static final Duration SESSION_IDLE = Duration.ofMinutes(30);

  /** A session is over this long after its sign-in, however busy. */
  public static final Duration SESSION_ABSOLUTE = Duration.ofHours(12);

  /** Prefixes of the plaintexts: personal token, session. */
  private static final String PERSONAL = "xot_";

  private static final String SESSION = "xos_";

  /** Sets the console's CSRF tokens apart from the portal's. */
  private static final String CSRF = "csrf";

  /** Last use is written at most this often per token: a note, not a write per request. */
  private static final Duration TOUCH_EVERY = Duration.ofMinutes(1);

  private final OperatorStore store;
  private final PasswordHasher hasher;
  private final Clock clock;
  private final Audit audit;
  private final AccountWork work;
  private final SignInThrottle throttle;

  /** A service that throttles sign-ins on what this node alone sees. */
  public OperatorService(
      Vertx vertx, Store events, OperatorStore store, PasswordHasher hasher, Clock clock) {
    this(vertx, events, store, hasher, clock, SignInThrottle.Ledgers.inMemory(clock));
  }

  /**
   * @param failures where refused sign-ins are counted: shared by the nodes in cluster mode
   */
  public OperatorService(
      Vertx vertx,
      Store events,
      OperatorStore store,
      PasswordHasher hasher,
      Clock clock,
      SignInThrottle.Ledgers failures) {
    this.store = store;
    this.hasher = hasher;
    this.clock = clock;
    this.audit = new Audit(events, clock);
    this.work = new AccountWork(vertx, clock, "xecure-passwords");
    this.throttle = new SignInThrottle("operator", failures);
  }

  public Future<Operator> create(
      String actor, String email, String name, OperatorRole role, @Nullable String password) {
    return work.hashing(
        () -> {
          Operator operator =
              new Operator(
                  Ids.next("op_", clock), AccountWork.email(email), name, role, false, work.now());
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
    return work.blocking(() -> find(id));
  }

  /** Operators by id (so by creation); {@code cursor} is the previous page's last id. */
  public Future<Page<Operator>> list(int limit, @Nullable String cursor) {
    return work.blocking(() -> store.operators(limit, cursor));
  }

  public Future<Operator> update(String actor, String id, OperatorPatch patch) {
    return work.hashing(
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
    return work.blocking(
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
    return work.blocking(
        () -> {
          find(operatorId);
          String plaintext = AccountTokens.generate(PERSONAL);
          OperatorToken token =
              new OperatorToken(
                  Ids.next("opt_", clock),
                  operatorId,
                  OperatorToken.Kind.TOKEN,
                  name,
                  work.now(),
                  null,
                  null,
                  null);
          store.insertOperatorToken(token, AccountTokens.hash(plaintext));
          audit.record(actor, "operator.token_created", token.id(), "operator=" + operatorId);
          return new IssuedToken(token, plaintext);
        });
  }

  /** The operator's personal tokens, revoked ones included, oldest first. */
  public Future<List<OperatorToken>> tokens(String operatorId) {
    return work.blocking(
        () -> {
          find(operatorId);
          return store.operatorTokens(operatorId, OperatorToken.Kind.TOKEN);
        });
  }

  public Future<OperatorToken> revokeToken(String actor, String operatorId, String tokenId) {
    return work.blocking(
        () -> {
          if (!store.revokeOperatorToken(operatorId, tokenId, work.now())) {
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
    String account = AccountWork.email(email);
    return throttle.signIn(
        account,
        client,
        () ->
            work.hashing(
                () -> {
                  Optional<Credentials> found = store.credentials(account);
                  boolean matches =
                      hasher.verify(password, found.map(Credentials::passwordHash).orElse(null));
                  if (!matches || found.isEmpty() || found.get().operator().disabled()) {
                    audit.record("client " + client, "session.refused", account, "sign-in refused");
                    return Optional.empty();
                  }
                  return Optional.of(open(found.get().operator()));
                }));
  }

  private SignedIn open(Operator operator) {
    String plaintext = AccountTokens.generate(SESSION);
    Instant now = work.now();
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
    store.insertOperatorToken(session, AccountTokens.hash(plaintext));
    audit.record(operator.id(), "session.created", session.id(), "email=" + operator.email());
    return new SignedIn(operator, session, plaintext, csrfOf(plaintext));
  }

  /**
   * The principal a session or personal token stands for; empty when it is not one, or unknown,
   * revoked, expired, idle too long, or its operator is disabled.
   */
  public Future<Optional<Principal>> authenticate(String bearer) {
    if (!bearer.startsWith(PERSONAL) && !bearer.startsWith(SESSION)) {
      return Future.succeededFuture(Optional.empty());
    }
    return work.blocking(
        () -> store.operatorTokenByHash(AccountTokens.hash(bearer)).flatMap(this::use));
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
    return work.blocking(
        () -> {
          store.revokeOperatorToken(operatorId, sessionId, work.now());
          audit.record(principal.actor(), "session.ended", sessionId, "signed out");
          return true;
        });
  }

  /** The CSRF token of a session token. */
  public static String csrfOf(String sessionToken) {
    return AccountTokens.csrf(CSRF, sessionToken);
  }

  /** Whether {@code presented} is the CSRF token of {@code sessionToken}, in constant time. */
  public static boolean csrfMatches(String sessionToken, @Nullable String presented) {
    return AccountTokens.csrfMatches(CSRF, sessionToken, presented);
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

  /** Releases the password threads. */
  public void close() {
    work.close();
  }
}
