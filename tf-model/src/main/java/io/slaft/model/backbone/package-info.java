/**
 * The frozen BERT-family backbone: {@link Backbone} (shape, weights and tokenizer; immutable and
 * shared per source and JVM) loaded from a {@link BackboneSource}, either a {@link BuiltinBackbone}
 * or an ONNX export imported by {@link BertOnnxImporter} into {@link BackboneWeights} and
 * {@link LayerWeights}, with its {@link BackboneConfig} read from the model file.
 * Unusable model or tokenizer files raise a {@link ModelFileException} that names the file and the
 * fix.
 */
package io.slaft.model.backbone;
