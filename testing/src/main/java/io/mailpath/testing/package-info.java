/**
 * Mailpath's test kit, for applications' tests: in-memory transports ({@code memory}, {@code memory-backup}) that
 * record every message in a {@link io.mailpath.testing.Mailbox} and fail as a test says
 * ({@link io.mailpath.testing.SimulatedFailure}), and {@link io.mailpath.testing.MailpathTest} (or
 * {@link io.mailpath.testing.MailpathDeployment}) to run the routed {@code MailTransport} in the test JVM.
 *
 * <p>The kit brings no protocol peer and no mail library onto a test's class path (no WireMock, no SMTP server, no
 * Jakarta Mail implementation). Real peers (an SMTP server, a stand-in for Mailtarget's API, a fault-injecting proxy,
 * PostgreSQL) and the transport contract test are in {@code io.mailpath:mailpath-testing-peers}.
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
