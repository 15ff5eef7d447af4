package dev.hutong.openapi;

import dev.hutong.openapi.gateway.AppStatus;
import dev.hutong.openapi.gateway.ProtocolCharset;
import dev.hutong.openapi.gateway.SignType;
import java.time.Instant;
import java.util.UUID;

/**
 * A registered app as the operator sees it.
 *
 * @param publicKey the app's RSA public key, base64 of its X.509 encoding, one line
 * @param signType the one sign type the app's requests (and its notifications) use
 * @param notifyUrl the default notify URL, or null
 * @param charset the charset of the app's latest trade-creating request (UTF-8 until one came):
 *     its notifications are encoded and signed in it
 */
public record AppInfo(String appId, UUID merchantId, String name, String publicKey,
    SignType signType, String notifyUrl, ProtocolCharset charset, AppStatus status,
    Instant createdAt) {}
