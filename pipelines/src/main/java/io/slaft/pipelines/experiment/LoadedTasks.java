package io.slaft.pipelines.experiment;

import io.slaft.model.train.TrainTask;
import io.slaft.transforms.data.DeadLetter;
import io.slaft.transforms.data.ReadReport;
import java.util.List;
import java.util.Map;

/**
 * Tasks ready for training, with what reading them produced.
 *
 * @param tasks tokenized tasks
 * @param reports read reports per task and split (rows = examples + dead letters)
 * @param deadLetters every malformed row
 * @param digests data digest per task (SHA-256 of its files)
 */
public record LoadedTasks(List<TrainTask> tasks, List<ReadReport> reports, List<DeadLetter> deadLetters,
    Map<String, String> digests) {}
