package io.mailpath.transport.api;

import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The transport's connections to the API, as Rest Clients of one connection each: a send takes a client for itself
 * and gives it back afterwards, so its connection is kept open and reused by later sends.
 *
 * <p>Why one connection a client: closing a Rest Client is the one way the MicroProfile API offers to break an
 * exchange that is blocked writing its request (a peer that stopped reading); a client of its own lets
 * {@link #discard} break that one exchange and no other send's. It does so where closing the client closes its
 * connections (RESTEasy's Apache engine: standalone, WildFly, Open Liberty); Jersey's default connector (Payara) leaves
 * an exchange in flight running when its client closes, so there the write is bounded only by the peer. At most
 * {@code size} clients exist at once; a send that finds none free within the wait fails {@code UNAVAILABLE}, having
 * sent nothing.
 */
final class ClientPool implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ClientPool.class.getName());

    private final Supplier<TransmissionClient> build;
    private final Semaphore free;
    private final long waitMs;
    /** Clients given back, most recent first: their connections are the likeliest to be still open. */
    private final Deque<TransmissionClient> idle = new ConcurrentLinkedDeque<>();
    /**
     * Every client taken and not yet given back, to close them when the pool closes. By identity: a closed Rest
     * Client proxy refuses every call, {@code hashCode()} and {@code equals()} too.
     */
    private final Set<TransmissionClient> taken =
            Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));

    private volatile boolean closed;

    /**
     * @param build makes a client of one connection
     * @param size the most clients (connections) at once
     * @param waitMs how long a send waits for a free one
     */
    ClientPool(Supplier<TransmissionClient> build, int size, long waitMs) {
        this.build = build;
        this.free = new Semaphore(size, true);
        this.waitMs = waitMs;
    }

    /** A client for one send; give it back with {@link #giveBack} or {@link #discard}. */
    TransmissionClient take() {
        boolean got;
        try {
            got = free.tryAcquire(waitMs, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiFailures.noConnection("interrupted while waiting for a free one");
        }
        if (!got) {
            throw ApiFailures.noConnection(
                    "none was free within the connect timeout (all " + ApiSettings.MAX_CONNECTIONS.name() + " in use)");
        }
        TransmissionClient client = idle.pollFirst();
        if (client == null) {
            try {
                client = build.get();
            } catch (RuntimeException | Error e) {
                free.release();
                throw e;
            }
        }
        taken.add(client);
        if (closed) {
            discard(client);
            throw ApiFailures.noConnection("the transport is closed");
        }
        return client;
    }

    /** A client whose exchange ended: its connection stays open for the next send. */
    void giveBack(TransmissionClient client) {
        if (!taken.remove(client)) {
            return;
        }
        idle.addFirst(client);
        free.release();
        if (closed) {
            closeIdle();
        }
    }

    /**
     * Closes a client, and with it its connection: an exchange blocked on that connection fails at once. Safe from
     * any thread, and more than once.
     */
    void discard(TransmissionClient client) {
        close(client);
        if (taken.remove(client)) {
            free.release();
        }
    }

    /** Closes every client: those in use too, whose exchanges then fail. */
    @Override
    public void close() {
        closed = true;
        // A plain loop, not a method reference: nothing new to link while the server stops the application.
        synchronized (taken) {
            for (TransmissionClient c : taken) {
                close(c);
            }
        }
        closeIdle();
    }

    private void closeIdle() {
        for (TransmissionClient c = idle.pollFirst(); c != null; c = idle.pollFirst()) {
            close(c);
        }
    }

    private static void close(TransmissionClient client) {
        if (client instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception | LinkageError e) {
                // A LinkageError too (a class the server's stopped application class loader refuses): the other
                // clients are closed all the same.
                LOG.log(Level.FINE, "Closing a REST client failed", e);
            }
        }
    }
}
