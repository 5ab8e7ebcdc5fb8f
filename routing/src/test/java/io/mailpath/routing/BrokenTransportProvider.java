package io.mailpath.routing;

import io.mailpath.Mail;
import io.mailpath.SendReceipt;
import io.mailpath.testing.StubTransportProvider;

/**
 * A transport, {@value #NAME}, whose every send fails with an {@link Error}, not an exception: what a class path
 * conflict (a {@link NoClassDefFoundError}) or a heap too small for the message ({@link OutOfMemoryError}) does to
 * a real transport. Its {@code sendAsync} is the interface's default, which throws the same on another thread.
 */
public final class BrokenTransportProvider extends StubTransportProvider {
    public static final String NAME = "broken";

    public BrokenTransportProvider() {
        super(NAME, -5);
    }

    @Override
    protected SendReceipt send(Mail mail) {
        throw new NoClassDefFoundError("javax/activation/DataContentHandler");
    }
}
