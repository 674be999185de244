/**
 * Tokenization: {@link TextTokenizer} runs a HuggingFace {@code tokenizer.json} through DJL's
 * native tokenizers (thread-safe) into unpadded {@link Encoded} examples, and {@link TokenBatch}
 * pads a batch dynamically to its longest example.
 */
package io.slaft.model.tokenize;
