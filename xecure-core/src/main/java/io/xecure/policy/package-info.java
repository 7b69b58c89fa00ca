/**
 * The policies of the request pipeline, one package each ({@code keyauth}, {@code access}, {@code
 * ratelimit}, {@code bruteforce}, {@code cors}), each owning its settings, their parsing, JSON view
 * and schema through one {@link io.xecure.policy.PolicyDefinition}, listed once in {@link
 * io.xecure.policy.Policies}.
 */
@NullMarked
package io.xecure.policy;

import org.jspecify.annotations.NullMarked;
