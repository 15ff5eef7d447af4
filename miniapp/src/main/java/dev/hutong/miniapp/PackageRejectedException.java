package dev.hutong.miniapp;

import java.util.List;

/** A package that broke at least one rule; {@link #problems()} has every one found. */
public final class PackageRejectedException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final transient List<PackageProblem> problems;

  public PackageRejectedException(List<PackageProblem> problems) {
    super("the package was rejected (" + problems.size() + " problem"
        + (problems.size() == 1 ? "" : "s") + "):\n  - "
        + String.join("\n  - ", problems.stream().map(PackageProblem::toString).toList()));
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("a rejection needs at least one problem");
    }
    this.problems = List.copyOf(problems);
  }

  public List<PackageProblem> problems() {
    return problems;
  }

  /** The same rejection as the domain's exception type, for callers that handle only that. */
  public MiniappException asMiniappException() {
    return new MiniappException(MiniappError.PACKAGE_INVALID, "the package was rejected",
        problems.stream().map(PackageProblem::toString).toList());
  }
}
