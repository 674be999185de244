/**
 * The {@code slaft} command line (picocli): {@link Slaft} and its subcommands ({@link TrainCommand},
 * {@link RobustnessCommand}, {@link ExportCommand}, {@link ReportCommand},
 * {@link ConfigCommand}, {@link BackboneCommand}, {@link BenchCommand}, {@link MlflowCommand}),
 * with the options they share ({@link GlobalOptions}, {@link BackboneOptions}).
 *
 * <p>{@link ExitCode} fixes the exit codes scripts may rely on; errors caused by input print one
 * message naming the file or key. Modules above {@code pipelines} add subcommands through
 * {@link SubcommandProvider} and {@link java.util.ServiceLoader}.
 */
package io.slaft.cli;
