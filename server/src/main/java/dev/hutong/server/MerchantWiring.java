package dev.hutong.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hutong.identity.AuditLog;
import dev.hutong.identity.FeeRate;
import dev.hutong.identity.LoginRateLimiter;
import dev.hutong.identity.MerchantOnboarding;
import dev.hutong.identity.MerchantStaff;
import dev.hutong.identity.Merchants;
import dev.hutong.identity.SecretHasher;
import dev.hutong.identity.SimulatedBankChannel;
import dev.hutong.identity.Users;
import dev.hutong.identity.Wallets;
import dev.hutong.openapi.OpenPlatform;
import dev.hutong.openapi.gateway.PlatformKeys;
import dev.hutong.pay.CollectCodes;
import dev.hutong.pay.Dashboard;
import dev.hutong.pay.MerchantTrades;
import dev.hutong.pay.NotificationDispatcher;
import dev.hutong.pay.NotificationLog;
import dev.hutong.pay.Settlement;
import dev.hutong.pay.SettlementJob;
import dev.hutong.pay.Statements;
import dev.hutong.pay.TradeService;
import dev.hutong.server.runtime.AppOriginRoutes;
import dev.hutong.server.web.BillRoute;
import dev.hutong.server.web.MerchantMiniappRoutes;
import dev.hutong.server.web.MerchantRoutes;
import dev.hutong.server.web.OpsRoutes;
import dev.hutong.server.web.ReviewConsoleRoutes;
import dev.hutong.server.web.ReviewPreviewRoutes;
import dev.hutong.server.web.Routes;
import dev.hutong.server.web.StaticFiles;
import dev.hutong.server.web.WebAuth;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.jdbi.v3.core.Jdbi;

/**
 * The composition root's merchant side, kept out of HutongServer so that file stays small:
 * onboarding and staff logins, settlement (with the hourly T+1 sweep job), statements and their
 * signed download links, the portal's and the console's routes (with the mini-program review
 * queue) and files.
 */
final class MerchantWiring {
  /** Self-onboarded micro-merchants pay 0.6% (Alipay's standard rate for small merchants). */
  static final FeeRate MICRO_FEE_RATE = FeeRate.parse("0.006");
  static final Duration SWEEP_INTERVAL = Duration.ofHours(1);

  private MerchantWiring() {}

  static List<Routes> routes(Jdbi jdbi, Clock clock, Wallets wallets, Merchants merchants,
      SimulatedBankChannel bank, SecretHasher hasher, CollectCodes collectCodes,
      TradeService trades, OpenPlatform openPlatform, PlatformKeys platformKeys,
      NotificationDispatcher dispatcher, Miniapps miniapps, Predicate<String> operatorToken,
      WebAuth webAuth,
      ObjectMapper mapper, ShutdownStack started, AppOriginRoutes origins) {
    MerchantStaff staff = new MerchantStaff(jdbi, hasher, clock);
    MerchantOnboarding onboarding = new MerchantOnboarding(jdbi, wallets, merchants, staff, bank,
        MICRO_FEE_RATE, clock);
    Settlement settlement = new Settlement(jdbi, merchants, wallets, bank, clock);
    Statements statements = new Statements(jdbi, merchants);
    SettlementJob sweeps = new SettlementJob(settlement, SWEEP_INTERVAL);
    sweeps.start();
    started.push("settlement sweep", sweeps::close);
    MerchantRoutes portal = new MerchantRoutes(new MerchantRoutes.Services(merchants, staff,
        onboarding, collectCodes, new MerchantTrades(trades), settlement, statements,
        openPlatform.apps(), platformKeys.publicKeyBase64(),
        new NotificationLog(jdbi, clock, dispatcher::wake), LoginRateLimiter.withDefaults(clock)),
        webAuth, mapper);
    AuditLog audit = new AuditLog(jdbi, clock);
    OpsRoutes ops = new OpsRoutes(new OpsRoutes.Services(merchants, settlement, trades.risk(),
        new Dashboard(jdbi, clock), audit, operatorToken), webAuth, mapper);
    ReviewConsoleRoutes review = new ReviewConsoleRoutes(miniapps.versions, miniapps.apps,
        miniapps.review, audit, webAuth, mapper);
    MerchantMiniappRoutes instances = new MerchantMiniappRoutes(new MerchantMiniappRoutes.Services(
        staff, merchants, new Users(jdbi, wallets, hasher, clock), miniapps.apps,
        miniapps.versions, miniapps.templates, miniapps.links), webAuth, mapper);
    ReviewPreviewRoutes preview = new ReviewPreviewRoutes(new ReviewPreviewRoutes.Services(
        miniapps.apps, miniapps.versions, miniapps.templates, merchants, origins.tickets(),
        origins.hosts(), audit), webAuth, mapper);
    return List.of(portal, instances, ops, review, preview,
        new BillRoute(openPlatform.billDownloads(), statements),
        StaticFiles.console("/merchant", "merchant"),
        StaticFiles.console("/ops", "ops", origins.hosts().frameSource()));
  }
}
