package io.mailpath;

import java.util.List;

/**
 * A stream refused a message whose From address is outside the stream's sending domains
 * ({@code mailpath.stream.<name>.from-domains}, or {@code mailpath.from-domains} for the unnamed stream): nothing was
 * sent or stored. Keeping each stream's mail on its own domains keeps one stream's reputation from affecting
 * another's.
 */
public class SendingDomainException extends InvalidMailException {
    private final String stream;
    private final String domain;
    private final List<String> allowed;

    public SendingDomainException(String stream, String domain, List<String> allowed) {
        super(
                "from",
                "domain '" + domain + "' is not a sending domain of stream '" + stream + "' (allowed: "
                        + String.join(", ", allowed) + ")");
        this.stream = stream;
        this.domain = domain;
        this.allowed = List.copyOf(allowed);
    }

    /** The stream that refused the message. */
    public String stream() {
        return stream;
    }

    /** The domain of the message's From address, in lower case. */
    public String domain() {
        return domain;
    }

    /** The stream's sending domains. */
    public List<String> allowed() {
        return allowed;
    }
}
