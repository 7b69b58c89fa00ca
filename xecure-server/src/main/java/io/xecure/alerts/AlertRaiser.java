package io.xecure.alerts;

import io.xecure.model.AlertType;

/**
 * Where detectors report an anomaly. Called from event loops and workers alike: returns at once,
 * never blocks, never throws.
 */
@FunctionalInterface
public interface AlertRaiser {
  /**
   * @param subject what the alert is about: a client IP or network, a key id or a developer id,
   *     never a plaintext key
   * @param detail one line for an operator, about this occurrence
   */
  void raise(AlertType type, String subject, String detail);
}
