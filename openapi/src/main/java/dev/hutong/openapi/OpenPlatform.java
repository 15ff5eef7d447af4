package dev.hutong.openapi;

import dev.hutong.identity.Merchants;
import dev.hutong.identity.OpenIds;
import dev.hutong.identity.Users;
import dev.hutong.openapi.gateway.Gateway;
import dev.hutong.openapi.gateway.GatewayLimits;
import dev.hutong.openapi.gateway.GatewayMethods;
import dev.hutong.openapi.gateway.InMemoryAppDirectory;
import dev.hutong.openapi.gateway.NotificationSigner;
import dev.hutong.openapi.gateway.PlatformKeys;
import dev.hutong.openapi.gateway.SignedNotification;
import dev.hutong.pay.OutboundNotification;
import dev.hutong.pay.TradeService;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/** TEMPORARY STUB of the facade being built on wt-openapi2; removed before merging it. */
public final class OpenPlatform {
  public static final String SCHEMA_MODULE = "openapi";
  private final Gateway gateway;
  private final AppRegistry apps;
  private final OAuthService oauth;
  private final NotificationSigner signer;

  public OpenPlatform(Jdbi jdbi, PlatformKeys platformKeys, TradeService trades, Users users,
      Merchants merchants, OpenIds openIds, Clock clock, OpenPlatformSettings settings) {
    InMemoryAppDirectory directory = new InMemoryAppDirectory(platformKeys);
    this.gateway = new Gateway(directory, GatewayMethods.of(Map.of()), platformKeys,
        GatewayLimits.defaults(), clock);
    this.apps = new AppRegistry(directory, platformKeys, merchants);
    this.oauth = new OAuthService();
    this.signer = new NotificationSigner(platformKeys);
  }

  public Gateway gateway() { return gateway; }
  public AppRegistry apps() { return apps; }
  public OAuthService oauth() { return oauth; }

  public SignedForm signNotification(OutboundNotification n) {
    Map<String, String> fields = new HashMap<>(n.fields());
    fields.put("charset", "UTF-8");
    fields.put("sign_type", "RSA2");
    SignedNotification s = signer.sign(fields);
    return new SignedForm(s.contentType(), s.body());
  }
}
