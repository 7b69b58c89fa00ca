@NullMarked
package io.xecure.net;

import org.jspecify.annotations.NullMarked;
