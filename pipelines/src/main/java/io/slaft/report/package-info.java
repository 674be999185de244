/**
 * Report artefacts: PNG charts (metric-versus-severity and sweep curves, gate heatmaps, training
 * curves) and Markdown / plain-text tables.
 *
 * <p>Charts render headless (the package sets {@code java.awt.headless=true} unless the property is
 * already set), at the configured pixel size, with the same fonts and palette on every machine that
 * has the DejaVu fonts (or the JDK's logical sans-serif fallback). Chart objects are immutable,
 * validated at construction and thread-safe; rendering allocates its own image per call. The
 * charting library stays inside this package: the public API speaks in arrays, lists and paths.
 */
package io.slaft.report;
