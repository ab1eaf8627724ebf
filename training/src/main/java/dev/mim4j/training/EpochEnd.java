package dev.mim4j.training;

import java.nio.file.Path;

import org.bytedeco.pytorch.Device;

/**
 * What a task learns when an epoch of its run has ended.
 *
 * @param epoch the epoch that ended, from 0
 * @param last whether it is the run's last
 * @param device the run's device
 * @param output the run's folder
 * @param listeners the run's listeners, to report evaluations and pictures to
 */
public record EpochEnd(int epoch, boolean last, Device device, Path output, TrainingListener listeners) {
}
