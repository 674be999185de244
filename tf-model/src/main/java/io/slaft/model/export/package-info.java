/**
 * The export format and its compact inference model: {@link Exporter} discretizes a trained
 * structure and writes {@code export.json} ({@link ExportManifest}), {@code structure.json} and
 * {@code weights.bin} ({@link WeightFile}) with only the kept adapter and head weights, never a
 * backbone weight; {@link CompactModel} loads one task of an export with LoRA and BitFit merged
 * into the backbone and no gates.
 */
package io.slaft.model.export;
