package dev.hutong.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import dev.hutong.booking.BookingJobs;
import dev.hutong.booking.Escrow;
import dev.hutong.booking.InventoryEdits;
import dev.hutong.booking.Reservations;
import dev.hutong.booking.VenueDesk;
import dev.hutong.booking.Venues;
import dev.hutong.db.Migrations;
import dev.hutong.db.Pools;
import dev.hutong.ledger.Ledger;
import dev.hutong.ledger.LedgerSettings;
import dev.hutong.identity.MerchantStaff;
import dev.hutong.identity.Merchants;
import dev.hutong.identity.OpenIds;
import dev.hutong.identity.PaymentPins;
import dev.hutong.identity.SecretHasher;
import dev.hutong.identity.SimulatedBankChannel;
import dev.hutong.identity.User;
import dev.hutong.identity.Users;
import dev.hutong.identity.Wallets;
import dev.hutong.openapi.AppInfo;
import dev.hutong.openapi.NotifyUrlPolicy;
import dev.hutong.openapi.OpenPlatform;
import dev.hutong.openapi.OpenPlatformSettings;
import dev.hutong.openapi.PlatformKeyStore;
import dev.hutong.openapi.SignedForm;
import dev.hutong.openapi.gateway.GatewayLimits;
import dev.hutong.openapi.gateway.PlatformKeys;
import dev.hutong.identity.LoginRateLimiter;
import dev.hutong.identity.SessionRole;
import dev.hutong.identity.Sessions;
import dev.hutong.pay.Bills;
import dev.hutong.miniapp.runtime.AppStorage;
import dev.hutong.miniapp.runtime.DirectInstall;
import dev.hutong.miniapp.runtime.LaunchTickets;
import dev.hutong.miniapp.runtime.ScopeGrants;
import dev.hutong.pay.Cashier;
import dev.hutong.pay.CollectCodes;
import dev.hutong.pay.NotificationDispatcher;
import dev.hutong.pay.NotifySettings;
import dev.hutong.pay.PayJobs;
import dev.hutong.pay.PaySettings;
import dev.hutong.pay.PaymentCodes;
import dev.hutong.pay.TradeRecovery;
import dev.hutong.pay.TradeService;
import dev.hutong.pay.TradeSweeper;
import dev.hutong.server.runtime.AppHosts;
import dev.hutong.server.runtime.AppOriginRoutes;
import dev.hutong.server.runtime.BridgeRoutes;
import dev.hutong.server.web.MyAppsRoutes;
import dev.hutong.server.web.Routes;
import dev.hutong.server.web.ShellRoutes;
import dev.hutong.server.web.StaticFiles;
import dev.hutong.server.web.WebAuth;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http1.Http1Config;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: the one place that builds Hutong's components, by constructor, in
 * dependency order, and stops them in the reverse order. Nothing else news up a component or
 * looks one up; reading this class tells you everything that runs.
 */
