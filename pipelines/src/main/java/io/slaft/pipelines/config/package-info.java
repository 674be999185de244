/**
 * Experiment configuration: {@link ConfigKeys} declares every config key once, as a typed
 * {@link ConfigKey} with its type, default, range and allowed values; {@link ExperimentConfig} is
 * a YAML file plus overrides flattened to dotted keys, validated against those keys at construction
 * and read typed through {@link ExperimentConfig#get(ConfigKey)}.
 *
 * <p>{@link RandomAxis} is the one parser of random sweep axes and {@link SweepPoints} expands a
 * config's sweep into points. Errors are {@link ConfigException}s that name the file, the key, the
 * rule and the fix.
 */
package io.slaft.pipelines.config;
