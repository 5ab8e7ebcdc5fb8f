package io.mailpath.telemetry;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.PointData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * What a server with MicroProfile Telemetry offers, in the test JVM: an {@code OpenTelemetry} bean, here the real SDK
 * with an in-memory metric reader and span exporter that the tests read.
 */
@Singleton
public class InMemoryOpenTelemetry {
    final InMemoryMetricReader metrics = InMemoryMetricReader.create();
    final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private final OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
            .setMeterProvider(
                    SdkMeterProvider.builder().registerMetricReader(metrics).build())
            .setTracerProvider(SdkTracerProvider.builder()
                    .addSpanProcessor(SimpleSpanProcessor.create(spans))
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

    Collection<MetricData> collect() {
        return metrics.collectAllMetrics();
    }

    /** The value of a counter's point with exactly these attributes, 0 when there is none. */
    long count(String metric, Attributes attributes) {
        return point(metric, attributes)
                .map(p -> ((io.opentelemetry.sdk.metrics.data.LongPointData) p).getValue())
                .orElse(0L);
    }

    /** How many values a histogram's point with exactly these attributes holds, 0 when there is none. */
    long histogramCount(String metric, Attributes attributes) {
        return point(metric, attributes)
                .map(p -> ((io.opentelemetry.sdk.metrics.data.HistogramPointData) p).getCount())
                .orElse(0L);
    }

    Optional<PointData> point(String metric, Attributes attributes) {
        return collect().stream()
                .filter(m -> m.getName().equals(metric))
                .flatMap(m -> m.getData().getPoints().stream())
                .filter(p -> p.getAttributes().equals(attributes))
                .map(p -> (PointData) p)
                .findFirst();
    }

    List<SpanData> finishedSpans() {
        return spans.getFinishedSpanItems();
    }
}
