@NullMarked
package io.xecure.problem;

import org.jspecify.annotations.NullMarked;
