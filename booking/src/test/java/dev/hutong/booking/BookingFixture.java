package dev.hutong.booking;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.hutong.db.Migrations;
import dev.hutong.db.MutableClock;
import dev.hutong.db.TestDatabases;
import dev.hutong.identity.FeeRate;
import dev.hutong.identity.Merchant;
import dev.hutong.identity.Merchants;
import dev.hutong.identity.NewMerchant;
import dev.hutong.identity.NewUser;
import dev.hutong.identity.OpenIds;
import dev.hutong.identity.PaymentPins;
import dev.hutong.identity.SecretHasher;
import dev.hutong.identity.SimulatedBankChannel;
import dev.hutong.identity.TopUp;
import dev.hutong.identity.User;
import dev.hutong.identity.Users;
import dev.hutong.identity.Wallets;
import dev.hutong.ledger.Ledger;
import dev.hutong.ledger.LedgerInvariants;
import dev.hutong.ledger.LedgerSettings;
import dev.hutong.pay.Cashier;
import dev.hutong.pay.CollectCodes;
import dev.hutong.pay.PayInvariants;
import dev.hutong.pay.PaySettings;
import dev.hutong.pay.PaymentCodes;
import dev.hutong.pay.TradeService;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Jdbi;

/** One database with ledger, identity, pay and booking wired as the server wires them. */
final class BookingFixture implements AutoCloseable {
  static final String PIN = "123456";
  static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
  static final Instant START = Instant.parse("2026-11-20T02:00:00Z"); // 10:00 in Shanghai

  final HikariDataSource ds;
  final MutableClock clock = new MutableClock(START);
  final Jdbi jdbi;
  final AtomicInteger phones = new AtomicInteger(10000000);
  Ledger ledger;
  Wallets wallets;
  Users users;
  PaymentPins pins;
  Merchants merchants;
  SimulatedBankChannel bank;
  TradeService trades;
  Cashier cashier;
  Venues venues;
  Reservations reservations;
  Escrow escrow;
  Sessions sessions;
  BookingJobs jobs;

  BookingFixture(String name, int poolSize) {
    ds = TestDatabases.open(name, poolSize);
    for (String module : List.of("ledger", "identity", "pay", "booking")) {
      Migrations.migrate(ds, module);
    }
    jdbi = Jdbi.create(ds);
    start();
  }

  /** (Re)builds every component, as a process restart would. */
  void start() {
    ledger = Ledger.start(ds, LedgerSettings.defaults());
    wallets = new Wallets(ledger);
    wallets.ensurePlatformAccounts();
    SecretHasher hasher = new SecretHasher(SecretHasher.MIN_COST);
    users = new Users(jdbi, wallets, hasher, clock);
    pins = new PaymentPins(jdbi, hasher, clock);
    merchants = new Merchants(jdbi, wallets, clock);
    OpenIds openIds = new OpenIds(jdbi, clock);
    bank = new SimulatedBankChannel(jdbi, ledger, users, merchants, clock);
    PaySettings settings = PaySettings.defaults("http://127.0.0.1:8080");
    PaymentCodes codes = new PaymentCodes(jdbi, users, settings, clock);
    trades = new TradeService(jdbi, ledger, users, merchants, openIds, codes, settings, clock,
        () -> { });
    cashier = new Cashier(trades, pins, new CollectCodes(jdbi, merchants, settings, clock));
    venues = new Venues(jdbi, clock);
    reservations = new Reservations(jdbi, venues, trades, clock);
    escrow = new Escrow(jdbi, venues, reservations, ledger, accounts(), clock);
    sessions = new Sessions(jdbi, clock);
    jobs = new BookingJobs(reservations, escrow, sessions, java.time.Duration.ofHours(1));
  }

  void restart() {
    jobs.close();
    ledger.close();
    start();
  }

  PartyAccounts accounts() {
    return new PartyAccounts() {
      @Override
      public UUID walletOf(UUID userId) {
        return users.get(userId).walletAccountId();
      }

      @Override
      public UUID settlementOf(UUID merchantId) {
        return merchants.get(merchantId).settlementAccountId();
      }
    };
  }

