@NullMarked
package io.xecure.app;

import org.jspecify.annotations.NullMarked;
