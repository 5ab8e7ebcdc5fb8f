/**
 * Mailpath's test kit, for applications' tests: in-memory transports ({@code memory}, {@code memory-backup}) that
 * record every message in a {@link io.mailpath.testing.Mailbox} and fail as a test says
 * ({@link io.mailpath.testing.SimulatedFailure}), {@link io.mailpath.testing.MailpathTest} to run the routed
 * {@code MailTransport} in the test JVM, and real protocol peers: {@link io.mailpath.testing.SpecCheckingStub} (a
 * stand-in for Mailtarget's API that checks every request against its OpenAPI spec) and
 * {@link io.mailpath.testing.TestSmtpServer} (STARTTLS, AUTH, scripted replies), and
 * {@link io.mailpath.testing.FaultyProxy}, which closes, resets or stalls a connection to either at a protocol step;
 * and {@link io.mailpath.testing.PostgresServer}, a real PostgreSQL from the machine's packages for an application's
 * database.
 *
 * <pre>
 * &#64;MailpathTest(config = "mailpath.transports=memory,memory-backup")
 * class OrderMailTest {
 *     &#64;Inject MailTransport mail;
 *
 *     &#64;Test
 *     void failsOver() {
 *         Mailbox.of("memory").failNext(3, SimulatedFailure.unavailable());
 *         assertThat(mail.send(message).transport()).isEqualTo("memory-backup");
 *     }
 * }
 * </pre>
 */
package io.mailpath.testing;
