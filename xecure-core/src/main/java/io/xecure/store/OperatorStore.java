package io.xecure.store;

import io.xecure.model.Operator;
import io.xecure.model.OperatorToken;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Where operator accounts and their tokens are kept (SPEC §10). Only hashes are stored: an Argon2id
 * hash of each password, a SHA-256 of each token. Like {@link Store}, every method may block,
 * throws {@link StoreUnavailableException} when the database fails, and {@link
 * IllegalArgumentException} for a constraint the call breaks (a duplicate email or token hash).
 */
public interface OperatorStore {

  /** An operator and its password hash (null when it has none and signs in with tokens only). */
  record Credentials(Operator operator, @Nullable String passwordHash) {}

  /** A token and the operator who holds it, as found by its hash. */
  record Grant(OperatorToken token, Operator operator) {}

  /** Inserts the operator; a second operator with the same email is refused. */
  void insertOperator(Operator operator, @Nullable String passwordHash);

  Optional<Operator> operator(String id);

  /** The operator with this (lower-case) email and its password hash. */
  Optional<Credentials> credentials(String email);

  /** Operators by id; {@code cursor} is the last id of the previous page. */
  Page<Operator> operators(int limit, @Nullable String cursor);

  /** Replaces name, role and disabled; empty when there is no such operator. */
  Optional<Operator> updateOperator(Operator operator);

  /** Replaces the password hash; false when there is no such operator. */
  boolean setOperatorPassword(String id, String passwordHash);

  /** Deletes the operator with its tokens and sessions; false when there is no such operator. */
  boolean deleteOperator(String id);

  /** Inserts a token with the SHA-256 (64 lower-case hex digits) of its plaintext. */
  void insertOperatorToken(OperatorToken token, String hash);

  /** The operator's tokens of one kind, revoked ones included, by id. */
  List<OperatorToken> operatorTokens(String operatorId, OperatorToken.Kind kind);

  /** The token whose plaintext hashes to {@code hash}, with its operator, revoked or not. */
  Optional<Grant> operatorTokenByHash(String hash);

  /**
   * Revokes one of the operator's tokens at {@code at}; false when it has no such token. A token
   * already revoked keeps its first revocation time and answers true.
   */
  boolean revokeOperatorToken(String operatorId, String tokenId, Instant at);

  /** Records a use of the token. */
  void touchOperatorToken(String tokenId, Instant at);
}
