/**
 * Operator accounts (SPEC §10): password hashing, sign-in with throttling, console sessions,
 * personal API tokens, and the principal each admin request acts as.
 */
@NullMarked
package io.xecure.operators;

import org.jspecify.annotations.NullMarked;
