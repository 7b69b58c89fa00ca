@NullMarked
package io.xecure.events;

import org.jspecify.annotations.NullMarked;
