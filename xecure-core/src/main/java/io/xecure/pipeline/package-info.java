@NullMarked
package io.xecure.pipeline;

import org.jspecify.annotations.NullMarked;
