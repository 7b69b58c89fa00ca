package io.xecure.portal;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.xecure.accounts.AccountTokens;
import io.xecure.accounts.AccountWork;
import io.xecure.accounts.PasswordHasher;
import io.xecure.accounts.SignInThrottle;
import io.xecure.model.Developer;
import io.xecure.model.DeveloperStatus;
import io.xecure.operators.OperatorService;
import io.xecure.problem.ProblemCode;
import io.xecure.service.Audit;
import io.xecure.service.Ids;
import io.xecure.service.ServiceException;
import io.xecure.store.PortalStore;
import io.xecure.store.PortalStore.Account;
import io.xecure.store.PortalStore.AccountCredentials;
import io.xecure.store.PortalStore.Allowance;
import io.xecure.store.PortalStore.Invitation;
import io.xecure.store.PortalStore.Session;
import io.xecure.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Portal accounts: invitations, acceptance (setting the password), sign-in sessions and what each
 * developer is allowed (SPEC §10). Store calls run on workers, password hashes on their own threads
 * ({@link AccountWork}). Sign-in is throttled per account and per client address ({@link
 * SignInThrottle}, apart from the operators'), before any password is hashed, and answers one
 * refusal for an unknown email, a wrong password and a suspended or deleted developer. Every change
 * is an admin event; passwords and token plaintexts appear in none. Futures fail with {@link
 * ServiceException}.
 */
public final class PortalService {
  /** How long an invitation link works unless the operator says otherwise. */
  public static final Duration INVITATION_TTL = Duration.ofHours(72);

  /** The longest an invitation may be made to last. */
  public static final Duration MAX_INVITATION_TTL = Duration.ofDays(30);

  public static final Duration SESSION_IDLE = OperatorService.SESSION_IDLE;
  public static final Duration SESSION_ABSOLUTE = OperatorService.SESSION_ABSOLUTE;
  public static final int MIN_PASSWORD = 12;
  public static final int MAX_PASSWORD = 256;

  /** Last use is written at most this often per session. */
  private static final Duration TOUCH_EVERY = Duration.ofMinutes(1);

  /** Prefixes of the plaintexts: invitation, session. */
  private static final String INVITATION = "xpi_";

  private static final String SESSION = "xps_";

  /** Sets the portal's CSRF tokens apart from the console's. */
  private static final String CSRF = "portal-csrf";

  /** An invitation, with its token: the only moment the token exists outside the link. */
  public record Invited(Invitation invitation, String token) {
    @Override
    public String toString() {
      return "Invited[" + invitation.id() + "]";
    }
  }

  /** A sign-in that succeeded: a new session, its cookie value and its CSRF token. */
  public record SignedIn(Developer developer, Session session, String token, String csrf) {
    @Override
    public String toString() {
      return "SignedIn[" + session.id() + "]";
    }
  }

  /** Who a portal request acts as: the session's developer, active. */
  public record Visitor(Developer developer, String sessionId) {
    /** What admin events record as having made a change. */
    public String actor() {
      return "developer:" + developer.id();
    }
  }

  private final Store store;
  private final PortalStore portal;
  private final PasswordHasher hasher;
  private final Clock clock;
  private final Audit audit;
  private final AccountWork work;
  private final SignInThrottle throttle;
  private final Supplier<@Nullable String> url;

  /**
   * @param failures where refused sign-ins are counted: shared by the nodes in cluster mode
   * @param url where developers reach the portal, for invitation links; answers null while no
   *     portal listens
   */
  public PortalService(
      Vertx vertx,
      Store store,
      PortalStore portal,
      PasswordHasher hasher,
      Clock clock,
      SignInThrottle.Ledgers failures,
      Supplier<@Nullable String> url) {
    this.url = url;
    this.store = store;
    this.portal = portal;
    this.hasher = hasher;
    this.clock = clock;
    this.audit = new Audit(store, clock);
    this.work = new AccountWork(vertx, clock, "xecure-portal-passwords");
    this.throttle = new SignInThrottle("portal", failures);
  }

  /** Where developers reach the portal (no trailing slash); null while no portal listens. */
  public @Nullable String url() {
    return url.get();
  }

  /** Invites the developer: a new single-use token that works for {@code ttl}. */
  public Future<Invited> invite(String actor, String developerId, Duration ttl) {
    return work.blocking(
        () -> {
          Developer developer = activeDeveloper(developerId);
          String token = AccountTokens.generate(INVITATION);
          Instant now = work.now();
          Invitation invitation =
              new Invitation(
                  Ids.next("inv_", clock), developer.id(), actor, now, now.plus(ttl), null);
          portal.insertInvitation(invitation, AccountTokens.hash(token));
          audit.record(
              actor,
              "portal.invited",
              developer.id(),
              "invitation=" + invitation.id() + " expires_at=" + invitation.expiresAt());
          return new Invited(invitation, token);
        });
  }

  /**
   * Accepts an invitation: sets the developer's portal password, signing in with the developer's
   * email. One answer (404) for an unknown, used or expired token and a suspended or deleted
   * developer: the link is simply no good.
   */
  public Future<Account> accept(String token, String password) {
    ServiceException noGood =
        new ServiceException(
            ProblemCode.NOT_FOUND, "this invitation is unknown, already used or expired");
    if (!token.startsWith(INVITATION)) {
      return Future.failedFuture(noGood);
    }
    return work.hashing(
        () -> {
          Invitation invitation =
              portal.invitationByHash(AccountTokens.hash(token)).orElseThrow(() -> noGood);
          Instant now = work.now();
          Developer developer = store.developer(invitation.developerId()).orElse(null);
          if (invitation.usedAt() != null
              || !now.isBefore(invitation.expiresAt())
              || developer == null
              || developer.status() != DeveloperStatus.ACTIVE) {
            throw noGood;
          }
          Account account;
          try {
            account =
                portal
                    .acceptInvitation(
                        invitation.id(),
                        now,
                        AccountWork.email(developer.email()),
                        hasher.hash(password))
                    .orElseThrow(() -> noGood);
          } catch (IllegalArgumentException e) {
            throw ServiceException.conflict(
                "another developer's portal account signs in with this email; ask the operator to"
                    + " change one of the emails");
          }
          audit.record(
              "developer:" + developer.id(),
              "portal.invitation_accepted",
              developer.id(),
              "invitation=" + invitation.id());
          return account;
        });
  }

  /**
   * Checks an email and password and opens a new session (never one the client brought along).
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
                  Optional<AccountCredentials> found = portal.portalCredentials(account);
                  boolean matches =
                      hasher.verify(
                          password, found.map(AccountCredentials::passwordHash).orElse(null));
                  Developer developer =
                      found.isEmpty()
                          ? null
                          : store.developer(found.get().account().developerId()).orElse(null);
                  if (!matches
                      || developer == null
                      || developer.status() != DeveloperStatus.ACTIVE) {
                    audit.record(
                        "client " + client, "portal.session_refused", account, "sign-in refused");
                    return Optional.empty();
                  }
                  return Optional.of(open(developer));
                }));
  }

  private SignedIn open(Developer developer) {
    String token = AccountTokens.generate(SESSION);
    Instant now = work.now();
    Session session =
        new Session(
            Ids.next("pss_", clock), developer.id(), now, now.plus(SESSION_ABSOLUTE), now, null);
    portal.insertPortalSession(session, AccountTokens.hash(token));
    audit.record(
        "developer:" + developer.id(), "portal.session_created", session.id(), "signed in");
    return new SignedIn(developer, session, token, csrfOf(token));
  }

  /**
   * The developer a session token stands for; empty when it is unknown, revoked, past its absolute
   * or idle timeout, or its developer is suspended or deleted.
   */
  public Future<Optional<Visitor>> authenticate(String token) {
    if (!token.startsWith(SESSION)) {
      return Future.succeededFuture(Optional.empty());
    }
    return work.blocking(
        () -> portal.portalSessionByHash(AccountTokens.hash(token)).flatMap(this::use));
  }

  private Optional<Visitor> use(Session session) {
    Instant now = clock.instant();
    if (session.revokedAt() != null
        || !now.isBefore(session.expiresAt())
        || !now.isBefore(session.lastUsedAt().plus(SESSION_IDLE))) {
      return Optional.empty();
    }
    Optional<Developer> developer =
        store.developer(session.developerId()).filter(d -> d.status() == DeveloperStatus.ACTIVE);
    if (developer.isEmpty()) {
      return Optional.empty();
    }
    if (!now.isBefore(session.lastUsedAt().plus(TOUCH_EVERY))) {
      portal.touchPortalSession(session.id(), now.truncatedTo(ChronoUnit.MILLIS));
    }
    return Optional.of(new Visitor(developer.get(), session.id()));
  }

  /** Ends the visitor's session. */
  public Future<Void> signOut(Visitor visitor) {
    return work.blocking(
        () -> {
          portal.revokePortalSession(visitor.sessionId(), work.now());
          audit.record(visitor.actor(), "portal.session_ended", visitor.sessionId(), "signed out");
          return null;
        });
  }

  /** What operators allow the developer in the portal; {@link Allowance#NONE} when unset. */
  public Future<Allowance> allowance(String developerId) {
    return work.blocking(
        () -> {
          if (store.developer(developerId).isEmpty()) {
            throw ServiceException.notFound("developer", developerId);
          }
          return portal.allowance(developerId).orElse(Allowance.NONE);
        });
  }

  /** Sets what the developer is allowed; the caller has checked the APIs and plan exist. */
  public Future<Allowance> setAllowance(String actor, String developerId, Allowance allowance) {
    return work.blocking(
        () -> {
          if (store.developer(developerId).isEmpty()) {
            throw ServiceException.notFound("developer", developerId);
          }
          portal.putAllowance(developerId, allowance);
          audit.record(
              actor,
              "portal.allowance_set",
              developerId,
              "apis="
                  + allowance.apis()
                  + " scopes="
                  + allowance.scopes()
                  + " max_keys="
                  + allowance.maxKeys()
                  + " plan="
                  + allowance.plan());
          return allowance;
        });
  }

  /** The developer's account, if it accepted an invitation. */
  public Future<Optional<Account>> account(String developerId) {
    return work.blocking(() -> portal.portalAccount(developerId));
  }

  /** Whether {@code presented} is the CSRF token of the session {@code token}. */
  public static boolean csrfMatches(String token, @Nullable String presented) {
    return AccountTokens.csrfMatches(CSRF, token, presented);
  }

  /** The CSRF token of a session token. */
  public static String csrfOf(String token) {
    return AccountTokens.csrf(CSRF, token);
  }

  private Developer activeDeveloper(String id) {
    Developer developer =
        store.developer(id).orElseThrow(() -> ServiceException.notFound("developer", id));
    if (developer.status() != DeveloperStatus.ACTIVE) {
      throw ServiceException.conflict("developer " + id + " is suspended; activate it first");
    }
    return developer;
  }

  /** Releases the password threads. */
  public void close() {
    work.close();
  }
}
