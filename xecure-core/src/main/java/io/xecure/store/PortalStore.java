package io.xecure.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Where the developer portal keeps its accounts, invitations, sign-in sessions and what operators
 * allow each developer to do there (SPEC §10). Only hashes are stored: an Argon2id hash of each
 * password, a SHA-256 of each invitation and session token. Like {@link Store}, every method may
 * block, throws {@link StoreUnavailableException} when the database fails, and {@link
 * IllegalArgumentException} for a constraint the call breaks (a duplicate email or token hash).
 */
public interface PortalStore {

  /**
   * A developer's portal account: one per developer, signing in with {@code email}.
   *
   * @param email lower case; unique among portal accounts
   */
  record Account(String developerId, String email, Instant createdAt) {}

  /** An account and its password hash, as found by email to check a sign-in. */
  record AccountCredentials(Account account, String passwordHash) {}

  /**
   * A single-use link to set a portal password.
   *
   * @param createdBy the actor who invited
   * @param usedAt when it was accepted; null while it is open
   */
  record Invitation(
      String id,
      String developerId,
      String createdBy,
      Instant createdAt,
      Instant expiresAt,
      @Nullable Instant usedAt) {}

  /**
   * A portal sign-in, valid until {@code expiresAt}, while used within the idle timeout (checked by
   * the application) and not revoked.
   */
  record Session(
      String id,
      String developerId,
      Instant createdAt,
      Instant expiresAt,
      Instant lastUsedAt,
      @Nullable Instant revokedAt) {}

  /**
   * What a developer may create in the portal, set by operators.
   *
   * @param apis the APIs its keys may name; its keys are issued for exactly the APIs asked among
   *     these
   * @param scopes the scopes its keys may carry
   * @param maxKeys how many active keys it may hold at once
   * @param plan the plan of its keys; null: each API's default plan
   */
  record Allowance(List<String> apis, List<String> scopes, int maxKeys, @Nullable String plan) {
    public Allowance {
      apis = List.copyOf(apis);
      scopes = List.copyOf(scopes);
    }

    /** What a developer no operator has allowed anything may do: nothing. */
    public static final Allowance NONE = new Allowance(List.of(), List.of(), 0, null);
  }

  /** Inserts an invitation with the SHA-256 (64 lower-case hex digits) of its token. */
  void insertInvitation(Invitation invitation, String tokenHash);

  /** The invitation whose token hashes to {@code tokenHash}, used or not, expired or not. */
  Optional<Invitation> invitationByHash(String tokenHash);

  /**
   * Accepts the invitation at {@code at}: marks it used and sets the developer's account (a new
   * one, or a new email and password for an existing one), in one transaction. Empty, with nothing
   * changed, when the invitation is unknown, already used or expired at {@code at} (so that of two
   * racing acceptances only one succeeds). An email another developer's account holds is refused
   * with {@link IllegalArgumentException}.
   */
  Optional<Account> acceptInvitation(
      String invitationId, Instant at, String email, String passwordHash);

  /** The account of the developer, if it has one. */
  Optional<Account> portalAccount(String developerId);

  /** The account with this (lower-case) email, and its password hash. */
  Optional<AccountCredentials> portalCredentials(String email);

  /** Inserts a session with the SHA-256 of its token. */
  void insertPortalSession(Session session, String tokenHash);

  /** The session whose token hashes to {@code tokenHash}, revoked or not. */
  Optional<Session> portalSessionByHash(String tokenHash);

  /** Records a use of the session. */
  void touchPortalSession(String sessionId, Instant at);

  /** Revokes the session at {@code at}; false when there is no such session. */
  boolean revokePortalSession(String sessionId, Instant at);

  /** What operators allow the developer; empty when they have set nothing. */
  Optional<Allowance> allowance(String developerId);

  /** Sets (replaces) what the developer is allowed. */
  void putAllowance(String developerId, Allowance allowance);
}
