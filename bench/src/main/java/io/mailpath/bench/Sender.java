package io.mailpath.bench;

/** One thread's way of sending one message; closed when the thread's run ends. */
public interface Sender extends AutoCloseable {
    /** Sends one message; throws when it was not accepted. */
    void send() throws Exception;

    @Override
    default void close() throws Exception {}
}
