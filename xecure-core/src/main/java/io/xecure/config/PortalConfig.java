package io.xecure.config;

import org.jspecify.annotations.Nullable;

/**
 * The developer portal's listener (SPEC §10), apart from the admin port so that it may face the
 * internet while the admin port stays private.
 *
 * @param url the address developers reach the portal at, for invitation links; null: {@code
 *     http://<bind>:<port>} as bound
 * @param gatewayUrl the address developers call the gateway at, for the example requests the portal
 *     shows; null: {@code http://<gateway bind>:<gateway port>} as bound
 */
public record PortalConfig(
    int port, String bind, @Nullable String url, @Nullable String gatewayUrl) {

  public PortalConfig(int port, String bind) {
    this(port, bind, null, null);
  }
}
