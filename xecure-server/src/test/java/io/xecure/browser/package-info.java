/**
 * Browser tests of the console: Selenium drives Debian's headless chromium against a real gateway,
 * its admin listener and a real upstream, all on loopback.
 */
@NullMarked
package io.xecure.browser;

import org.jspecify.annotations.NullMarked;
