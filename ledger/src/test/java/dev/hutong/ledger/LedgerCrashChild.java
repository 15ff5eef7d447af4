package dev.hutong.ledger;

import com.zaxxer.hikari.HikariDataSource;
import dev.hutong.db.Pools;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.StringJoiner;
import java.util.UUID;

/**
 * The process {@link LedgerCrashTest} kills: a Ledger under load from several threads, between a
 * fixed set of accounts (wallets that must not go below zero, funded from an unconstrained account;
 * merchants), with single-phase, pending, post, void, linked and retried transfers.
 *
 * <p>Protocol on stdout, one line each, flushed as written (logging goes to stderr):
 * <pre>
 *   RUNNING                      the ledger is up; load starts
 *   SUB t1;t2;...                a request about to be submitted (see {@link #format})
 *   ACK id=RESULT,id=RESULT,...  the ledger's answer to it: committed
 * </pre>
 * A request with a SUB and no ACK was in flight when the process died; the test passes those to the
 * next run, which submits them again with the same ids first.
 *
 * <p>Arguments: JDBC URL, seed, file of requests to retry (may not exist).
 */
public final class LedgerCrashChild {
  static final int LEDGER = 156;
  static final UUID FUNDING = new UUID(0x4855_544f_4e47L, 1);
  static final List<UUID> WALLETS = List.of(new UUID(0x4855_544f_4e47L, 11), new UUID(0x4855_544f_4e47L, 12),
      new UUID(0x4855_544f_4e47L, 13), new UUID(0x4855_544f_4e47L, 14), new UUID(0x4855_544f_4e47L, 15),
      new UUID(0x4855_544f_4e47L, 16));
  static final List<UUID> MERCHANTS = List.of(new UUID(0x4855_544f_4e47L, 21), new UUID(0x4855_544f_4e47L, 22));
  private static final int THREADS = 4;

  private static final PrintStream OUT = new PrintStream(System.out, false, StandardCharsets.UTF_8);

  private LedgerCrashChild() {}

