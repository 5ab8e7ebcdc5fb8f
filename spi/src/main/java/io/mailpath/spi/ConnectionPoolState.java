package io.mailpath.spi;

/**
 * A moment's view of a transport's connection pool, for health checks and telemetry: reading it costs no network
 * call.
 *
 * @param max the most connections the pool opens at a time
 * @param inUse connections lent to a send (or being opened for one)
 * @param idle open connections waiting for the next send
 * @param waiting sends waiting for a connection to become free
 */
public record ConnectionPoolState(int max, int inUse, int idle, int waiting) {
    /** Connections open now: in use and idle. */
    public int open() {
        return inUse + idle;
    }
}
