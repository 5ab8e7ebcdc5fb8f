package io.mailpath.transport.smtp;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import javax.net.SocketFactory;
import javax.net.ssl.SSLSocketFactory;

/**
 * Socket factories that switch Nagle's algorithm off ({@code TCP_NODELAY}) and change nothing else. SMTP is a dialogue
 * of small writes, each waiting for a reply: with Nagle on, a command written while the server still delays its ACK
 * of the previous segment waits for that ACK (40 ms on Linux), which made a connect with STARTTLS and AUTH cost 50 to
 * 100 ms instead of a few. Jakarta Mail never sets the option itself.
 *
 * <p>Angus Mail takes the plain factory from {@code mail.<protocol>.socketFactory} to create the unconnected TCP
 * socket in every mode (plaintext, STARTTLS, implicit TLS), and layers TLS over that socket with its usual trust and
 * host name checks; the option belongs to the TCP connection, so it holds once TLS is layered over it. The TLS factory
 * is for a session that sets {@code mail.<protocol>.ssl.socketFactory} (Mailpath's own trust store): Angus then
 * creates the TCP socket itself, and the factory sets the option when it layers TLS over it.
 */
final class NoDelaySockets {
    private NoDelaySockets() {}

    /** A plain socket factory whose sockets have {@code TCP_NODELAY} set. */
    static SocketFactory plain() {
        return Plain.INSTANCE;
    }

    /** {@code delegate}, with {@code TCP_NODELAY} set on every socket it creates or layers TLS over. */
    static SSLSocketFactory tls(SSLSocketFactory delegate) {
        return new Tls(delegate);
    }

    private static <S extends Socket> S noDelay(S socket) throws IOException {
        socket.setTcpNoDelay(true);
        return socket;
    }

    private static final class Plain extends SocketFactory {
        static final Plain INSTANCE = new Plain();

        @Override
        public Socket createSocket() throws IOException {
            return noDelay(new Socket());
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return noDelay(new Socket(host, port));
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            return noDelay(new Socket(host, port, localHost, localPort));
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return noDelay(new Socket(host, port));
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
                throws IOException {
            return noDelay(new Socket(address, port, localAddress, localPort));
        }

        @Override
        public String toString() {
            return "NoDelaySockets.plain";
        }
    }

    private static final class Tls extends SSLSocketFactory {
        private final SSLSocketFactory delegate;

        Tls(SSLSocketFactory delegate) {
            this.delegate = delegate;
        }

        @Override
        public String[] getDefaultCipherSuites() {
            return delegate.getDefaultCipherSuites();
        }

        @Override
        public String[] getSupportedCipherSuites() {
            return delegate.getSupportedCipherSuites();
        }

        @Override
        public Socket createSocket(Socket s, String host, int port, boolean autoClose) throws IOException {
            // Set on the TCP socket underneath: the TLS socket layered over it writes through it.
            s.setTcpNoDelay(true);
            return delegate.createSocket(s, host, port, autoClose);
        }

        @Override
        public Socket createSocket(Socket s, InputStream consumed, boolean autoClose) throws IOException {
            s.setTcpNoDelay(true);
            return delegate.createSocket(s, consumed, autoClose);
        }

        @Override
        public Socket createSocket() throws IOException {
            return noDelay(delegate.createSocket());
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return noDelay(delegate.createSocket(host, port));
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            return noDelay(delegate.createSocket(host, port, localHost, localPort));
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return noDelay(delegate.createSocket(host, port));
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
                throws IOException {
            return noDelay(delegate.createSocket(address, port, localAddress, localPort));
        }

        @Override
        public String toString() {
            return "NoDelaySockets.tls(" + delegate + ")";
        }
    }
}
