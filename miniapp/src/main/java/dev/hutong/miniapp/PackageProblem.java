package dev.hutong.miniapp;

/**
 * One thing wrong with an uploaded package: the file it is about ({@code "(archive)"} for the zip
 * as a whole), the rule it breaks (a stable identifier the docs list) and what to do about it.
 */
public record PackageProblem(String file, String rule, String message) {
  /** The file the problem is about when it is the archive as a whole. */
  public static final String ARCHIVE = "(archive)";

  @Override
  public String toString() {
    return file + ": [" + rule + "] " + message;
  }
}
