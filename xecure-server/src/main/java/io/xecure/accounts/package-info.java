/**
 * What operator accounts and developer portal accounts share (SPEC §10): password hashes, the
 * tokens that stand for sessions and links and the CSRF tokens derived from them, sign-in
 * throttling on a failure ledger shared across the cluster, and where account work runs.
 */
@NullMarked
package io.xecure.accounts;

import org.jspecify.annotations.NullMarked;
