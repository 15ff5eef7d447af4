package dev.hutong.miniapp;

/** What {@code my.getAccountInfoSync().miniProgram.envVersion} reports. */
public enum EnvVersion {
  DEVELOP("develop"), TRIAL("trial"), RELEASE("release");

  private final String wire;

  EnvVersion(String wire) {
    this.wire = wire;
  }

  /** The lowercase value the bridge reports. */
  public String wire() {
    return wire;
  }
}
