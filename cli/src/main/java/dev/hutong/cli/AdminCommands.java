package dev.hutong.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code hutong admin ...}: the operator's commands against a running server's admin API. Each
 * prints one JSON object on stdout and exits 0, or prints {@code {"error":..,"sub_code":..}} and
 * exits 1 (2 for a wrong command line). Amounts are 2-decimal strings.
 */
final class AdminCommands {
  static final String DEFAULT_SERVER = "http://127.0.0.1:8080";
  /** Longest public key file read: a 4096-bit key in PEM armour is under 1 KiB. */
  static final int KEY_FILE_BYTES_MAX = 64 * 1024;
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private AdminCommands() {}

  /** The whole admin tree, every subcommand added explicitly. */
  static CommandLine commandLine() {
    CommandLine admin = new CommandLine(new Admin());
    admin.addSubcommand("merchant", new CommandLine(new MerchantGroup())
        .addSubcommand("create", new MerchantCreate()));
    admin.addSubcommand("app", new CommandLine(new AppGroup())
        .addSubcommand("create", new AppCreate()));
    admin.addSubcommand("user", new CommandLine(new UserGroup())
        .addSubcommand("create", new UserCreate())
        .addSubcommand("payment-code", new UserPaymentCode())
        .addSubcommand("open-id", new UserOpenId()));
    admin.addSubcommand("cashier", new CommandLine(new CashierGroup())
        .addSubcommand("pay", new CashierPay()));
    admin.addSubcommand("oauth", new CommandLine(new OauthGroup())
        .addSubcommand("code", new OauthCode()));
    admin.addSubcommand("balance", new Balance());
    admin.addSubcommand("miniapp", new CommandLine(new MiniappInstall.Group())
        .addSubcommand("install", new MiniappInstall()));
    return admin;
  }

  /** True for commands under {@code hutong admin}, whose errors are printed as JSON. */
  static boolean isAdmin(CommandLine commandLine) {
    for (CommandLine c = commandLine; c != null; c = c.getParent()) {
      if (c.getCommand() instanceof Admin) {
        return true;
      }
    }
    return false;
  }

  /** Prints {@code {"error":...,"sub_code":...}} (sub_code left out when none applies). */
  static void printError(PrintWriter out, String message, String subCode) {
    Map<String, String> error = new LinkedHashMap<>();
    error.put("error", message);
    if (subCode != null) {
      error.put("sub_code", subCode);
    }
    print(out, error);
  }

