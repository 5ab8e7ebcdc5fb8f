/**
 * The routed {@code @Inject MailTransport}: a CDI extension ({@link io.mailpath.routing.MailpathExtension}) that
 * registers one bean per transport and checks the configuration at deployment, and a router that tries the transports
 * of {@code mailpath.transports} in order, failing over by the kind of failure.
 *
 * <p>Everything in this package is private to Mailpath, with one exception: the names of the Fault Tolerance beans
 * and their methods are configuration keys that users set, and stay as they are:
 *
 * <ul>
 *   <li>{@code io.mailpath.routing.PrimaryPath/send/Retry|Timeout|CircuitBreaker/...}: the first transport;
 *   <li>{@code io.mailpath.routing.SecondaryPath/send/Retry|Timeout/...}: each later one.
 * </ul>
 *
 * The routing keys ({@code mailpath.transports}, {@code mailpath.failover.*}) are named in
 * {@link io.mailpath.routing.RoutingConfig}. Applications depend on a transport artifact, which brings this one.
 */
package io.mailpath.routing;
