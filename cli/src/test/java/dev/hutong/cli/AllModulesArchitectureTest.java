package dev.hutong.cli;

import dev.hutong.server.ArchitectureTest;

/**
 * The module rules of {@link ArchitectureTest} again, here where bench and cli are on the
 * classpath too (the server module cannot see them).
 */
class AllModulesArchitectureTest extends ArchitectureTest {}
