package io.mailpath.routing;

import io.mailpath.InvalidMailException;
import io.mailpath.Mail;
import io.mailpath.MailStream;
import io.mailpath.SendingDomainException;
import io.mailpath.spi.config.ConfigReader;
import java.net.IDN;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One stream's sending setup: its routing keys, its own transports (built from its keys, so its own API key and
 * relay login, pools and clients), its sending domains, and, for a named stream, its own circuit breaker per primary
 * transport. Nothing here is shared with another stream: that is what keeps one stream's failures out of another's
 * sends.
 */
final class StreamRoute {
    private final String name;
    private final RoutingConfig routing;
    private final TransportRegistry registry;
    private final Map<String, Optional<StreamCircuit>> circuits = new ConcurrentHashMap<>();
    private final AsyncLane lane;

    /**
     * @param lane how many of its {@code sendAsync} sends may run at once: 0 for no limit (an application without
     *     named streams)
     */
    StreamRoute(String name, RoutingConfig routing, TransportRegistry registry, int lane) {
        this.name = name;
        this.routing = routing;
        this.registry = registry;
        this.lane = new AsyncLane(lane);
    }

    /** This stream's share of the asynchronous sends. */
    AsyncLane lane() {
        return lane;
    }

    String name() {
        return name;
    }

    boolean isDefault() {
        return name.equals(MailStream.DEFAULT);
    }

    RoutingConfig routing() {
        return routing;
    }

    TransportRegistry registry() {
        return registry;
    }

    ConfigReader reader() {
        return routing.reader();
    }

    /**
     * The message as this stream sends it ({@link Mail#inStream}), once its From address is checked against the
     * stream's sending domains.
     *
     * @throws SendingDomainException when the From address is outside them
     * @throws InvalidMailException when another named stream took the message already
     */
    Mail admit(Mail mail) {
        if (!mail.stream().equals(MailStream.DEFAULT) && !mail.stream().equals(name)) {
            // Taken by another stream already (a message resent from an event, say): moving it silently would send it
            // with this stream's keys and domains.
            throw new InvalidMailException(
                    "stream",
                    "the message is in stream '" + mail.stream() + "': send it through that stream's transport, or"
                            + " move it with inStream(\"" + name + "\")");
        }
        List<String> domains = routing.fromDomains();
        if (!domains.isEmpty()) {
            String email = mail.from().email();
            String domain = email.substring(email.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
            if (!domains.contains(comparable(domain))) {
                throw new SendingDomainException(name, domain, domains);
            }
        }
        return mail.inStream(name);
    }

    /**
     * A domain as the guard compares it: one domain has several spellings (upper or lower case, Unicode or its
     * {@code xn--} A-label, with or without the root's trailing dot), and each is the same sending domain.
     */
    static String comparable(String domain) {
        String lower = domain.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".")) {
            lower = lower.substring(0, lower.length() - 1);
        }
        try {
            return IDN.toASCII(lower).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return lower; // not a host name (an address literal): compared as written
        }
    }

    /**
     * The circuit breaker of a named stream's primary transport, made on first use; empty for the unnamed stream
     * (guarded by {@link PrimaryPath#send}'s annotation) or when the circuit breaker is switched off.
     */
    Optional<StreamCircuit> circuit(String transport) {
        if (isDefault()) {
            return Optional.empty();
        }
        return circuits.computeIfAbsent(transport, t -> routing.streamCircuit().map(StreamCircuit::new));
    }

    @Override
    public String toString() {
        return "stream '" + name + "'";
    }
}
