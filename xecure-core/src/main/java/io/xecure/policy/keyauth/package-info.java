@NullMarked
package io.xecure.policy.keyauth;

import org.jspecify.annotations.NullMarked;
