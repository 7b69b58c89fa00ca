package io.xecure.alerts;

import io.xecure.model.AlertType;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** An {@link AlertRaiser} that keeps what it is told, for detector tests. */
final class RaisedAlerts implements AlertRaiser {
  record One(AlertType type, String subject, String detail) {}

  final List<One> all = new CopyOnWriteArrayList<>();

  @Override
  public void raise(AlertType type, String subject, String detail) {
    all.add(new One(type, subject, detail));
  }

  List<String> subjects() {
    return all.stream().map(One::subject).toList();
  }
}