  static void print(PrintWriter out, Object json) {
    try {
      out.println(MAPPER.writeValueAsString(json));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
    out.flush();
  }

  // ------------------------------------------------------------------ shared parts

  /** Where the server is and where its operator token is. */
  static final class Connection {
    @Option(names = "--server", paramLabel = "URL",
        description = "the Hutong server (default: " + DEFAULT_SERVER + ")")
    String server = DEFAULT_SERVER;

    @Option(names = "--data-dir", paramLabel = "DIR",
        description = "the server's data directory, where it wrote operator.token "
            + "(default: ./data)")
    Path dataDirectory = Path.of("data");
  }

  /** A command that makes one admin request and prints its JSON answer. */
  abstract static class Leaf implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Connection connection = new Connection();

    abstract ObjectNode run(AdminClient client);

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      try {
        print(out, run(AdminClient.connect(connection.server, connection.dataDirectory)));
        return 0;
      } catch (AdminFailure e) {
        printError(out, e.getMessage(), e.subCode());
        return Main.EXIT_FAILURE;
      }
    }
  }

  /** A parent such as {@code admin user}: it only names its subcommands. */
  abstract static class Group implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      throw new ParameterException(spec.commandLine(), "Missing subcommand: name one of "
          + String.join(", ", spec.subcommands().keySet()));
    }
  }

  static String path(String template, String id) {
    return template.replace("{id}", id);
  }

  static Map<String, String> body(String... keysAndValues) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      if (keysAndValues[i + 1] != null) {
        map.put(keysAndValues[i], keysAndValues[i + 1]);
      }
    }
    return map;
  }

  /** Ids go into URL paths: only the canonical UUID form is accepted. */
  static String id(String option, String value) {
    if (!value.matches("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")) {
      throw new AdminFailure(option + " must be an id like 0190a5c4-1d2e-7f00-8000-00000000abcd, "
          + "got '" + value + "'", "CLI.USAGE");
    }
    return value;
  }

  // ------------------------------------------------------------------ the commands

  @Command(name = "admin", mixinStandardHelpOptions = true,
      description = "Operate a running Hutong through its admin API (token from "
          + "<data-dir>/operator.token). Each command prints one JSON object.")
  static final class Admin extends Group {}

  @Command(name = "merchant", mixinStandardHelpOptions = true, description = "Merchants.")
  static final class MerchantGroup extends Group {}

  @Command(name = "create", mixinStandardHelpOptions = true,
      description = "Create a merchant; prints {\"merchant_id\":\"...\"}.")
  static final class MerchantCreate extends Leaf {
    @Option(names = "--name", required = true, paramLabel = "NAME") String name;
    @Option(names = "--category", paramLabel = "C", description = "default: general") String category;
    @Option(names = "--fee-rate", paramLabel = "RATE",
        description = "the platform's fee, e.g. 0.006 for 0.6% (default 0)") String feeRate;

    @Override
    ObjectNode run(AdminClient client) {
      return client.post("/admin/merchants", body("name", name, "category", category,
          "fee_rate", feeRate));
    }
  }

  @Command(name = "app", mixinStandardHelpOptions = true, description = "Open API apps.")
  static final class AppGroup extends Group {}

  @Command(name = "create", mixinStandardHelpOptions = true,
      description = "Register an app of a merchant with the app's RSA public key; prints "
          + "{\"app_id\":\"...\",\"platform_public_key\":\"...\"} (the key to give the SDK as "
          + "alipayPublicKey).")
  static final class AppCreate extends Leaf {
    @Option(names = "--merchant", required = true, paramLabel = "ID") String merchant;
    @Option(names = "--public-key-file", required = true, paramLabel = "FILE",
        description = "the app's RSA public key: base64 X.509, with or without PEM armour")
    Path publicKeyFile;
    @Option(names = "--notify-url", paramLabel = "URL",
        description = "where notifications go when a request names no notify_url") String notifyUrl;
    @Option(names = "--name", paramLabel = "N", description = "default: the merchant's name")
    String name;

    @Override
    ObjectNode run(AdminClient client) {
      return client.post("/admin/apps", body("merchant_id", id("--merchant", merchant),
          "public_key", readKey(publicKeyFile), "notify_url", notifyUrl, "name", name));
    }

    private static String readKey(Path file) {
      try {
        if (Files.size(file) > KEY_FILE_BYTES_MAX) {
          throw new AdminFailure(file + " is larger than " + KEY_FILE_BYTES_MAX + " bytes; it "
              + "should hold one RSA public key", "CLI.BAD_FILE");
        }
        return Files.readString(file, StandardCharsets.US_ASCII).trim();
      } catch (NoSuchFileException e) {
        throw new AdminFailure("no such file: " + file, "CLI.BAD_FILE");
      } catch (IOException e) {
        throw new AdminFailure("cannot read " + file + ": " + e.getMessage()
            + " (a public key file is ASCII text)", "CLI.BAD_FILE");
      }
    }
  }

  @Command(name = "user", mixinStandardHelpOptions = true, description = "Users.")
  static final class UserGroup extends Group {}

  @Command(name = "create", mixinStandardHelpOptions = true,
      description = "Create a user with a wallet, optionally topped up through the simulated "
          + "bank; prints {\"user_id\":\"...\"}. Repeating it with the same phone and password "
          + "answers the same user and tops up once.")
  static final class UserCreate extends Leaf {
    @Option(names = "--phone", required = true, paramLabel = "P") String phone;
    @Option(names = "--password", required = true, paramLabel = "W") String password;
    @Option(names = "--pin", required = true, paramLabel = "NNNNNN") String pin;
    @Option(names = "--top-up", paramLabel = "AMOUNT",
        description = "put this much in the wallet from the simulated bank, e.g. 100.00")
    String topUp;

    @Override
    ObjectNode run(AdminClient client) {
      return client.post("/admin/users", body("phone", phone, "password", password, "pin", pin,
          "top_up", topUp));
    }
  }

  @Command(name = "payment-code", mixinStandardHelpOptions = true,
      description = "Issue the user's one-time payment code (what a merchant scans for "
          + "alipay.trade.pay; valid 60 s); prints {\"auth_code\":\"<18 digits>\"}.")
  static final class UserPaymentCode extends Leaf {
    @Option(names = "--user", required = true, paramLabel = "ID") String user;

    @Override
    ObjectNode run(AdminClient client) {
      return client.post(path("/admin/users/{id}/payment-codes", id("--user", user)), body());
    }
  }

  @Command(name = "open-id", mixinStandardHelpOptions = true,
      description = "The user's open_id in an app (created on first use); prints "
          + "{\"open_id\":\"...\"}.")
  static final class UserOpenId extends Leaf {
    @Option(names = "--user", required = true, paramLabel = "ID") String user;
    @Option(names = "--app", required = true, paramLabel = "APP") String app;

    @Override
    ObjectNode run(AdminClient client) {
      return client.post(path("/admin/users/{id}/open-ids", id("--user", user)),
          body("app_id", app));
    }
  }

  @Command(name = "cashier", mixinStandardHelpOptions = true, description = "The cashier.")
  static final class CashierGroup extends Group {}

  /** Exactly one of the two. */
  static final class TradeChoice {
    @Option(names = "--trade-no", required = true, paramLabel = "T") String tradeNo;
    @Option(names = "--qr-code", required = true, paramLabel = "CODE") String qrCode;
  }

  @Command(name = "pay", mixinStandardHelpOptions = true,
      description = "Pay a trade as the user, with the PIN, as the cashier sheet does; prints "
          + "{\"result_code\":\"9000\",\"trade_no\":\"...\"}.")
  static final class CashierPay extends Leaf {
    @ArgGroup(exclusive = true, multiplicity = "1") TradeChoice trade;
    @Option(names = "--user", required = true, paramLabel = "ID") String user;
    @Option(names = "--pin", required = true, paramLabel = "NNNNNN") String pin;

    @Override
    ObjectNode run(AdminClient client) {
      return client.post("/admin/cashier/pay", body("trade_no", trade.tradeNo,
          "qr_code", trade.qrCode, "user_id", id("--user", user), "pin", pin));
    }
  }

  @Command(name = "oauth", mixinStandardHelpOptions = true, description = "OAuth.")
  static final class OauthGroup extends Group {}

  @Command(name = "code", mixinStandardHelpOptions = true,
      description = "Issue the single-use auth code the consent sheet gives a mini-program "
          + "(exchanged with alipay.system.oauth.token); prints {\"auth_code\":\"...\"}.")
  static final class OauthCode extends Leaf {
    @Option(names = "--user", required = true, paramLabel = "ID") String user;
    @Option(names = "--app", required = true, paramLabel = "APP") String app;
    @Option(names = "--scopes", required = true, paramLabel = "SCOPES",
        description = "auth_base or auth_user (or both, comma-separated)") String scopes;

    @Override
    ObjectNode run(AdminClient client) {
      return client.post("/admin/oauth/codes", body("user_id", id("--user", user),
          "app_id", app, "scopes", scopes));
    }
  }

  /** Exactly one of the two. */
  static final class Owner {
    @Option(names = "--user", required = true, paramLabel = "ID") String user;
    @Option(names = "--merchant", required = true, paramLabel = "ID") String merchant;
  }

  @Command(name = "balance", mixinStandardHelpOptions = true,
      description = "A user's wallet balance ({\"balance\":\"123.45\"}) or a merchant's "
          + "settlement balance ({\"balance\":\"...\",\"pending\":\"...\"}).")
  static final class Balance extends Leaf {
    @ArgGroup(exclusive = true, multiplicity = "1") Owner owner;

    @Override
    ObjectNode run(AdminClient client) {
      return owner.user != null
          ? client.get(path("/admin/users/{id}/balance", id("--user", owner.user)))
          : client.get(path("/admin/merchants/{id}/balance", id("--merchant", owner.merchant)));
    }
  }
}
