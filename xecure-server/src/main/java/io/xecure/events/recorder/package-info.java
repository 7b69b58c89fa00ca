@NullMarked
package io.xecure.events.recorder;

import org.jspecify.annotations.NullMarked;
