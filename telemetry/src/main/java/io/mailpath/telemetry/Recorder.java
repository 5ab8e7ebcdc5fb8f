package io.mailpath.telemetry;

import io.mailpath.Attempt;
import io.mailpath.FailureKind;
import io.mailpath.Mail;
import io.mailpath.MailException;
import io.mailpath.SendReceipt;
import java.util.List;
import java.util.Locale;

/**
 * Where Mailpath's telemetry goes: OpenTelemetry ({@link OpenTelemetryRecorder}) or nowhere ({@link #NONE}). Its
 * signatures name Mailpath's own types only, so that the beans holding it load where OpenTelemetry is missing.
 */
interface Recorder {
    /**
     * Starts the span of one routed send through a stream ({@value io.mailpath.MailStream#DEFAULT} for the unnamed
     * one); it becomes current only through {@link SendSpan#makeCurrent()}.
     */
    SendSpan startSend(Mail mail, String stream);

    /** Counts the attempts of one routed send through a stream, however it ended. */
    void attempts(String stream, List<Attempt> attempts);

    /** Counts one routed send by how it ended: delivered by that transport, or failed with that exception. */
    void message(String stream, String transport, String outcome);

    void failover(String stream, String failedTransport, String reason, String deliveredBy);

    void possibleDuplicate(String stream, String deliveredBy);

    /** Counts a canary through this transport: delivered in time, or missed. */
    void canary(String transport, String stream, boolean delivered);

    /** Stops reporting: the application is stopping. */
    void close();

    /** The span of one routed send. */
    interface SendSpan {
        /** Makes the span current on this thread, so that spans started meanwhile (the REST client's) are children. */
        Current makeCurrent();

        void attempts(List<Attempt> attempts);

        void delivered(SendReceipt receipt);

        void failed(Throwable failure);

        void end();
    }

    /** A span made current; closing it restores the thread's previous context. */
    interface Current extends AutoCloseable {
        @Override
        void close();
    }

    /** Records nothing: the server offers no OpenTelemetry. */
    Recorder NONE = new Recorder() {
        @Override
        public SendSpan startSend(Mail mail, String stream) {
            return NO_SPAN;
        }

        @Override
        public void attempts(String stream, List<Attempt> attempts) {}

        @Override
        public void message(String stream, String transport, String outcome) {}

        @Override
        public void failover(String stream, String failedTransport, String reason, String deliveredBy) {}

        @Override
        public void possibleDuplicate(String stream, String deliveredBy) {}

        @Override
        public void canary(String transport, String stream, boolean delivered) {}

        @Override
        public void close() {}

        @Override
        public String toString() {
            return "no telemetry";
        }
    };

    SendSpan NO_SPAN = new SendSpan() {
        @Override
        public Current makeCurrent() {
            return () -> {};
        }

        @Override
        public void attempts(List<Attempt> attempts) {}

        @Override
        public void delivered(SendReceipt receipt) {}

        @Override
        public void failed(Throwable failure) {}

        @Override
        public void end() {}
    };

    /** The {@link TelemetryNames#OUTCOME} of a failure: its kind in lower case. */
    static String outcome(FailureKind kind) {
        return kind == null ? TelemetryNames.DELIVERED : kind.name().toLowerCase(Locale.ROOT);
    }

    /** The {@link TelemetryNames#OUTCOME} of what a send threw: a Mailpath exception's kind, else its class name. */
    static String outcome(Throwable failure) {
        return failure instanceof MailException e
                ? outcome(e.kind())
                : failure.getClass().getName();
    }
}
