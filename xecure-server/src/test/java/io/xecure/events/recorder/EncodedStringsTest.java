package io.xecure.events.recorder;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EncodedStringsTest {
  @Test
  void aValueIsEncodedOnceAndItsBytesHandedOutAgain() {
    List<String> encoded = new ArrayList<>();
    EncodedStrings strings =
        new EncodedStrings(
            8,
            s -> {
              encoded.add(s);
              return s.getBytes(StandardCharsets.UTF_8);
            });

    byte[] first = strings.get("key_0042");
    byte[] again = strings.get(new String("key_0042")); // an equal string, not the same one

    assertThat(again).isSameAs(first).isEqualTo("key_0042".getBytes(StandardCharsets.UTF_8));
    assertThat(strings.get("é €")).isEqualTo("é €".getBytes(StandardCharsets.UTF_8));
    assertThat(encoded).containsExactly("key_0042", "é €");
  }

  @Test
  void valuesChosenByClientsNeverGrowItPastItsCapacity() {
    EncodedStrings strings = new EncodedStrings(100, s -> s.getBytes(StandardCharsets.UTF_8));

    for (int i = 0; i < 10_000; i++) {
      String agent = "agent/" + i;
      assertThat(strings.get(agent)).isEqualTo(agent.getBytes(StandardCharsets.UTF_8));
      assertThat(strings.size()).isLessThanOrEqualTo(100);
    }
  }
}
