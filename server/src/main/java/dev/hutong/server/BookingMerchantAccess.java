package dev.hutong.server;

import dev.hutong.identity.MerchantStaff;
import dev.hutong.identity.SessionRole;
import dev.hutong.identity.StaffMember;
import dev.hutong.server.web.Principal;
import dev.hutong.server.web.WebAuth;
import dev.hutong.server.web.WebException;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * Who may use the merchant side of the booking API ({@code /api/booking/merchant/...}): the staff
 * of the merchant that owns the app, with the merchant portal's session cookie (and, on a
 * state-changing call, its CSRF token: {@link WebAuth#require}); or the operator, with the
 * operator token as Bearer (the admin tools, benchmarks and tests that set venues up). A page
 * never holds the operator token: the portal only ever sends its cookie.
 *
 * <p>Refusals: no valid credentials 401; another merchant's app 403; an app nobody owns 404;
 * changing inventory as a cashier 403 (cashiers see bookings and serve customers: complete,
 * cancel with refund, confirm a move-in, as they may refund a payment in the portal).
 */
final class BookingMerchantAccess {
  /**
   * A caller the merchant endpoints accept.
   *
   * @param merchantId the staff member's merchant; null for the operator
   */
  record Actor(UUID merchantId, boolean mayChangeInventory) {
    static final Actor OPERATOR = new Actor(null, true);

    boolean isOperator() {
      return merchantId == null;
    }
  }

  private final OperatorToken operatorToken;
  private final WebAuth auth;
  private final MerchantStaff staff;
  private final Function<String, Optional<UUID>> appOwner;
  private final Function<UUID, List<String>> appsOfMerchant;

  /**
   * @param appOwner the merchant that owns an app id (mini-program or Open API app)
   * @param appsOfMerchant a merchant's app ids (where its venues are found)
   */
  BookingMerchantAccess(OperatorToken operatorToken, WebAuth auth, MerchantStaff staff,
      Function<String, Optional<UUID>> appOwner, Function<UUID, List<String>> appsOfMerchant) {
    this.operatorToken = operatorToken;
    this.auth = auth;
    this.staff = staff;
    this.appOwner = appOwner;
    this.appsOfMerchant = appsOfMerchant;
  }

  /** The caller if it may act on {@code appId}'s venue; throws a {@link WebException} if not. */
  Actor forApp(ServerRequest request, String appId) {
    Actor actor = caller(request);
    if (actor.isOperator()) {
      return actor;
    }
    UUID owner = appOwner.apply(appId).orElseThrow(() -> new WebException(Status.NOT_FOUND_404,
        "not_found", "there is no app " + appId));
    if (!owner.equals(actor.merchantId())) {
      throw WebException.forbidden("forbidden", "app " + appId + " belongs to another merchant");
    }
    return actor;
  }

  /** The logged-in staff member's merchant and its app ids (the operator has none). */
  StaffMember staffMember(ServerRequest request) {
    Principal p = auth.require(request, SessionRole.MERCHANT_STAFF);
    return staff.find(p.id()).orElseThrow(WebException::unauthorized);
  }

  List<String> appsOf(UUID merchantId) {
    return appsOfMerchant.apply(merchantId);
  }

  private Actor caller(ServerRequest request) {
    Optional<String> header = request.headers().first(HeaderNames.AUTHORIZATION);
    if (header.isPresent()) {
      String h = header.get();
      String token = h.regionMatches(true, 0, "Bearer ", 0, 7) ? h.substring(7).trim() : null;
      if (!operatorToken.matches(token)) {
        throw new WebException(Status.UNAUTHORIZED_401, "unauthorized", "the Bearer token is"
            + " not the operator token; merchants use the portal's session (log in at /merchant)");
      }
      return Actor.OPERATOR;
    }
    StaffMember m = staffMember(request);
    return new Actor(m.merchantId(), m.role() == StaffMember.Role.OWNER);
  }
}
