/**
 * Operator accounts (SPEC §10): sign-in, console sessions, personal API tokens, and the principal
 * each admin request acts as; what they share with portal accounts is in {@code
 * io.xecure.accounts}.
 */
@NullMarked
package io.xecure.operators;

import org.jspecify.annotations.NullMarked;
