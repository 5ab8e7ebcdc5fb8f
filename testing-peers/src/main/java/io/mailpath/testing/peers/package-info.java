/**
 * Real protocol peers for tests, in-process on loopback: {@link io.mailpath.testing.peers.TestSmtpServer} (STARTTLS,
 * AUTH, scripted replies) with {@link io.mailpath.testing.peers.TestTls} (a throwaway certificate and trust store),
 * {@link io.mailpath.testing.peers.SpecCheckingStub} (a stand-in for Mailtarget's API that checks every request
 * against its OpenAPI spec), {@link io.mailpath.testing.peers.FaultyProxy} (closes, resets or stalls a connection to
 * either at a protocol step) and {@link io.mailpath.testing.peers.PostgresServer} (a real PostgreSQL from the
 * machine's packages); and {@link io.mailpath.testing.peers.TransportContract}, the fault matrix a transport's own
 * test extends to prove it follows the phase rule.
 *
 * <p>The API stand-in needs WireMock and the OpenAPI validator, which this artifact does not bring (so that the SMTP
 * server can be used without them): a test that uses it adds {@code org.wiremock:wiremock-standalone},
 * {@code com.atlassian.oai:swagger-request-validator-core} (without {@code com.sun.mail:mailapi}) and
 * {@code javax.mail:javax.mail-api}, whose versions and exclusion the Mailpath BOM manages.
 *
 * <pre>
 * class MyTransportContractTest extends TransportContract {
 *     &#64;Override
 *     protected DirectTransport transportTo(String host, int port) {
 *         return Transports.create("mine", Map.of("mailpath.mine.url", "http://" + host + ":" + port));
 *     }
 *
 *     &#64;Override
 *     protected Peer startPeer() throws Exception {
 *         return MyFakeServer.start(); // a real server of the protocol, counting what it accepted
 *     }
 * }
 * </pre>
 */
package io.mailpath.testing.peers;
