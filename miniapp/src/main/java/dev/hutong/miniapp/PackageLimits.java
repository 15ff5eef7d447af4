package dev.hutong.miniapp;

/**
 * Bounds on an uploaded package (DESIGN §6 and §8: a limit on every input). Sizes are of the
 * unpacked bytes actually inflated, never the sizes the archive declares.
 *
 * @param archiveBytesMax the zip file itself
 * @param mainBytesMax files outside every sub-package root
 * @param totalBytesMax all files after unpacking
 * @param entriesMax entries in the archive, directories included
 * @param compressionRatioMax unpacked / packed bytes of one entry, checked once an entry has
 *     unpacked more than {@code ratioFloorBytes} (tiny, very compressible files are harmless)
 * @param ratioFloorBytes see above
 * @param pathBytesMax the UTF-8 length of an entry name
 * @param appJsonBytesMax app.json and ext.schema.json
 */
public record PackageLimits(
    long archiveBytesMax, long mainBytesMax, long totalBytesMax, int entriesMax,
    int compressionRatioMax, long ratioFloorBytes, int pathBytesMax, int appJsonBytesMax) {

  public static final long MIB = 1024 * 1024;

  public static PackageLimits defaults() {
    return new PackageLimits(10 * MIB, 2 * MIB, 8 * MIB, 1000, 100, 64 * 1024, 255, 64 * 1024);
  }
}
