package dev.hutong.openapi;

import dev.hutong.identity.Merchants;
import dev.hutong.openapi.gateway.AppStatus;
import dev.hutong.openapi.gateway.InMemoryAppDirectory;
import dev.hutong.openapi.gateway.KeyPairs;
import dev.hutong.openapi.gateway.PlatformKeys;
import dev.hutong.openapi.gateway.RegisteredApp;
import dev.hutong.openapi.gateway.SignType;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/** TEMPORARY STUB. */
public final class AppRegistry {
  private final InMemoryAppDirectory directory;
  private final PlatformKeys keys;
  private final Merchants merchants;
  private final AtomicLong next = new AtomicLong(2021000000000001L);

  AppRegistry(InMemoryAppDirectory directory, PlatformKeys keys, Merchants merchants) {
    this.directory = directory;
    this.keys = keys;
    this.merchants = merchants;
  }

  public AppRegistration register(UUID merchantId, String name, String appPublicKeyText,
      String notifyUrl, SignType signType) {
    merchants.get(merchantId);
    String appId = Long.toString(next.getAndIncrement());
    directory.register(new RegisteredApp(appId, merchantId.toString(),
        KeyPairs.parsePublicKey(appPublicKeyText), Set.of(signType), AppStatus.values()[0],
        notifyUrl));
    return new AppRegistration(appId, keys.publicKeyBase64());
  }
}
