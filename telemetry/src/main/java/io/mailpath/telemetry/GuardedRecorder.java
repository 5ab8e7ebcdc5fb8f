package io.mailpath.telemetry;

import io.mailpath.Attempt;
import io.mailpath.Mail;
import io.mailpath.SendReceipt;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one place that keeps telemetry from changing a send's outcome: every call into a {@link Recorder} and its spans
 * goes through here, and whatever it throws (an OpenTelemetry span processor, exporter or meter that fails on the
 * sending thread, an OpenTelemetry older than Mailpath needs) is caught. A caller who saw such an exception after its
 * mail was delivered would send it again; one who saw it instead of the send's own failure would take the wrong
 * decision. Failures are logged as a warning at most once every {@value #WARNING_INTERVAL_MINUTES} minutes, with a
 * count of the ones in between: a broken exporter must not flood the log with one stack trace per send.
 */
final class GuardedRecorder implements Recorder {
    static final long WARNING_INTERVAL_MINUTES = 10;

    private static final Logger LOG = Logger.getLogger(GuardedRecorder.class.getName());

    private static final long WARNING_INTERVAL_NANOS = WARNING_INTERVAL_MINUTES * 60_000_000_000L;

    private final Recorder recorder;

    /** When the last warning was logged (System.nanoTime), or Long.MIN_VALUE before the first one. */
    private final AtomicLong lastWarning = new AtomicLong(Long.MIN_VALUE);

    /** Failures since the last warning, not logged on their own. */
    private final AtomicLong unlogged = new AtomicLong();

    private GuardedRecorder(Recorder recorder) {
        this.recorder = recorder;
    }

    /** The recorder, guarded; {@link Recorder#NONE} stays as it is (it does nothing that could fail). */
    static Recorder guard(Recorder recorder) {
        return recorder == NONE || recorder instanceof GuardedRecorder ? recorder : new GuardedRecorder(recorder);
    }

    @Override
    public SendSpan startSend(Mail mail, String stream) {
        SendSpan span = call("start a send's span", () -> recorder.startSend(mail, stream), NO_SPAN);
        return span == NO_SPAN ? NO_SPAN : new GuardedSpan(span);
    }

    @Override
    public void attempts(String stream, List<Attempt> attempts) {
        run("count attempts", () -> recorder.attempts(stream, attempts));
    }

    @Override
    public void message(String stream, String transport, String outcome) {
        run("count a send", () -> recorder.message(stream, transport, outcome));
    }

    @Override
    public void failover(String stream, String failedTransport, String reason, String deliveredBy) {
        run("count a failover", () -> recorder.failover(stream, failedTransport, reason, deliveredBy));
    }

    @Override
    public void possibleDuplicate(String stream, String deliveredBy) {
        run("count a possible duplicate", () -> recorder.possibleDuplicate(stream, deliveredBy));
    }

    @Override
    public void canary(String transport, String stream, boolean delivered) {
        run("count a canary", () -> recorder.canary(transport, stream, delivered));
    }

    @Override
    public void close() {
        run("stop", recorder::close);
    }

    @Override
    public String toString() {
        return recorder.toString();
    }

    private void run(String what, Runnable call) {
        call(
                what,
                () -> {
                    call.run();
                    return null;
                },
                null);
    }

    private <T> T call(String what, Supplier<T> call, T instead) {
        try {
            return call.get();
        } catch (RuntimeException | LinkageError e) {
            failed(what, e);
            return instead;
        }
    }

    private void failed(String what, Throwable e) {
        long now = System.nanoTime();
        long last = lastWarning.get();
        boolean due = last == Long.MIN_VALUE || now - last >= WARNING_INTERVAL_NANOS;
        if (!due || !lastWarning.compareAndSet(last, now)) {
            unlogged.incrementAndGet();
            return;
        }
        long before = unlogged.getAndSet(0);
        LOG.log(
                Level.WARNING,
                e,
                () -> "Mailpath telemetry could not " + what + " (the send's outcome stands); further failures are"
                        + " logged at most once every " + WARNING_INTERVAL_MINUTES + " minutes"
                        + (before > 0 ? "; " + before + " failed since the last warning" : ""));
    }

    /** A span whose every call is guarded the same way. */
    private final class GuardedSpan implements SendSpan {
        private final SendSpan span;

        GuardedSpan(SendSpan span) {
            this.span = span;
        }

        @Override
        public Current makeCurrent() {
            Current current = call("make a send's span current", span::makeCurrent, NO_SPAN.makeCurrent());
            return () -> run("restore the context after a send", current::close);
        }

        @Override
        public void attempts(List<Attempt> attempts) {
            run("add attempts to a send's span", () -> span.attempts(attempts));
        }

        @Override
        public void delivered(SendReceipt receipt) {
            run("mark a send's span delivered", () -> span.delivered(receipt));
        }

        @Override
        public void failed(Throwable failure) {
            run("mark a send's span failed", () -> span.failed(failure));
        }

        @Override
        public void end() {
            run("end a send's span", span::end);
        }
    }
}
