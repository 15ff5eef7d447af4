package dev.hutong.pay;

/**
 * Sends one notification to the merchant: implemented by the server, which adds charset,
 * sign_type and sign (RSA2 with the platform key over every field but sign and sign_type), POSTs
 * the form to {@link OutboundNotification#notifyUrl()} and returns the response body. It throws on
 * any transport failure (connection refused, timeout, non-2xx status); the dispatcher treats a
 * throw and any body other than exactly {@code success} alike: not delivered, try again later.
 *
 * <p>It must give up within half of {@link NotifySettings#leaseSeconds()}, so that a send never
 * outlives the lease that keeps every other dispatcher away from the same notification.
 */
@FunctionalInterface
public interface NotificationTransport {
  String send(OutboundNotification notification) throws Exception;
}
