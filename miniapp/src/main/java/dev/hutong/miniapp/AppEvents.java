package dev.hutong.miniapp;

/**
 * Told after a commit that an app's released state or public profile changed, so discovery can
 * follow. Implementations must be quick and must not throw for ordinary failures (log them): the
 * change they hear about is already committed.
 */
public interface AppEvents {
  AppEvents NONE = new AppEvents() {
    @Override
    public void online(String appId) {}

    @Override
    public void offline(String appId) {}
  };

  /** The app has an online version (newly, again after a rollback, or its profile changed). */
  void online(String appId);

  /** The app has no online version any more. */
  void offline(String appId);
}
