package dev.mim4j.training;

/** What a NaN or infinite loss does to a run. */
public enum NonFiniteLossPolicy {
    /** Stop with the step and the loss; the last good checkpoint stays as it was. */
    STOP,
    /** Drop that step's gradients, count it, and go on. */
    SKIP
}