  public static void main(String[] args) throws Exception {
    String url = args[0];
    long seed = Long.parseLong(args[1]);
    Path retries = Path.of(args[2]);
    HikariDataSource ds = Pools.open(url, "crash-child", THREADS + 2);
    Ledger ledger = Ledger.start(ds, LedgerSettings.defaults());

    List<Account> accounts = new ArrayList<>();
    accounts.add(Account.open(FUNDING, LEDGER, 9, 0));
    WALLETS.forEach(w -> accounts.add(Account.open(w, LEDGER, 1, AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS)));
    MERCHANTS.forEach(m -> accounts.add(Account.open(m, LEDGER, 2, 0)));
    for (CreateAccountResult r : ledger.createAccounts(accounts)) {
      if (!r.ok()) {
        throw new IllegalStateException("could not create the accounts: " + r);
      }
    }
    if (Files.exists(retries)) {
      for (String line : Files.readAllLines(retries)) {
        submit(ledger, parse(line));
      }
    }
    line("RUNNING");

    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < THREADS; i++) {
      Random random = new Random(seed * 31 + i);
      Thread t = new Thread(() -> load(ledger, random), "load-" + i);
      t.start();
      threads.add(t);
    }
    for (Thread t : threads) {
      t.join(); // until the test kills this process
    }
  }

  /** One thread's endless stream of requests. */
  private static void load(Ledger ledger, Random random) {
    List<Transfer> holds = new ArrayList<>();
    List<List<Transfer>> done = new ArrayList<>();
    while (true) {
      UUID wallet = WALLETS.get(random.nextInt(WALLETS.size()));
      UUID merchant = MERCHANTS.get(random.nextInt(MERCHANTS.size()));
      int op = random.nextInt(100);
      List<Transfer> request;
      if (op < 25) {
        request = List.of(Transfer.of(Ids.next(), FUNDING, wallet, 1 + random.nextInt(500), LEDGER, 1));
      } else if (op < 55) {
        request = List.of(Transfer.of(Ids.next(), wallet, merchant, 1 + random.nextInt(300), LEDGER, 2));
      } else if (op < 75) {
        int timeout = random.nextBoolean() ? 0 : 1 + random.nextInt(3);
        request = List.of(Transfer.pending(Ids.next(), wallet, merchant, 1 + random.nextInt(200), LEDGER, 3, timeout));
      } else if (op < 90 && !holds.isEmpty()) {
        Transfer hold = holds.remove(random.nextInt(holds.size()));
        request = List.of(switch (random.nextInt(3)) {
          case 0 -> Transfer.post(Ids.next(), hold.id(), 0);
          case 1 -> Transfer.post(Ids.next(), hold.id(), 1 + random.nextInt((int) hold.amount()));
          default -> Transfer.voidPending(Ids.next(), hold.id());
        });
      } else if (op < 95) {
        // A payment and the merchant's fee back to the platform, together or not at all.
        long amount = 1 + random.nextInt(300);
        request = List.of(
            Transfer.of(Ids.next(), wallet, merchant, amount, LEDGER, 2).withFlags(TransferFlags.LINKED),
            Transfer.of(Ids.next(), merchant, FUNDING, Math.max(1, amount / 100), LEDGER, 4));
      } else if (!done.isEmpty()) {
        request = done.get(random.nextInt(done.size())); // a retry: same ids, same fields
      } else {
        continue;
      }
      List<CreateTransferResult> results = submit(ledger, request);
      if (results == null) {
        continue;
      }
      if (request.size() == 1 && results.get(0) == CreateTransferResult.CREATED
          && request.get(0).hasFlag(TransferFlags.PENDING)) {
        holds.add(request.get(0));
      }
      if (done.size() < 200) {
        done.add(request);
      }
    }
  }

  /** Announces, submits and acknowledges one request; null if the ledger was unavailable. */
  private static List<CreateTransferResult> submit(Ledger ledger, List<Transfer> request) {
    StringJoiner sub = new StringJoiner(";", "SUB ", "");
    request.forEach(t -> sub.add(format(t)));
    line(sub.toString());
    List<CreateTransferResult> results;
    try {
      results = ledger.createTransfers(request);
    } catch (LedgerUnavailableException e) {
      return null; // not acknowledged: it stays in flight, and the next run retries it
    }
    StringJoiner ack = new StringJoiner(",", "ACK ", "");
    for (int i = 0; i < request.size(); i++) {
      ack.add(request.get(i).id() + "=" + results.get(i).name());
    }
    line(ack.toString());
    return results;
  }

  private static void line(String s) {
    synchronized (OUT) {
      OUT.println(s);
      OUT.flush();
    }
  }

  /** id,debit,credit,amount,pending_id,flags,timeout,ledger,code (user data is zero). */
  static String format(Transfer t) {
    return t.id() + "," + t.debitAccountId() + "," + t.creditAccountId() + "," + t.amount() + ","
        + t.pendingId() + "," + t.flags() + "," + t.timeoutSeconds() + "," + t.ledger() + "," + t.code();
  }

  static List<Transfer> parse(String line) {
    List<Transfer> out = new ArrayList<>();
    for (String e : line.split(";")) {
      String[] f = e.split(",");
      if (f.length != 9) {
        throw new IllegalArgumentException("not a transfer: " + e);
      }
      out.add(new Transfer(UUID.fromString(f[0]), UUID.fromString(f[1]), UUID.fromString(f[2]),
          Long.parseLong(f[3]), UUID.fromString(f[4]), null, 0, 0, Integer.parseInt(f[6]),
          Integer.parseInt(f[7]), Integer.parseInt(f[8]), Integer.parseInt(f[5]), 0));
    }
    return out;
  }

  static void writeRequests(Path file, List<List<Transfer>> requests) throws IOException {
    List<String> lines = new ArrayList<>();
    for (List<Transfer> r : requests) {
      StringJoiner j = new StringJoiner(";");
      r.forEach(t -> j.add(format(t)));
      lines.add(j.toString());
    }
    Files.write(file, lines);
  }
}
