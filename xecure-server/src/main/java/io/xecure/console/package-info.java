/** The web console (SPEC §10): static pages served by the admin port from the jar. */
@NullMarked
package io.xecure.console;

import org.jspecify.annotations.NullMarked;
