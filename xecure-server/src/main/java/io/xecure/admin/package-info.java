/** Admin HTTP API: routes, authentication, request validation and JSON views over the services. */
@NullMarked
package io.xecure.admin;

import org.jspecify.annotations.NullMarked;
