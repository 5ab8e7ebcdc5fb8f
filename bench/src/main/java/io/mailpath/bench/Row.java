package io.mailpath.bench;

import java.time.Duration;

/** One line of the table: a way of sending, at one concurrency, run again in every round. */
public interface Row {
    /** A stable key, for the ratios ({@code smtp.reused.8}). */
    String id();

    /** What the row measures, as the table shows it. */
    String label();

    int threads();

    /** Sends for about {@code window} and reports what happened. */
    Measurement run(Duration window) throws Exception;
}
