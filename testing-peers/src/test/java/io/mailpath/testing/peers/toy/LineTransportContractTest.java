package io.mailpath.testing.peers.toy;

import io.mailpath.spi.DirectTransport;
import io.mailpath.testing.peers.TransportContract;
import java.util.Optional;
import org.junit.jupiter.api.Tag;

/**
 * A transport written outside Mailpath, on its SPI, runs the contract: the toy line protocol's transport, against its
 * own server.
 */
@Tag("slow") // the fault matrix at every protocol step
class LineTransportContractTest extends TransportContract {
    static final String SECRET = "line-secret-7d01c9e2";

    @Override
    protected Peer startPeer() throws Exception {
        return new LineServer(SECRET);
    }

    @Override
    protected DirectTransport transportTo(String host, int port) {
        return LineTransport.to(host, port, SECRET, 1_000);
    }

    @Override
    protected Optional<String> secret() {
        return Optional.of(SECRET);
    }
}
