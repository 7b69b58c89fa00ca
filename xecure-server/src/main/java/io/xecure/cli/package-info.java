/** Command-line commands. */
@NullMarked
package io.xecure.cli;

import org.jspecify.annotations.NullMarked;
