package dev.hutong.ledger;

import java.util.Arrays;
import java.util.UUID;

/**
 * The writer's in-memory copy of every account's balances and flags: dense primitive arrays
 * indexed by a slot number, plus an open-addressing hash of the 128-bit ids. About 60 bytes an
 * account (10 million accounts in well under a gigabyte), no object per account, no boxing.
 * Only the writer thread touches it.
 */
final class AccountTable {
  private static final int INITIAL_CAPACITY = 1024;
  /** Accounts the table may hold: bounded so that a runaway creator fails loudly, not with an OOM. */
  static final int ACCOUNTS_MAX = 200_000_000;

  private long[] idHigh;
  private long[] idLow;
  private long[] debitsPending;
  private long[] debitsPosted;
  private long[] creditsPending;
  private long[] creditsPosted;
  private int[] ledger;
  private int[] code;
  private int[] flags;
  private int size;
  /** Hash slots hold index + 1 (0 means empty); length is a power of two, at most 50% full. */
  private int[] slots;

  AccountTable() {
    allocate(INITIAL_CAPACITY);
    slots = new int[INITIAL_CAPACITY * 2];
  }

  int size() {
    return size;
  }

  /** The index of the account, or −1. */
  int find(UUID id) {
    return find(id.getMostSignificantBits(), id.getLeastSignificantBits());
  }

  int find(long high, long low) {
    int mask = slots.length - 1;
    for (int slot = hash(high, low) & mask; ; slot = (slot + 1) & mask) {
      int entry = slots[slot];
      if (entry == 0) {
        return -1;
      }
      int index = entry - 1;
      if (idHigh[index] == high && idLow[index] == low) {
        return index;
      }
    }
  }

  /** Adds an account that is not in the table yet; returns its index. */
  int add(UUID id, int accountLedger, int accountCode, int accountFlags,
      long dp, long dpo, long cp, long cpo) {
    if (size == ACCOUNTS_MAX) {
      throw new IllegalStateException("the ledger holds its maximum of " + ACCOUNTS_MAX + " accounts");
    }
    if (size == idHigh.length) {
      allocate(idHigh.length * 2);
    }
    if ((size + 1) * 2 > slots.length) {
      rehash(slots.length * 2);
    }
    int index = size++;
    idHigh[index] = id.getMostSignificantBits();
    idLow[index] = id.getLeastSignificantBits();
    ledger[index] = accountLedger;
    code[index] = accountCode;
    flags[index] = accountFlags;
    debitsPending[index] = dp;
    debitsPosted[index] = dpo;
    creditsPending[index] = cp;
    creditsPosted[index] = cpo;
    insertSlot(index);
    return index;
  }

  UUID id(int i) {
    return new UUID(idHigh[i], idLow[i]);
  }

  int ledger(int i) {
    return ledger[i];
  }

  int code(int i) {
    return code[i];
  }

  int flags(int i) {
    return flags[i];
  }

  long debitsPending(int i) {
    return debitsPending[i];
  }

  long debitsPosted(int i) {
    return debitsPosted[i];
  }

  long creditsPending(int i) {
    return creditsPending[i];
  }

  long creditsPosted(int i) {
    return creditsPosted[i];
  }

  void set(int i, long dp, long dpo, long cp, long cpo, int accountFlags) {
    debitsPending[i] = dp;
    debitsPosted[i] = dpo;
    creditsPending[i] = cp;
    creditsPosted[i] = cpo;
    flags[i] = accountFlags;
  }

  private void insertSlot(int index) {
    int mask = slots.length - 1;
    int slot = hash(idHigh[index], idLow[index]) & mask;
    while (slots[slot] != 0) {
      slot = (slot + 1) & mask;
    }
    slots[slot] = index + 1;
  }

  private void rehash(int capacity) {
    slots = new int[capacity];
    for (int i = 0; i < size; i++) {
      insertSlot(i);
    }
  }

  private void allocate(int capacity) {
    idHigh = grow(idHigh, capacity);
    idLow = grow(idLow, capacity);
    debitsPending = grow(debitsPending, capacity);
    debitsPosted = grow(debitsPosted, capacity);
    creditsPending = grow(creditsPending, capacity);
    creditsPosted = grow(creditsPosted, capacity);
    ledger = grow(ledger, capacity);
    code = grow(code, capacity);
    flags = grow(flags, capacity);
  }

  private static long[] grow(long[] a, int capacity) {
    return a == null ? new long[capacity] : Arrays.copyOf(a, capacity);
  }

  private static int[] grow(int[] a, int capacity) {
    return a == null ? new int[capacity] : Arrays.copyOf(a, capacity);
  }

  /** UUIDv7 ids share their high bits within a millisecond, so mix both halves thoroughly. */
  private static int hash(long high, long low) {
    long h = high * 0x9E3779B97F4A7C15L ^ low;
    h ^= h >>> 33;
    h *= 0xFF51AFD7ED558CCDL;
    h ^= h >>> 33;
    return (int) h;
  }
}
