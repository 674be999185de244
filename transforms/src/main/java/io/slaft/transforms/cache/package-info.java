/** Content-addressed step caching ({@link io.slaft.transforms.cache.StepCache}) and data digests. */
package io.slaft.transforms.cache;
