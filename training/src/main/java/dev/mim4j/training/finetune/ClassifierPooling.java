package dev.mim4j.training.finetune;

/** How a fine-tuned classifier turns the encoder's tokens into one vector. */
public enum ClassifierPooling {
    /** The cls token after the encoder's final norm. */
    CLS,
    /** The mean of the patch tokens, then a LayerNorm ({@code fc_norm}), MAE's fine-tuning default. */
    MEAN
}
