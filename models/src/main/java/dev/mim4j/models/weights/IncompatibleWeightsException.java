package dev.mim4j.models.weights;

/** Thrown by a strict load when a checkpoint does not fit the model; the report names every difference. */
public final class IncompatibleWeightsException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final transient LoadReport report;

    public IncompatibleWeightsException(LoadReport report) {
        super("checkpoint does not fit the model (nothing was changed):\n" + report.describe());
        this.report = report;
    }

    public LoadReport report() {
        return report;
    }
}
