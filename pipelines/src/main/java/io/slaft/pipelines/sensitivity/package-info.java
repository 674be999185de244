/**
 * {@link SensitivityReport}: the sensitivity report of a sweep, read from the {@code summary.json}
 * of a {@code slaft run}: primary metric and compression against each swept value, as PNGs and as
 * tables in {@code report.md} and {@code report.html}.
 */
package io.slaft.pipelines.sensitivity;
