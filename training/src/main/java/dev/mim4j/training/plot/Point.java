package dev.mim4j.training.plot;

/** One point of a curve: a step, an epoch or a swept setting on {@code x}, its value on {@code y}. */
public record Point(double x, double y) {
}
