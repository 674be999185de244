/**
 * {@link GlueBench}: SLA and every baseline preset on GLUE tasks over several seeds, one resumable
 * cell (method × task × seed) at a time through the same trainer, with rows named by
 * {@link BenchVariant}s ({@code slaft bench glue}).
 */
package io.slaft.pipelines.bench;
