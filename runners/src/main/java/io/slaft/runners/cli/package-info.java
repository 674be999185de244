/**
 * The {@code slaft} subcommands that need a runner: {@link RunCommand} ({@code slaft run}),
 * {@link QuickstartCommand} and {@link FlinkCommand} (the local Flink session cluster), registered
 * with {@link io.slaft.cli.Slaft} through {@link io.slaft.cli.SubcommandProvider}.
 */
package io.slaft.runners.cli;
