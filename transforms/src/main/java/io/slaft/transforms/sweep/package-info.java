/** Deterministic expansion of sensitivity sweeps (grid, random, seeds) into sweep points. */
package io.slaft.transforms.sweep;
