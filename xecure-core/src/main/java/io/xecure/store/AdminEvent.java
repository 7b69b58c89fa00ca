package io.xecure.store;

import java.time.Instant;

/** An admin change: who did what to which target (SPEC §7). Never holds a plaintext key. */
public record AdminEvent(Instant time, String actor, String action, String target, String detail) {}
