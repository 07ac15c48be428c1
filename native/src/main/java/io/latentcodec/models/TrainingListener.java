package io.latentcodec.models;

/**
 * Progress of a {@link Trainer} run, for a progress bar. All losses are per image; bits per
 * dimension = nats / (D ln 2).
 */
public interface TrainingListener {

    /** One epoch's figures. {@code validationBitsPerDim} is NaN without validation images. */
    record Epoch(int epoch, int epochs, double trainNats, double trainBitsPerDim, double validationBitsPerDim, boolean best,
                 double elapsedSeconds, double remainingSeconds) {
    }

    /** Before the first batch. */
    default void started(TrainingConfig config, int trainImages, int batchesPerEpoch) {
    }

    /** After each training batch: the epoch's running mean loss (nats/image, analytic KL) so far. */
    default void batch(int epoch, int epochs, int batch, int batchesPerEpoch, double runningNats, double elapsedSeconds,
                       double remainingSeconds) {
    }

    /** After each epoch. */
    default void epoch(Epoch e) {
    }

    /** A line of news (export, evaluation). */
    default void message(String line) {
    }

    /** A listener that ignores everything. */
    TrainingListener SILENT = new TrainingListener() {
    };
}
