/**
 * {@link FrozenEncoder}: the frozen backbone as a forward function from a token batch to last
 * hidden states or pooled vectors; thread-safe for concurrent calls.
 */
package io.slaft.model.inference;
