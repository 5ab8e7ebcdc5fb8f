package io.mailpath.transport.smtp;

import io.mailpath.spi.DirectTransport;
import io.mailpath.spi.Transports;
import io.mailpath.testing.peers.TestSmtpServer;
import io.mailpath.testing.peers.TransportContract;
import java.util.Map;
import org.junit.jupiter.api.Tag;

/**
 * The SMTP transport runs the transport contract that any transport can run: every step of a plaintext SMTP
 * conversation (greeting, EHLO, MAIL, RCPT, DATA, the message, the reply to its final dot) under a close, a reset and
 * a stall. The contract finds the steps in the bytes, so it needs plaintext and thus no AUTH; the STARTTLS, TLS and AUTH
 * steps, a reused pooled connection and a retired one are in {@link SmtpFaultMatrixTest}.
 */
@Tag("slow") // the fault matrix at every protocol step
class SmtpTransportContractTest extends TransportContract {
    private static final String TIMEOUT_MS = "2000";

    @Override
    protected Peer startPeer() {
        TestSmtpServer server = new TestSmtpServer(TestSmtpServer.Tls.NONE, null, false);
        // Counted, not kept: each cell's message is 8 MB.
        server.keepReceived = false;
        return new Peer() {
            @Override
            public int port() {
                return server.port();
            }

            @Override
            public int accepted() {
                return server.accepted.get();
            }

            @Override
            public void close() {
                server.close();
            }
        };
    }

    @Override
    protected DirectTransport transportTo(String host, int port) {
        return Transports.create(
                "smtp",
                Map.of(
                        "mailpath.smtp.host", host,
                        "mailpath.smtp.port", String.valueOf(port),
                        "mailpath.smtp.insecure-plaintext", "true",
                        "mailpath.smtp.connect-timeout-ms", TIMEOUT_MS,
                        "mailpath.smtp.read-timeout-ms", TIMEOUT_MS,
                        "mailpath.smtp.write-timeout-ms", TIMEOUT_MS));
    }
}
