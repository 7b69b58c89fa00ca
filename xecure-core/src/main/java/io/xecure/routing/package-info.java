@NullMarked
package io.xecure.routing;

import org.jspecify.annotations.NullMarked;
