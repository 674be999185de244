/**
 * The structure-learnable adapter search space and its gates: {@link SearchSpace} (which
 * {@link Site}s in which layers, sizes, candidate {@link Activation}s), laid out on a backbone as
 * a {@link ModuleLayout}; {@link SparsityControl} and {@link GateFamily} (how module gates are
 * parameterized and penalized); and {@link Method}, of which SLA learns the structure and every
 * baseline is a preset of the same engine.
 *
 * <p>{@link GateMath} is the reference Java math of every gate family, and {@link BudgetSolver}
 * solves the shift of budget gates. Plain Java: no TensorFlow here.
 */
package io.slaft.model.adapters;
