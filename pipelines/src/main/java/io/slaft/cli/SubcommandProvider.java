package io.slaft.cli;

/**
 * Lets modules that sit above {@code pipelines} (e.g. {@code runners}, which owns the Flink
 * launcher) add subcommands to {@code slaft} through {@link java.util.ServiceLoader}.
 */
public interface SubcommandProvider {
  /** A picocli {@code @Command}-annotated object. */
  Object command();
}
