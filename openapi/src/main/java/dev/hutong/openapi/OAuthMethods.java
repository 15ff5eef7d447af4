package dev.hutong.openapi;

import dev.hutong.identity.OpenIds;
import dev.hutong.identity.User;
import dev.hutong.identity.Users;
import dev.hutong.openapi.OAuthService.AccessGrant;
import dev.hutong.openapi.OAuthService.TokenGrant;
import dev.hutong.openapi.gateway.GatewayCall;
import dev.hutong.openapi.gateway.GatewayError;
import dev.hutong.openapi.gateway.GatewayMethod;
import dev.hutong.openapi.gateway.GatewayResult;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * alipay.system.oauth.token and alipay.user.info.share. Both take plain parameters, not
 * biz_content: grant_type, code and refresh_token in the form body; auth_token (the access token)
 * among the protocol parameters, where the SDK's {@code execute(request, accessToken)} puts it.
 *
 * <p>Apps get the user's open_id for the app, never the platform's user id (Alipay's open_id
 * mode): the token response has open_id and no user_id.
 */
final class OAuthMethods {
  static final String TOKEN = "alipay.system.oauth.token";
  static final String USER_INFO_SHARE = "alipay.user.info.share";
  static final String AUTHORIZATION_CODE = "authorization_code";
  static final String REFRESH_TOKEN = "refresh_token";

  private final OAuthService oauth;
  private final OpenIds openIds;
  private final Users users;

  OAuthMethods(OAuthService oauth, OpenIds openIds, Users users) {
    this.oauth = oauth;
    this.openIds = openIds;
    this.users = users;
  }

  Map<String, GatewayMethod> methods() {
    Map<String, GatewayMethod> m = new LinkedHashMap<>();
    m.put(TOKEN, GatewayMethod.withoutBizContent(call -> answer(() -> token(call))));
    m.put(USER_INFO_SHARE, GatewayMethod.withoutBizContent(call -> answer(() -> share(call))));
    return m;
  }

  private static GatewayResult answer(java.util.function.Supplier<Replies> method) {
    try {
      return GatewayResult.success(method.get().fields());
    } catch (GatewayFailure e) {
      return e.error();
    }
  }

  private Replies token(GatewayCall call) {
    String appId = call.app().appId();
    String grantType = call.param("grant_type").orElse("");
    TokenGrant grant = switch (grantType) {
      case AUTHORIZATION_CODE -> oauth.exchangeCode(appId, call.param("code").orElseThrow(
          () -> new GatewayFailure(GatewayError.invalidArguments(OAuthService.CODE_INVALID,
              "授权码(auth_code)错误、状态不对或过期: code is missing; send the code from "
                  + "my.getAuthCode with grant_type=authorization_code"))));
      case REFRESH_TOKEN -> oauth.refresh(appId, call.param("refresh_token").orElseThrow(
          () -> new GatewayFailure(GatewayError.invalidArguments(
              OAuthService.REFRESH_TOKEN_INVALID, "刷新令牌(refresh_token)错误或状态不对: "
                  + "refresh_token is missing"))));
      default -> throw new GatewayFailure(GatewayError.invalidArguments(
          OAuthService.GRANT_TYPE_INVALID, "grant_type参数不正确: grant_type must be "
              + AUTHORIZATION_CODE + " or " + REFRESH_TOKEN + (grantType.isEmpty() ? ", and is "
              + "missing (it is a plain parameter, not a biz_content field)" : ", not '"
              + grantType + "'")));
    };
    return new Replies()
        .text("open_id", openIds.openIdFor(appId, grant.userId()))
        .text("access_token", grant.accessToken())
        .number("expires_in", grant.accessTtlSeconds())
        .text("refresh_token", grant.refreshToken())
        .number("re_expires_in", grant.refreshTtlSeconds())
        .time("auth_start", grant.authStart());
  }

  /**
   * What the user agreed to share. An auth_base token shares only the open_id (which the app has
   * from the token exchange), so Alipay answers it here as an invalid token: 20001
   * aop.invalid-auth-token.
   */
  private Replies share(GatewayCall call) {
    String appId = call.app().appId();
    String token = call.param("auth_token").orElseThrow(() -> new GatewayFailure(
        GatewayError.insufficientTokenPermissions(OAuthService.INVALID_AUTH_TOKEN,
            "无效的访问令牌: auth_token is missing; pass the access_token as the SDK's "
                + "execute(request, accessToken)")));
    AccessGrant grant = oauth.access(appId, token);
    if (!grant.scopes().contains(OAuthService.AUTH_USER)) {
      throw new GatewayFailure(GatewayError.insufficientTokenPermissions(
          OAuthService.INVALID_AUTH_TOKEN, "无效的访问令牌: this token was granted for scope "
              + OAuthService.AUTH_BASE + ", which shares only the open_id; ask the user with "
              + "scopes " + OAuthService.AUTH_USER + " to read the profile"));
    }
    Optional<User> user = users.find(grant.userId());
    if (user.isEmpty()) {
      throw new GatewayFailure(GatewayError.insufficientTokenPermissions(
          OAuthService.INVALID_AUTH_TOKEN, "无效的访问令牌: the user no longer exists"));
    }
    // No avatars yet: the field is left out, as Alipay leaves out what a user has not set.
    return new Replies()
        .text("open_id", openIds.openIdFor(appId, grant.userId()))
        .text("nick_name", user.get().nickname());
  }
}
