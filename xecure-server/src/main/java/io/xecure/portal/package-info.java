/**
 * The developer portal (SPEC §10): its own listener, where developers invited by an operator set a
 * password, sign in, and manage their own keys within what operators allow them, through a small
 * JSON API and static pages.
 */
@NullMarked
package io.xecure.portal;

import org.jspecify.annotations.NullMarked;
