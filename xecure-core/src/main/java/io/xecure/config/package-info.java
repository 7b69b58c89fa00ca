@NullMarked
package io.xecure.config;

import org.jspecify.annotations.NullMarked;
