package dev.hutong.server.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hutong.identity.Merchant;
import dev.hutong.identity.MerchantStatus;
import dev.hutong.identity.Merchants;
import dev.hutong.miniapp.App;
import dev.hutong.miniapp.EnvVersion;
import dev.hutong.miniapp.SemVer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the runtime needs to mount an app: its profile, the version and envVersion, the launch
 * ticket's base URL on the app's own origin, the page to open, app.json's window, pages, tab bar
 * and permissions, the ext, the scopes granted, and the merchant's standing. The shell's launch
 * and the console's review preview answer the same shape, so one runtime mounts both.
 */
public final class LaunchAnswer {
  /** What the runtime shows in the title area of a frozen merchant's app. */
  public static final String FROZEN_NOTICE =
      "This merchant is suspended by the platform; payments are unavailable";

  /** One launch: which app, version and ticket, and what the runtime may show around it. */
  public record Launch(App app, SemVer version, EnvVersion env, JsonNode appJson, String page,
      String ticket, Duration expiresIn, MerchantStatus merchantStatus) {}

  private LaunchAnswer() {}

  /** The app's merchant's standing (null for an app without a merchant). */
  public static MerchantStatus merchantStatus(Merchants merchants, App app) {
    return app.merchantId() == null ? null
        : merchants.find(app.merchantId()).map(Merchant::status).orElse(null);
  }

  public static Map<String, Object> of(Launch l, AppHosts hosts, JsonNode ext,
      List<String> scopes) {
    App app = l.app();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("app_id", app.appId());
    out.put("name", app.profile().name());
    out.put("description", app.profile().description());
    out.put("icon", app.profile().iconPath());
    out.put("version", l.version().toString());
    out.put("env_version", l.env().wire());
    out.put("origin", hosts.originOf(app.appId()));
    out.put("base_url", hosts.originOf(app.appId()) + "/~" + l.ticket() + "/");
    out.put("page", l.page());
    out.put("pages", l.appJson().path("pages"));
    out.put("window", l.appJson().path("window"));
    out.put("tab_bar", l.appJson().path("tabBar"));
    out.put("permission", l.appJson().path("permission"));
    out.put("ext", ext);
    out.put("scopes", scopes);
    out.put("expires_in", l.expiresIn().toSeconds());
    boolean frozen = l.merchantStatus() == MerchantStatus.FROZEN;
    out.put("merchant_status", l.merchantStatus() == null ? null : l.merchantStatus().name());
    out.put("merchant_notice", frozen ? FROZEN_NOTICE : null);
    return out;
  }
}
