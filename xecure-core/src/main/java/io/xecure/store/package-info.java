@NullMarked
package io.xecure.store;

import org.jspecify.annotations.NullMarked;
