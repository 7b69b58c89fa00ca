package io.xecure.testing;

import io.xecure.model.Operator;
import io.xecure.model.OperatorToken;
import io.xecure.store.OperatorStore;
import io.xecure.store.Page;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/** An {@link OperatorStore} in memory, with the JDBC store's contract, for admin tests. */
public final class MemoryOperatorStore implements OperatorStore {
  private final TreeMap<String, Operator> operators = new TreeMap<>();
  private final Map<String, @Nullable String> passwords = new HashMap<>();
  private final TreeMap<String, OperatorToken> tokens = new TreeMap<>();
  private final Map<String, String> hashes = new HashMap<>(); // hash -> token id

  @Override
  public synchronized void insertOperator(Operator operator, @Nullable String passwordHash) {
    if (operators.containsKey(operator.id())
        || operators.values().stream().anyMatch(o -> o.email().equals(operator.email()))) {
      throw new IllegalArgumentException("duplicate operator");
    }
    operators.put(operator.id(), operator);
    passwords.put(operator.id(), passwordHash);
  }

  @Override
  public synchronized Optional<Operator> operator(String id) {
    return Optional.ofNullable(operators.get(id));
  }

  @Override
  public synchronized Optional<Credentials> credentials(String email) {
    return operators.values().stream()
        .filter(o -> o.email().equals(email))
        .findFirst()
        .map(o -> new Credentials(o, passwords.get(o.id())));
  }

  @Override
  public synchronized Page<Operator> operators(int limit, @Nullable String cursor) {
    List<Operator> rows =
        new ArrayList<>((cursor == null ? operators : operators.tailMap(cursor, false)).values());
    if (rows.size() <= limit) {
      return new Page<>(List.copyOf(rows), null);
    }
    List<Operator> page = List.copyOf(rows.subList(0, limit));
    return new Page<>(page, page.get(limit - 1).id());
  }

  @Override
  public synchronized Optional<Operator> updateOperator(Operator operator) {
    if (!operators.containsKey(operator.id())) {
      return Optional.empty();
    }
    operators.put(operator.id(), operator);
    return Optional.of(operator);
  }

  @Override
  public synchronized boolean setOperatorPassword(String id, String passwordHash) {
    if (!operators.containsKey(id)) {
      return false;
    }
    passwords.put(id, passwordHash);
    return true;
  }

  @Override
  public synchronized boolean deleteOperator(String id) {
    if (operators.remove(id) == null) {
      return false;
    }
    passwords.remove(id);
    tokens.values().removeIf(t -> t.operatorId().equals(id));
    hashes.values().removeIf(tokenId -> !tokens.containsKey(tokenId));
    return true;
  }

  @Override
  public synchronized void insertOperatorToken(OperatorToken token, String hash) {
    if (!operators.containsKey(token.operatorId())) {
      throw new IllegalArgumentException("token refers to an unknown operator");
    }
    if (hashes.containsKey(hash) || tokens.containsKey(token.id())) {
      throw new IllegalArgumentException("duplicate token");
    }
    tokens.put(token.id(), token);
    hashes.put(hash, token.id());
  }

  @Override
  public synchronized List<OperatorToken> operatorTokens(
      String operatorId, OperatorToken.Kind kind) {
    return tokens.values().stream()
        .filter(t -> t.operatorId().equals(operatorId) && t.kind() == kind)
        .toList();
  }

  @Override
  public synchronized Optional<Grant> operatorTokenByHash(String hash) {
    String id = hashes.get(hash);
    OperatorToken token = id == null ? null : tokens.get(id);
    if (token == null) {
      return Optional.empty();
    }
    return Optional.of(new Grant(token, Objects.requireNonNull(operators.get(token.operatorId()))));
  }

  @Override
  public synchronized boolean revokeOperatorToken(String operatorId, String tokenId, Instant at) {
    OperatorToken t = tokens.get(tokenId);
    if (t == null || !t.operatorId().equals(operatorId)) {
      return false;
    }
    if (t.revokedAt() == null) {
      tokens.put(tokenId, with(t, t.lastUsedAt(), at));
    }
    return true;
  }

  @Override
  public synchronized void touchOperatorToken(String tokenId, Instant at) {
    OperatorToken t = tokens.get(tokenId);
    if (t != null) {
      tokens.put(tokenId, with(t, at, t.revokedAt()));
    }
  }

  private static OperatorToken with(
      OperatorToken t, @Nullable Instant lastUsed, @Nullable Instant revoked) {
    return new OperatorToken(
        t.id(),
        t.operatorId(),
        t.kind(),
        t.name(),
        t.createdAt(),
        t.expiresAt(),
        lastUsed,
        revoked);
  }
}
