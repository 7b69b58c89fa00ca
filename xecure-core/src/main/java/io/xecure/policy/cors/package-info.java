@NullMarked
package io.xecure.policy.cors;

import org.jspecify.annotations.NullMarked;
