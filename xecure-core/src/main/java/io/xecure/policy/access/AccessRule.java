package io.xecure.policy.access;

import java.util.List;

/**
 * One access rule: methods (empty: any) and a path pattern over the canonical path ({@code *} one
 * segment, {@code **} any number), requiring every scope listed. The first matching rule applies.
 */
public record AccessRule(List<String> methods, String path, List<String> scopes) {}
