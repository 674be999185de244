/**
 * Task data: specs ({@link io.slaft.transforms.data.TaskSpec}, built-in {@link
 * io.slaft.transforms.data.GlueTasks}), the data root, one strict parser shared by the plain-Java
 * {@link io.slaft.transforms.data.TaskReader} and the Beam {@link io.slaft.transforms.data.ReadTask},
 * and the dead-letter outputs, files and limits.
 */
package io.slaft.transforms.data;
