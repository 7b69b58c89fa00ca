/**
 * The access policy (SPEC §4-§5): network pinning of a key, the APIs it is granted, and an API's
 * access rules over method, canonical path and scopes.
 */
@NullMarked
package io.xecure.policy.access;

import org.jspecify.annotations.NullMarked;
