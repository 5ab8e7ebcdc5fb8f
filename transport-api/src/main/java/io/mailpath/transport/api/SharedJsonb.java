package io.mailpath.transport.api;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.ws.rs.ext.ContextResolver;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one {@link Jsonb} the transport's Rest Client reads responses with, offered to the client's JSON-B provider the
 * way Jakarta REST defines: a {@code ContextResolver<Jsonb>}.
 *
 * <p>Why: without a resolver, RESTEasy's JSON-B provider (standalone, WildFly, Open Liberty) builds a new
 * {@code Jsonb} for every entity it reads, through {@code JsonbBuilder.create()}: a {@code ServiceLoader} scan of the
 * class path and a fresh model of the type every time, which cost an order of magnitude more than the HTTP exchange
 * itself. Jersey (Payara) keeps one of its own; with this resolver every server uses this one.
 *
 * <p>Registered on this transport's client only, so the application's other clients keep their own JSON-B
 * configuration; closed when the transport is released.
 */
final class SharedJsonb implements ContextResolver<Jsonb>, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(SharedJsonb.class.getName());

    private final Jsonb jsonb = JsonbBuilder.create();

    @Override
    public Jsonb getContext(Class<?> type) {
        return jsonb;
    }

    @Override
    public void close() {
        try {
            jsonb.close();
        } catch (Exception e) {
            LOG.log(Level.FINE, "Closing the shared Jsonb failed", e);
        }
    }
}
