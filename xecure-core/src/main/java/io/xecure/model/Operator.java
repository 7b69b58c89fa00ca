package io.xecure.model;

import java.time.Instant;

/**
 * A named account that signs in to the admin API and the console. The password hash is not part of
 * it: it is read only to check a sign-in ({@link OperatorStore#credentials}).
 *
 * @param email lower case; unique among operators
 * @param disabled a disabled operator's sign-ins, sessions and tokens are all refused
 */
public record Operator(
    String id, String email, String name, OperatorRole role, boolean disabled, Instant createdAt) {}
