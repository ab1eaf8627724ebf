package dev.mim4j.models.weights;

import java.util.List;

import dev.mim4j.dsl.Mim4jException;

/**
 * Thrown when a checkpoint does not fit the model: by a strict load for any difference, by a lenient one when
 * a tensor of the model would keep its initial values without the caller having named it. The report names
 * every difference; nothing was changed.
 */
public final class IncompatibleWeightsException extends Mim4jException {

    private static final long serialVersionUID = 1L;

    private final transient LoadReport report;

    public IncompatibleWeightsException(LoadReport report) {
        super(report.source(), "checkpoint does not fit the model (nothing was changed):\n" + report.describe());
        this.report = report;
    }

    /** For a lenient load that would leave {@code leftAtInit} at their initial values. */
    public IncompatibleWeightsException(LoadReport report, List<String> leftAtInit) {
        super(report.source(), "checkpoint does not fill the model: " + leftAtInit.size() + " of its tensors would keep their initial"
                + " values (" + String.join(", ", leftAtInit.subList(0, Math.min(5, leftAtInit.size())))
                + (leftAtInit.size() > 5 ? ", ..." : "") + "); name those that may with"
                + " WeightLoader.lenient().leavingAtInit(...) (nothing was changed):\n" + report.describe());
        this.report = report;
    }

    public LoadReport report() {
        return report;
    }
}
