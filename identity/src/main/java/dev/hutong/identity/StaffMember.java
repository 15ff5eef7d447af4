package dev.hutong.identity;

import java.util.UUID;

/** A person who logs in to the merchant portal for {@code merchantId}. */
public record StaffMember(UUID id, UUID merchantId, String login, Role role) {
  /** OWNER: everything, including payouts and apps; CASHIER: sees and refunds payments. */
  public enum Role { OWNER, CASHIER }
}
