package io.capdjava.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class GoDurationTest {
  @Test
  void parsesWhatGoWrites() {
    assertEquals(Duration.ofMinutes(5), GoDuration.parse("5m"));
    assertEquals(Duration.ofMinutes(90), GoDuration.parse("1h30m"));
    assertEquals(Duration.ofMinutes(90), GoDuration.parse("1.5h"));
    assertEquals(Duration.ofSeconds(300), GoDuration.parse("5m0s"));
    assertEquals(Duration.ofMillis(1500), GoDuration.parse("1s500ms"));
  }

  @Test
  void rejectsWhatIsNotADuration() {
    assertEquals("'5 minutes' is not a duration such as 5m or 90s",
        assertThrows(IllegalArgumentException.class, () -> GoDuration.parse("5 minutes")).getMessage());
    assertThrows(IllegalArgumentException.class, () -> GoDuration.parse("300"));
    assertThrows(IllegalArgumentException.class, () -> GoDuration.parse(""));
  }

  @Test
  void writesLikeGo() {
    assertEquals("4m0s", GoDuration.ofSeconds(240));
    assertEquals("30s", GoDuration.ofSeconds(30));
    assertEquals("87600h0m0s", GoDuration.ofSeconds(3650L * 86400));
  }
}
