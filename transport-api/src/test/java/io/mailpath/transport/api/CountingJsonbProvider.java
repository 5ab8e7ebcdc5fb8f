package io.mailpath.transport.api;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbConfig;
import jakarta.json.bind.spi.JsonbProvider;
import jakarta.json.spi.JsonProvider;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The JSON-B implementation of this module's tests: Yasson, unchanged, with a count of the {@link Jsonb} instances
 * built. Listed first in {@code META-INF/services}, so that {@code JsonbBuilder.create()} (what a Rest Client's JSON-B
 * provider calls when no {@code ContextResolver<Jsonb>} is registered) finds it; every test of the module reads JSON
 * through it.
 */
public final class CountingJsonbProvider extends JsonbProvider {
    private static final AtomicInteger BUILT = new AtomicInteger();

    private final JsonbProvider yasson = new org.eclipse.yasson.JsonBindingProvider();

    /** Instantiated by the {@code ServiceLoader}. */
    public CountingJsonbProvider() {}

    /** How many {@code Jsonb} instances this JVM has built so far. */
    static int built() {
        return BUILT.get();
    }

    @Override
    public JsonbBuilder create() {
        JsonbBuilder builder = yasson.create();
        return new JsonbBuilder() {
            @Override
            public JsonbBuilder withConfig(JsonbConfig config) {
                builder.withConfig(config);
                return this;
            }

            @Override
            public JsonbBuilder withProvider(JsonProvider provider) {
                builder.withProvider(provider);
                return this;
            }

            @Override
            public Jsonb build() {
                BUILT.incrementAndGet();
                return builder.build();
            }
        };
    }
}
