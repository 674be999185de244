/**
 * {@link TfRuntime}: process-wide TensorFlow settings (thread pools fixed once per JVM, XLA for
 * inference sessions only); every TensorFlow session in slaft is created through it.
 */
package io.slaft.model.runtime;
