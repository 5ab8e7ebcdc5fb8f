package io.mailpath.telemetry;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real OpenTelemetry SDK with a span processor that fails as a test tells it, the way a buggy exporter or vendor
 * processor installed in a server does: it throws from {@code onStart} or {@code onEnd}, on the sending thread.
 */
@Singleton
public class BrokenOpenTelemetry {
    /** Where the processor throws. */
    enum Failing {
        NOWHERE,
        ON_START,
        ON_END
    }

    volatile Failing failing = Failing.NOWHERE;

    /** How many times the processor threw: the failure really happened. */
    final AtomicInteger thrown = new AtomicInteger();

    final InMemoryMetricReader metrics = InMemoryMetricReader.create();

    private final OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
            .setMeterProvider(
                    SdkMeterProvider.builder().registerMetricReader(metrics).build())
            .setTracerProvider(SdkTracerProvider.builder()
                    .addSpanProcessor(new ThrowingProcessor())
                    .build())
            .build();

    @Produces
    @Singleton
    OpenTelemetry openTelemetry() {
        return sdk;
    }

    @PreDestroy
    void close() {
        sdk.getSdkMeterProvider().close();
        sdk.getSdkTracerProvider().close();
    }

    private final class ThrowingProcessor implements SpanProcessor {
        @Override
        public void onStart(Context parent, ReadWriteSpan span) {
            if (failing == Failing.ON_START) {
                thrown.incrementAndGet();
                throw new IllegalStateException("span processor failed in onStart");
            }
        }

        @Override
        public boolean isStartRequired() {
            return true;
        }

        @Override
        public void onEnd(ReadableSpan span) {
            if (failing == Failing.ON_END) {
                thrown.incrementAndGet();
                throw new IllegalStateException("span processor failed in onEnd");
            }
        }

        @Override
        public boolean isEndRequired() {
            return true;
        }

        @Override
        public CompletableResultCode shutdown() {
            return CompletableResultCode.ofSuccess();
        }
    }
}
