package io.capdjava.controlplane.machines;

/**
 * An etcd alarm as etcd reports it ({@code NONE}, {@code NOSPACE}, {@code CORRUPT}).
 *
 * @param memberId the member raising the alarm
 * @param type the alarm type; {@code NONE} means no alarm
 */
public record EtcdAlarm(long memberId, String type) {
  public static final String NONE = "NONE";

  public boolean isRaised() {
    return !NONE.equals(type);
  }
}
