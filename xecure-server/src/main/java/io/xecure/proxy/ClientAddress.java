package io.xecure.proxy;

import io.xecure.net.Cidr;
import io.xecure.pipeline.ClientRequest;
import java.util.List;

/**
 * Who the client is. The TCP peer, unless the peer is a configured trusted proxy: then the
 * right-most address of X-Forwarded-For that is not itself a trusted proxy. A client cannot make
 * itself someone else by sending X-Forwarded-For to an untrusted listener.
 */
final class ClientAddress {
  private final List<Cidr> trusted;

  ClientAddress(List<Cidr> trusted) {
    this.trusted = trusted;
  }

  /** [client IP, X-Forwarded-For to send upstream]. */
  String[] resolve(ClientRequest request) {
    String peer = request.peer();
    if (trusted.isEmpty() || !isTrusted(peer)) {
      return new String[] {peer, peer};
    }
    String xff = request.getHeader("x-forwarded-for");
    if (xff == null || xff.isBlank()) {
      return new String[] {peer, peer};
    }
    String client = peer;
    String[] hops = xff.split(",");
    for (int i = hops.length - 1; i >= 0; i--) {
      String hop = hops[i].trim();
      if (hop.isEmpty()) {
        continue;
      }
      client = hop;
      if (!isTrusted(hop)) {
        break;
      }
    }
    return new String[] {client, xff.trim() + ", " + peer};
  }

  private boolean isTrusted(String ip) {
    for (Cidr cidr : trusted) {
      if (cidr.contains(ip)) {
        return true;
      }
    }
    return false;
  }
}
