/** Length bucketing and batching of examples, in Beam ({@link io.slaft.transforms.batch.BucketByLength}) and in memory. */
package io.slaft.transforms.batch;
