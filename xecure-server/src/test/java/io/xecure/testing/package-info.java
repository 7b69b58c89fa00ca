/** Test doubles shared by the server's tests. */
@NullMarked
package io.xecure.testing;

import org.jspecify.annotations.NullMarked;