  User user(long balanceFen) {
    User u = users.create(new NewUser("139" + phones.incrementAndGet(), "password1", PIN, null));
    if (balanceFen > 0) {
      bank.topUp(new TopUp(u.id(), balanceFen, "init", null)).requireSuccess();
    }
    return u;
  }

  Merchant merchant() {
    return merchants.create(new NewMerchant("Venue " + phones.incrementAndGet(), "leisure",
        FeeRate.parse("0.006")));
  }

  long balance(User u) {
    return wallets.balance(u.walletAccountId()).posted();
  }

  long available(User u) {
    return wallets.balance(u.walletAccountId()).available();
  }

  long balance(Merchant m) {
    return wallets.balance(m.settlementAccountId()).posted();
  }

  long available(Merchant m) {
    return wallets.balance(m.settlementAccountId()).available();
  }

  /** A cinema with one 4x5 hall (rows C/D are VIP) and a showtime tomorrow at 19:30. */
  record Cinema(Venue venue, Merchant merchant, UUID hall, UUID showtime) {}

  Cinema cinema(String appId, int freeHours, int feePercent) {
    Merchant m = merchant();
    Venue v = venues.create(new Venue(null, appId, m.id(), VenueKind.CINEMA, "Red Star " + appId,
        freeHours, feePercent, 15, 0, 1, 1, 14, 14));
    UUID hall = venues.addHall(v, "Hall 1", List.of("SS_SSS", "SS_SSS", "VV_VVV", "VV_VVV"),
        Map.of("S", "Standard", "V", "VIP"));
    UUID st = venues.addShowtime(v, hall, "The Hutong", 120,
        LocalDate.ofInstant(START, ZONE).plusDays(1).atTime(19, 30).atZone(ZONE).toInstant(),
        Map.of("S", 4500L, "V", 6500L));
    return new Cinema(v, m, hall, st);
  }

  /** A big single-class hall: {@code rows} rows of {@code cols} seats. */
  Cinema bigCinema(String appId, int rows, int cols) {
    Merchant m = merchant();
    Venue v = venues.create(new Venue(null, appId, m.id(), VenueKind.CINEMA, "Big " + appId,
        24, 20, 15, 0, 1, 1, 14, 14));
    UUID hall = venues.addHall(v, "Main", java.util.Collections.nCopies(rows, "S".repeat(cols)),
        Map.of("S", "Standard"));
    UUID st = venues.addShowtime(v, hall, "Rush", 100, START.plusSeconds(86_400 * 2),
        Map.of("S", 3000L));
    return new Cinema(v, m, hall, st);
  }

  record Restaurant(Venue venue, Merchant merchant) {}

  Restaurant restaurant(String appId, long prepayPerPerson) {
    Merchant m = merchant();
    Venue v = venues.create(new Venue(null, appId, m.id(), VenueKind.RESTAURANT, "Noodle Bar",
        4, 50, 15, prepayPerPerson, 1, 8, 7, 14));
    venues.addResource(v, "T1", 2);
    venues.addResource(v, "T2", 4);
    venues.addResource(v, "T3", 6);
    venues.openSlots(v, LocalDate.ofInstant(START, ZONE), 7, LocalTime.of(11, 0),
        LocalTime.of(21, 0), 90, ZONE);
    return new Restaurant(v, m);
  }

  Instant tomorrowAt(int hour, int minute) {
    return LocalDate.ofInstant(START, ZONE).plusDays(1).atTime(hour, minute).atZone(ZONE)
        .toInstant();
  }

  List<UUID> freeSeats(Cinema c, int n) {
    return venues.seatMap(c.venue(), c.showtime()).seats().stream().filter(s -> !s.taken())
        .limit(n).map(Inventory.Seat::unitId).toList();
  }

  /** The user pays the reservation's trade in the cashier with the PIN. */
  void pay(User u, Reservation r) {
    cashier.confirm(u.id(), r.tradeNo(), PIN);
  }

  void assertInvariants() throws Exception {
    assertThat(LedgerInvariants.violations(ds)).as("ledger invariants").isEmpty();
    assertThat(PayInvariants.violations(ds)).as("pay invariants").isEmpty();
    assertThat(BookingInvariants.violations(ds)).as("booking invariants").isEmpty();
  }

  @Override
  public void close() {
    jobs.close();
    ledger.close();
    ds.close();
  }
}
