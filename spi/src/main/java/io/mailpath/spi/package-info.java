/**
 * How transports plug in: a {@link io.mailpath.spi.TransportProvider} registered with {@link java.util.ServiceLoader}
 * builds a {@link io.mailpath.spi.DirectTransport} (most extend {@link io.mailpath.spi.AbstractTransport}, which
 * holds the send flow every transport shares) from its {@link io.mailpath.spi.TransportConfig}. A transport declares
 * its keys as {@link io.mailpath.spi.config.ConfigKey} constants and reads them with
 * {@link io.mailpath.spi.TransportConfig#get(io.mailpath.spi.config.ConfigKey)}.
 *
 * <pre>
 * try (DirectTransport smtp = Transports.create("smtp", Map.of(
 *         "mailpath.smtp.host", "smtp.example.com",
 *         "mailpath.smtp.username", "user", "mailpath.smtp.password", secret))) {
 *     smtp.send(mail);
 * }
 * </pre>
 */
package io.mailpath.spi;
