package dev.hutong.openapi;

import dev.hutong.identity.Merchants;
import dev.hutong.identity.OpenIds;
import dev.hutong.identity.Users;
import dev.hutong.miniapp.Apps;
import dev.hutong.miniapp.LaunchLinks;
import dev.hutong.miniapp.Templates;
import dev.hutong.miniapp.Versions;
import dev.hutong.openapi.gateway.Gateway;
import dev.hutong.openapi.gateway.GatewayLimits;
import dev.hutong.openapi.gateway.GatewayMethod;
import dev.hutong.openapi.gateway.GatewayMethods;
import dev.hutong.openapi.gateway.NotificationSigner;
import dev.hutong.openapi.gateway.PlatformKeys;
import dev.hutong.openapi.gateway.SignedNotification;
import dev.hutong.pay.OutboundNotification;
import dev.hutong.pay.TradeService;
import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;

/**
 * The open platform as the server wires it: the Alipay-compatible gateway with every method
 * served, the app registry, OAuth, and the signing of notifications. One instance per process.
 *
 * <p>Before constructing it, the server migrates the schema: {@code Migrations.migrate(dataSource,
 * OpenPlatform.SCHEMA_MODULE)} (after ledger, identity and pay).
 *
 * <p>Served methods: alipay.trade.create, .precreate, .pay, .query, .refund, .fastpay.refund.query,
 * .close, .cancel, alipay.system.oauth.token, alipay.user.info.share (docs/openapi.md,
 * "Methods"), alipay.data.dataservice.bill.downloadurl.query (docs/merchants.md), and with the
 * mini-programs the alipay.open.mini.version.* methods and alipay.open.app.qrcode.create.
 */
public final class OpenPlatform {
  public static final String SCHEMA_MODULE = "openapi";

  private final AppRegistry apps;
  private final OAuthService oauth;
  private final NotifyUrlPolicy notifyUrls;
  private final NotificationSigner signer;
  private final Gateway gateway;
  private final Set<String> methodNames;
  private final BillDownloads billDownloads;

  public OpenPlatform(Jdbi jdbi, PlatformKeys platformKeys, TradeService trades, Users users,
      Merchants merchants, OpenIds openIds, Clock clock, OpenPlatformSettings settings) {
    this(jdbi, platformKeys, trades, users, merchants, openIds, clock, settings,
        new NotifyUrlPolicy(settings.publicMode()), GatewayLimits.defaults());
  }

  /** With a resolver for notify URL hosts and the gateway's limits chosen (tests, benchmarks). */
  public OpenPlatform(Jdbi jdbi, PlatformKeys platformKeys, TradeService trades, Users users,
      Merchants merchants, OpenIds openIds, Clock clock, OpenPlatformSettings settings,
      NotifyUrlPolicy notifyUrls, GatewayLimits limits) {
    this(jdbi, platformKeys, trades, users, merchants, openIds, clock, settings, notifyUrls,
        limits, Optional.empty());
  }

  /**
   * With the mini-program components, whose lifecycle the alipay.open.mini.* methods and
   * alipay.open.app.qrcode.create serve (the server passes them; without, those methods are not
   * served).
   */
  public OpenPlatform(Jdbi jdbi, PlatformKeys platformKeys, TradeService trades, Users users,
      Merchants merchants, OpenIds openIds, Clock clock, OpenPlatformSettings settings,
      NotifyUrlPolicy notifyUrls, GatewayLimits limits, Optional<MiniPrograms> miniPrograms) {
    Objects.requireNonNull(jdbi, "jdbi");
    Objects.requireNonNull(platformKeys, "platformKeys");
    Objects.requireNonNull(trades, "trades");
    Objects.requireNonNull(users, "users");
    Objects.requireNonNull(merchants, "merchants");
    Objects.requireNonNull(openIds, "openIds");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(limits, "limits");
    this.notifyUrls = Objects.requireNonNull(notifyUrls, "notifyUrls");
    if (notifyUrls.publicMode() != settings.publicMode()) {
      throw new IllegalArgumentException("the notify URL policy's public mode ("
          + notifyUrls.publicMode() + ") differs from the settings' (" + settings.publicMode()
          + ")");
    }
    this.apps = new AppRegistry(jdbi, platformKeys, merchants, notifyUrls, clock);
    this.oauth = new OAuthService(jdbi, apps, users, settings, clock);
    this.signer = new NotificationSigner(platformKeys);
    Map<String, GatewayMethod> methods = new LinkedHashMap<>();
    methods.putAll(new TradeMethods(trades, openIds, apps, notifyUrls).methods());
    methods.putAll(new OAuthMethods(oauth, openIds, users).methods());
    this.billDownloads = new BillDownloads(platformKeys, trades.publicBaseUrl(), clock);
    methods.putAll(new BillMethods(billDownloads).methods());
    miniPrograms.ifPresent(mp -> methods.putAll(new MiniMethods(new MiniMethods.Services(
        mp.apps(), mp.versions(), mp.templates(), mp.links())).methods()));
    this.methodNames = Set.copyOf(methods.keySet());
    this.gateway = new Gateway(apps, GatewayMethods.of(methods), platformKeys, limits, clock);
  }

  /** The mini-program components the alipay.open.mini.* methods act on. */
  public record MiniPrograms(Apps apps, Versions versions, Templates templates,
      LaunchLinks links) {}

  /** gateway.do: the server's HTTP adapter hands it every request. */
  public Gateway gateway() {
    return gateway;
  }

  public AppRegistry apps() {
    return apps;
  }

  /** Signed statement links (alipay.data.dataservice.bill.downloadurl.query); the server serves them. */
  public BillDownloads billDownloads() {
    return billDownloads;
  }

  public OAuthService oauth() {
    return oauth;
  }

  /** Where notifications may go; the notification transport re-checks the address it connects to. */
  public NotifyUrlPolicy notifyUrls() {
    return notifyUrls;
  }

  /** The method names the gateway serves. */
  public Set<String> methodNames() {
    return methodNames;
  }

  /**
   * Signs one delivery of a notification for the app it belongs to: adds {@code charset} (the
   * app's: the charset of its latest trade-creating request, UTF-8 until then), {@code sign_type}
   * (the app's) and {@code sign} (the platform key over every field but sign and sign_type, as the
   * SDK's {@code AlipaySignature.rsaCheckV1} verifies), and form-encodes the fields in that
   * charset. The server's NotificationTransport POSTs the result to {@code n.notifyUrl()}.
   *
   * @throws IllegalArgumentException when the notification's app is not registered
   */
  public SignedForm signNotification(OutboundNotification n) {
    Objects.requireNonNull(n, "notification");
    AppInfo app = apps.info(n.appId()).orElseThrow(() -> new IllegalArgumentException(
        "notification " + n.notifyId() + " belongs to app " + n.appId()
            + ", which is not registered"));
    Map<String, String> fields = new HashMap<>(n.fields());
    fields.put("charset", app.charset().protocolName());
    fields.put("sign_type", app.signType().name());
    fields.remove("sign");
    SignedNotification signed = signer.sign(fields);
    return new SignedForm(signed.contentType(), signed.body());
  }
}
