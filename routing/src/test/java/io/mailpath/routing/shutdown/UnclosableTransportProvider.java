package io.mailpath.routing.shutdown;

/**
 * A transport, {@value #NAME}, whose close throws a {@link NoClassDefFoundError}: what a transport's close does when
 * the server has already stopped the application's class loader (Payara Micro 7, after a failed deployment).
 */
public final class UnclosableTransportProvider extends ClosingTestTransportProvider {
    public static final String NAME = "unclosable";

    public UnclosableTransportProvider() {
        super(NAME, -7);
    }

    @Override
    void closing() {
        throw new NoClassDefFoundError("io/mailpath/transport/Closing");
    }
}
