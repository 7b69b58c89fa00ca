@NullMarked
package io.xecure.proxy;

import org.jspecify.annotations.NullMarked;
