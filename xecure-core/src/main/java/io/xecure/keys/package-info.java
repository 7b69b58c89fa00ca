@NullMarked
package io.xecure.keys;

import org.jspecify.annotations.NullMarked;