public final class HutongServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HutongServer.class);

  /**
   * Modules that own tables, in dependency order: a module's migrations may refer to the tables
   * of the modules before it, never after.
   */
  static final List<String> MIGRATED_MODULES_IN_ORDER = List.of(Ledger.SCHEMA_MODULE, "identity",
      "pay", OpenPlatform.SCHEMA_MODULE, "miniapp", "booking");

  /** Connections the server's pool may hold; the embedded PostgreSQL allows 200 in all. */
  static final int POOL_CONNECTIONS_MAX = 16;
  /** Largest request body: the biggest legitimate one is a mini-program upload (8 MB, §6). */
  static final long REQUEST_BODY_BYTES_MAX = 10L * 1024 * 1024;
  /** Longest request line (method, path with query, protocol). */
  static final int REQUEST_LINE_BYTES_MAX = 8 * 1024;
  /** Largest request header block. */
  static final int REQUEST_HEADERS_BYTES_MAX = 16 * 1024;
  /** Open TCP connections at once; beyond this new ones wait in the accept backlog. */
  static final int TCP_CONNECTIONS_MAX = 10_000;
  /** How long /health waits for the database before reporting it unreachable. */
  static final Duration HEALTH_DATABASE_TIMEOUT = Duration.ofSeconds(3);
  /** How often the pay jobs look for unsettled attempts and expired trades. */
  static final Duration PAY_JOBS_INTERVAL = Duration.ofSeconds(5);
  /** How often the booking jobs settle expired holds, owed refunds and deposits. */
  static final Duration BOOKING_JOBS_INTERVAL = Duration.ofSeconds(2);
  /** The platform's RSA key pair (signs gateway responses and notifications), in the data dir. */
  static final String PLATFORM_KEY_FILE = "platform-key.pem";
  /** The notification lease when the schedule is scaled down; sends then give up after 4 s. */
  static final int SCALED_NOTIFY_LEASE_SECONDS = 10;
  /** How long a notification's connection may take to open. */
  static final Duration NOTIFY_CONNECT_TIMEOUT = Duration.ofSeconds(5);
  /** How long a shutdown hook waits for a start-up in progress to finish before stopping it. */
  private static final Duration START_WAIT_ON_SHUTDOWN = Duration.ofSeconds(120);

  private final ServerConfig config;
  private final Database database;
  private final WebServer webServer;
  private final OperatorToken operatorToken;
  private final ShutdownStack started;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final CountDownLatch stopped = new CountDownLatch(1);
  /** Set once by the composition root; run by {@link #runUntilStopped} (the start command). */
  DemoSeed demo;

  private HutongServer(ServerConfig config, Database database, WebServer webServer,
      OperatorToken operatorToken, ShutdownStack started) {
    this.config = config;
    this.database = database;
    this.webServer = webServer;
    this.operatorToken = operatorToken;
    this.started = started;
  }

  /**
   * Starts everything. On failure, whatever had started is stopped again and a
   * {@link ServerStartException} says what to fix.
   */
  public static HutongServer start(ServerConfig config) {
    return start(config, new ShutdownStack());
  }

  private static HutongServer start(ServerConfig config, ShutdownStack started) {
    Logging.routeJavaUtilLogging();
    try {
      return startComponents(config, started);
    } catch (RuntimeException | Error e) {
      started.close();
      throw e;
    }
  }

  private static HutongServer startComponents(ServerConfig requested, ShutdownStack started) {
    DataDirectory dataDirectory = DataDirectory.open(requested.dataDirectory());
    started.push("data directory lock", dataDirectory::close);
    // Checked before PostgreSQL starts, so a taken port fails in milliseconds, not seconds. Port 0
    // is resolved to a free port now, because QR codes carry the URL and are made before the web
    // server starts.
    requirePortFree(requested);
    ServerConfig config = requested.port() == 0
        ? requested.withPort(freePort(requested)) : requested;

    Database database = config.databaseUrl().map(Database::external)
        .orElseGet(() -> Database.embedded(dataDirectory.postgres()));
    started.push(database.description(), database::close);
    HikariDataSource pool = openPool(database);
    started.push("connection pool", pool::close);
    migrate(pool);
    Ledger ledger = startLedger(pool);
    started.push("ledger", ledger::close);

    Jdbi jdbi = Jdbi.create(pool);
    Clock clock = Clock.systemUTC();
    PlatformKeys platformKeys = loadPlatformKey(dataDirectory.root().resolve(PLATFORM_KEY_FILE));

    // identity
    Wallets wallets = new Wallets(ledger);
    wallets.ensurePlatformAccounts();
    SecretHasher hasher = new SecretHasher(SecretHasher.DEFAULT_COST);
    Users users = new Users(jdbi, wallets, hasher, clock);
    PaymentPins pins = new PaymentPins(jdbi, hasher, clock);
    Merchants merchants = new Merchants(jdbi, wallets, clock);
    OpenIds openIds = new OpenIds(jdbi, clock);
    SimulatedBankChannel bank = new SimulatedBankChannel(jdbi, ledger, users, merchants, clock);

    // pay; the trades wake the dispatcher, which is built later (it needs the open platform,
    // which needs the trades), hence the deferred wake-up.
    PaySettings paySettings = PaySettings.defaults(config.publicBaseUrl(config.port()));
    PaymentCodes paymentCodes = new PaymentCodes(jdbi, users, paySettings, clock);
    CollectCodes collectCodes = new CollectCodes(jdbi, merchants, paySettings, clock);
    DeferredWakeup notificationWakeup = new DeferredWakeup();
    TradeService trades = new TradeService(jdbi, ledger, users, merchants, openIds, paymentCodes,
        paySettings, clock, notificationWakeup);
    Cashier cashier = new Cashier(trades, pins, collectCodes);

    // miniapp: packages, lifecycle, templates, review, discovery (its index under the data dir)
    Miniapps miniapps = Miniapps.start(jdbi, merchants, dataDirectory.root(),
        config.publicBaseUrl(config.port()), clock);
    started.push("mini-programs", miniapps::close);

    // openapi
    // One limits object for the gateway and its HTTP adapter, which reads at most one byte more.
    GatewayLimits gatewayLimits = GatewayLimits.defaults();
    OpenPlatform openPlatform = new OpenPlatform(jdbi, platformKeys, trades, users, merchants,
        openIds, clock, OpenPlatformSettings.defaults(config.publicMode()),
        new NotifyUrlPolicy(config.publicMode()), gatewayLimits,
        Optional.of(new OpenPlatform.MiniPrograms(miniapps.apps, miniapps.versions,
            miniapps.templates, miniapps.links)));

    // background work: recovery settles whatever a crash left half-done before any traffic
    PayJobs payJobs = new PayJobs(new TradeRecovery(trades), new TradeSweeper(trades),
        paySettings, PAY_JOBS_INTERVAL);
    payJobs.start();
    started.push("pay jobs", payJobs::close);
    // booking: the template apps' back end; its jobs, like pay's, recover before any traffic
    Venues venues = new Venues(jdbi, clock);
    Reservations reservations = new Reservations(jdbi, venues, trades, clock);
    Escrow escrow = new Escrow(jdbi, venues, reservations, ledger,
        new IdentityAccounts(users, merchants), clock);
    dev.hutong.booking.Sessions bookingSessions =
        new dev.hutong.booking.Sessions(jdbi, clock);
    BookingJobs bookingJobs = new BookingJobs(reservations, escrow, bookingSessions,
        BOOKING_JOBS_INTERVAL);
    bookingJobs.start();
    started.push("booking jobs", bookingJobs::close);
    NotifySettings notifySettings = notifySettings(config.notifyScheduleScale());
    NotificationDispatcher dispatcher = new NotificationDispatcher(jdbi,
        notificationTransport(config, openPlatform, notifySettings), notifySettings, clock);
    notificationWakeup.set(dispatcher::wake);
    dispatcher.start();
    started.push("notification dispatcher", dispatcher::close);

    ServerMetrics metrics = new ServerMetrics();
    started.push("metrics", metrics::close);
    LedgerMetrics.bind(metrics.registry(), ledger);
    HealthCheck health = new HealthCheck(new DatabaseProbe(pool, HEALTH_DATABASE_TIMEOUT),
        database.isEmbedded() ? "embedded" : "external", ledger::stats);
    OperatorToken operatorToken = OperatorToken.createIn(dataDirectory.root(),
        new SecureRandom());
    ObjectMapper mapper = new ObjectMapper();
    AdminRoutes admin = new AdminRoutes(operatorToken, new AdminRoutes.Services(merchants, users,
        wallets, bank, paymentCodes, openIds, cashier, openPlatform.apps(), openPlatform.oauth()),
        mapper);
    GatewayRoute gateway = new GatewayRoute(openPlatform.gateway(), gatewayLimits.bodyBytesMax());
    // the browser side: sessions and CSRF (shared by every role), the shell's API and files
    WebAuth webAuth = WebSetup.auth(new Sessions(jdbi, clock), config);
    ShellRoutes shell = new ShellRoutes(new ShellRoutes.Services(users, wallets, bank, merchants,
        paymentCodes, collectCodes, trades, cashier, new Bills(jdbi),
        LoginRateLimiter.withDefaults(clock)), webAuth, mapper);
    SuspendedApps suspendedApps = new SuspendedApps(miniapps.apps, merchants);
    MiniappRoutes miniappRoutes = new MiniappRoutes(miniapps, new Json(mapper), suspendedApps);
    MiniappAdminRoutes miniappAdmin = new MiniappAdminRoutes(admin, miniapps);
    RuntimeRoutes runtime = runtimeRoutes(config, jdbi, clock, miniapps, trades,
        openPlatform, operatorToken, webAuth, mapper, merchants);
    MerchantStaff staff = new MerchantStaff(jdbi, hasher, clock);
    BookingRoutes booking = new BookingRoutes(new BookingRoutes.Services(venues, reservations,
        escrow, bookingSessions, openPlatform.oauth()::redeemCode, bookingMerchantAccess(
            operatorToken, webAuth, staff, openPlatform, miniapps), new VenueDesk(jdbi),
        id -> users.find(id).map(User::phone), new InventoryEdits(jdbi, clock)), mapper);
    // merchant portal and operations console (docs/merchants.md, docs/operator-console.md)
    List<Routes> groups = new ArrayList<>(List.of(
        miniappRoutes::register, miniappAdmin::register, shell,
        StaticFiles.shell(runtime.origins().hosts().frameSource()), booking,
        new MyAppsRoutes(new MyAppsRoutes.Services(miniapps.apps, miniapps.userApps,
            miniapps.resolver, suspendedApps::among), webAuth, mapper)));
    groups.addAll(MerchantWiring.routes(jdbi, clock, wallets, merchants, bank, hasher,
        collectCodes, trades, openPlatform, platformKeys, dispatcher, miniapps,
        operatorToken::matches, webAuth, mapper, started, runtime.origins()));
    HttpRoutes routes = new HttpRoutes(health, metrics, new Json(mapper), Optional.of(gateway),
        Optional.of(admin), Optional.of(runtime), groups);
    WebServer webServer = startWebServer(config, routes);
    started.push("web server", webServer::stop);
    HutongServer server = new HutongServer(config, database, webServer, operatorToken, started);
    server.demo = demoSeed(clock, dataDirectory, users, merchants, bank, openPlatform, miniapps,
        venues, staff, webServer.port());
    return server;
  }

  /** The merchant booking API's gate: an app's owner is its mini-program's or Open API app's. */
  private static BookingMerchantAccess bookingMerchantAccess(OperatorToken operatorToken,
      WebAuth webAuth, MerchantStaff staff, OpenPlatform openPlatform, Miniapps miniapps) {
    return new BookingMerchantAccess(operatorToken, webAuth, staff,
        app -> miniapps.apps.find(app).map(dev.hutong.miniapp.App::merchantId)
            .or(() -> openPlatform.apps().info(app).map(AppInfo::merchantId)),
        merchant -> java.util.stream.Stream.concat(miniapps.apps.byMerchant(merchant).stream()
            .map(dev.hutong.miniapp.App::appId), openPlatform.apps().appsOf(merchant).stream()
            .map(AppInfo::appId)).distinct().toList());
  }

  /** The demo `hutong start` seeds into a fresh data directory (not run by tests). */
  private static DemoSeed demoSeed(Clock clock, DataDirectory dataDirectory,
      Users users, Merchants merchants, SimulatedBankChannel bank, OpenPlatform openPlatform,
      Miniapps miniapps, Venues venues, MerchantStaff staff, int port) {
    return new DemoSeed(new DemoSeed.Parts(users, merchants, bank, openPlatform.apps(),
        miniapps.apps, miniapps.versions, miniapps.templates, venues, clock,
        staff),
        dataDirectory.root(), List.of("http://127.0.0.1:" + port, "http://localhost:" + port));
  }

  /**
   * Mini-programs and their runtime: content origins by Host, the bridge's API, direct install.
   * Launch tickets are signed with a key made at every start (tickets are short-lived; the shell
   * asks for a new one when the server restarted).
   */
  private static RuntimeRoutes runtimeRoutes(ServerConfig config, Jdbi jdbi, Clock clock,
      Miniapps miniapps, TradeService trades, OpenPlatform openPlatform,
      OperatorToken operatorToken, WebAuth webAuth, ObjectMapper mapper, Merchants merchants) {
    AppHosts hosts = AppHosts.forShell(config.publicBaseUrl(config.port()), config.appsDomain());
    LaunchTickets tickets = LaunchTickets.withRandomKey(new SecureRandom(), clock);
    BridgeRoutes.Services bridge = new BridgeRoutes.Services(miniapps.apps, miniapps.versions,
        miniapps.resolver, miniapps.templates, miniapps.userApps, new AppStorage(jdbi, clock),
        new ScopeGrants(jdbi, clock), openPlatform.oauth(), tickets, trades, merchants);
    return new RuntimeRoutes(new AppOriginRoutes(hosts, tickets, miniapps.versions),
        new BridgeRoutes(bridge, request -> webAuth.require(request, SessionRole.USER).id(),
            hosts, mapper),
        new MiniappInstallRoutes(operatorToken, new DirectInstall(miniapps.apps, miniapps.versions,
            miniapps.validator), openPlatform.apps(), mapper));
  }


  /**
   * The dispatcher's settings. A scaled-down schedule (tests, demos) also shortens the lease that
   * keeps other dispatchers off a notification being sent, from 60 s to
   * {@link #SCALED_NOTIFY_LEASE_SECONDS}: a notification whose sender died (the process was
   * killed mid-send) is retried within seconds, as the scaled schedule promises.
   */
  static NotifySettings notifySettings(double scheduleScale) {
    NotifySettings defaults = NotifySettings.defaults();
    int leaseSeconds = scheduleScale < 1 ? SCALED_NOTIFY_LEASE_SECONDS : defaults.leaseSeconds();
    return new NotifySettings(scheduleScale, defaults.batchMax(), defaults.sendConcurrencyMax(),
        leaseSeconds, defaults.pollIntervalMillis());
  }

  /**
   * Notifications go out over HTTP, signed with the platform key. The whole send gives up within
   * half of the dispatcher's lease (the rest is margin), so no send outlives its lease.
   */
  private static HttpNotificationTransport notificationTransport(ServerConfig config,
      OpenPlatform openPlatform, NotifySettings notifySettings) {
    Duration budget = Duration.ofSeconds(notifySettings.leaseSeconds()).dividedBy(2)
        .minusSeconds(1);
    Duration connect = NOTIFY_CONNECT_TIMEOUT.compareTo(budget) < 0 ? NOTIFY_CONNECT_TIMEOUT
        : budget;
    return new HttpNotificationTransport(HttpNotificationTransport.newClient(connect),
        n -> {
          SignedForm form = openPlatform.signNotification(n);
          return new HttpNotificationTransport.SignedBody(form.contentType(), form.body());
        },
        budget, config.publicMode(), InetAddress::getAllByName,
        Executors.newVirtualThreadPerTaskExecutor());
  }

  private static PlatformKeys loadPlatformKey(Path file) {
    try {
      return PlatformKeyStore.loadOrCreate(file);
    } catch (RuntimeException e) {
      throw new ServerStartException("could not load or create the platform key in " + file
          + ": " + Database.rootMessage(e) + "; if the file is damaged, restore it from a backup"
          + " (a new key means every merchant must configure the new platform public key)", e);
    }
  }

  /** A free port on the bind address, for a config that asked for port 0. */
  private static int freePort(ServerConfig config) {
    try (ServerSocket probe = new ServerSocket()) {
      probe.setReuseAddress(false);
      probe.bind(new InetSocketAddress(InetAddress.getByName(config.bindHost()), 0));
      return probe.getLocalPort();
    } catch (IOException e) {
      throw new ServerStartException("could not find a free port on " + config.bindHost() + ": "
          + Database.rootMessage(e), e);
    }
  }

  /** A wake-up whose target is set once its component exists; calls before that are dropped. */
  private static final class DeferredWakeup implements Runnable {
    private volatile Runnable target = () -> { };

    void set(Runnable newTarget) {
      target = newTarget;
    }

    @Override
    public void run() {
      target.run();
    }
  }

  private static HikariDataSource openPool(Database database) {
    try {
      return Pools.open(database.jdbcUrl(), "hutong", POOL_CONNECTIONS_MAX);
    } catch (RuntimeException e) {
      throw new ServerStartException("cannot connect to the " + database.description() + ": "
          + JdbcUrls.maskPassword(Database.rootMessage(e))
          + "; check that it is running and that the URL, user and password are right", e);
    }
  }

  private static void migrate(DataSource pool) {
    for (String module : MIGRATED_MODULES_IN_ORDER) {
      try {
        int applied = Migrations.migrate(pool, module);
        if (applied > 0) {
          log.info("applied {} migration(s) to the {} schema", applied, module);
        }
      } catch (RuntimeException e) {
        throw new ServerStartException("could not migrate the " + module + " schema: "
            + Database.rootMessage(e), e);
      }
    }
  }

  private static Ledger startLedger(DataSource pool) {
    try {
      return Ledger.start(pool, LedgerSettings.defaults());
    } catch (RuntimeException e) {
      throw new ServerStartException("could not start the ledger: " + Database.rootMessage(e), e);
    }
  }

  private static void requirePortFree(ServerConfig config) {
    if (config.port() == 0) {
      return;
    }
    try (ServerSocket probe = new ServerSocket()) {
      probe.bind(new InetSocketAddress(InetAddress.getByName(config.bindHost()), config.port()));
    } catch (IOException e) {
      throw portTaken(config, e);
    }
  }

  private static ServerStartException portTaken(ServerConfig config, Exception e) {
    return new ServerStartException("port " + config.port() + " on " + config.bindHost()
        + " is already in use (" + Database.rootMessage(e) + "); stop the program using it or"
        + " choose another with --port", e);
  }

  private static WebServer startWebServer(ServerConfig config, HttpRoutes routes) {
    try {
      return WebServer.builder()
          .host(config.bindHost())
          .port(config.port())
          // Our own hook stops the web server, in order, with everything else.
          .shutdownHook(false)
          .maxPayloadSize(REQUEST_BODY_BYTES_MAX)
          .maxTcpConnections(TCP_CONNECTIONS_MAX)
          .addProtocol(Http1Config.builder()
              .maxPrologueLength(REQUEST_LINE_BYTES_MAX)
              .maxHeadersSize(REQUEST_HEADERS_BYTES_MAX)
              .build())
          .routing(routes.routing())
          .build()
          .start();
    } catch (RuntimeException e) {
      if (hasCause(e, BindException.class)) {
        throw portTaken(config, e);
      }
      throw new ServerStartException("could not start the web server on " + config.bindHost()
          + ":" + config.port() + ": " + Database.rootMessage(e), e);
    }
  }

  private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Starts the server, prints where it listens, and blocks until the process is asked to stop
   * (Ctrl-C, SIGTERM); the JVM shutdown hook then stops everything in reverse order.
   */
  public static void runUntilStopped(ServerConfig config, PrintWriter out)
      throws InterruptedException {
    ShutdownStack started = new ShutdownStack();
    CountDownLatch startFinished = new CountDownLatch(1);
    Thread hook = new Thread(() -> stopOnShutdown(started, startFinished), "hutong-shutdown");
    // Registered before anything starts: Ctrl-C during start-up must not orphan PostgreSQL.
    Runtime.getRuntime().addShutdownHook(hook);
    HutongServer server;
    try {
      server = start(config, started);
    } catch (RuntimeException | Error e) {
      removeHook(hook);
      throw e;
    } finally {
      startFinished.countDown();
    }
    server.banner().forEach(out::println);
    server.seedDemo().forEach(out::println);
    out.flush();
    server.stopped.await();
  }

  private static void stopOnShutdown(ShutdownStack started, CountDownLatch startFinished) {
    started.close();
    try {
      // A component that was starting when the signal came is pushed (and so stopped by the
      // closed stack) when its start returns; wait for that before the JVM goes away.
      startFinished.await(START_WAIT_ON_SHUTDOWN.toSeconds(), TimeUnit.SECONDS);
      log.info("Hutong stopped");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void removeHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException alreadyShuttingDown) {
      // The JVM is exiting anyway and the hook is running or has run.
    }
  }

  /** Runs the server with the defaults and the environment (HUTONG_DB_URL, HUTONG_PUBLIC). */
  public static void main(String[] args) throws InterruptedException {
    if (args.length > 0) {
      System.err.println("HutongServer takes no arguments; use the hutong command for options");
      System.exit(2);
    }
    try {
      runUntilStopped(ServerConfig.fromEnvironment(System.getenv()),
          new PrintWriter(System.out, true, java.nio.charset.Charset.defaultCharset()));
    } catch (ServerStartException | IllegalArgumentException e) {
      System.err.println("hutong: " + e.getMessage());
      System.exit(1);
    }
  }

  /** Seeds the demo once, as `hutong start` does; returns the lines it prints (DemoSeed). */
  public List<String> seedDemo() {
    return demo.seedOnce();
  }

  /** The port the web server listens on (the real one when the config asked for port 0). */
  public int port() {
    return webServer.port();
  }

  /** Where a browser on this machine reaches the server. */
  public String localUrl() {
    return "http://127.0.0.1:" + port() + "/";
  }

  /** Where the operator token for the admin API was written. */
  public Path operatorTokenFile() {
    return operatorToken.file();
  }

  /** For people: which database this server uses; an external URL has its password masked. */
  public String databaseDescription() {
    return database.description();
  }

  /** What to print once the server is up: where it listens, which database, how to stop it. */
  public List<String> banner() {
    String listening = config.publicMode()
        ? "Hutong is listening on every network interface, port " + port() + " ("
            + ServerConfig.ENV_PUBLIC + "=true); on this machine: " + localUrl()
        : "Hutong is listening on " + localUrl();
    return List.of(listening, "Database: " + databaseDescription(),
        "Operator token: " + operatorToken.file() + " (for hutong admin; new at every start)",
        "Press Ctrl-C to stop");
  }

  /** Stops everything in the reverse order of start; safe to call more than once. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      log.info("stopping Hutong");
      started.close();
      stopped.countDown();
    }
  }
}
