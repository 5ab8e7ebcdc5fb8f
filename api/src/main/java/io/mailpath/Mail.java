package io.mailpath;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An email message: immutable, validated once when {@link Builder#build()} runs, and identified by a stable
 * {@link #id()} that travels with it on every transport (as metadata on the API, as a header and in the Message-ID
 * on SMTP), so that a message sent twice by failover can be recognised.
 *
 * <p>The body is a text and/or HTML body, or a Mailtarget template ({@link Builder#template(String)}) with
 * substitution data; with a template, the text and HTML bodies are the fallback used by transports that cannot
 * render templates (SMTP).
 */
public final class Mail {
    /** The header that carries {@link #id()} on every path, so that a delivery can be traced to its message. */
    public static final String ID_HEADER = "X-Mailpath-Id";
    /** The header that carries metadata on paths without a metadata field of their own (SMTP). */
    public static final String METADATA_HEADER = "X-Mailpath-Metadata";
    /** Largest number of recipients (to, cc and bcc together). */
    public static final int MAX_RECIPIENTS = 1000;
    /** Largest subject, in characters. */
    public static final int MAX_SUBJECT = 998;
    /** Largest text or HTML body, in characters. */
    public static final int MAX_BODY = 10 * 1024 * 1024;
    /** Largest sum of all attachment sizes, in bytes (before encoding). */
    public static final long MAX_ATTACHMENT_BYTES = 20L * 1024 * 1024;
    /** Largest number of attachments and inline parts. */
    public static final int MAX_ATTACHMENTS = 100;
    /** Largest number of custom headers. */
    public static final int MAX_HEADERS = 50;
    /** Largest header value, in characters. */
    public static final int MAX_HEADER_VALUE = 998;
    /** Largest metadata key, in characters. */
    public static final int MAX_METADATA_KEY = 64;
    /** Largest metadata value, in characters. */
    public static final int MAX_METADATA_VALUE = 500;
    /** Largest metadata, in bytes as JSON. */
    public static final int MAX_METADATA_BYTES = 10 * 1024;
    /** Largest substitution data (Mailtarget's limit), in bytes as JSON, for each recipient after merging. */
    public static final int MAX_SUBSTITUTION_BYTES = 100 * 1024;
    /** The metadata key under which the message's {@link #id()} travels; applications cannot use it. */
    public static final String ID_METADATA_KEY = "mailpath_id";
    /**
     * The metadata key under which a named stream's name travels ({@link #stream()}), so that delivery webhooks say
     * which stream a message went out on; applications cannot use it.
     */
    public static final String STREAM_METADATA_KEY = "mailpath_stream";

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final Pattern HEADER_NAME = Pattern.compile("[\\x21-\\x39\\x3B-\\x7E]{1,76}");
    private static final Pattern TEMPLATE_ID = Pattern.compile("[\\x21-\\x7E]{1,256}");
    private static final Pattern SUBSTITUTION_KEY = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,127}");
    private static final Set<String> RESERVED_SUBSTITUTION_KEYS = Set.of(
            "address",
            "email",
            "email_id",
            "env_from",
            "return_path",
            // Lua keywords, which Mailtarget's template engine also reserves
            "and",
            "break",
            "do",
            "else",
            "elseif",
            "end",
            "false",
            "for",
            "function",
            "goto",
            "if",
            "in",
            "local",
            "nil",
            "not",
            "or",
            "repeat",
            "return",
            "then",
            "true",
            "until",
            "while");
    private static final Set<String> RESERVED_HEADERS = Set.of(
            "from",
            "sender",
            "to",
            "cc",
            "bcc",
            "reply-to",
            "subject",
            "date",
            "message-id",
            "mime-version",
            "content-type",
            "content-transfer-encoding",
            "content-disposition",
            "content-id",
            "return-path",
            ID_HEADER.toLowerCase(Locale.ROOT),
            METADATA_HEADER.toLowerCase(Locale.ROOT));

    private final String id;
    private final Address from;
    private final List<Address> replyTo;
    private final List<Address> to;
    private final List<Address> cc;
    private final List<Address> bcc;
    private final String subject;
    private final String text;
    private final String html;
    private final String templateId;
    private final Map<String, String> substitutionData;
    private final Map<String, Map<String, String>> recipientData;
    private final Map<String, String> headers;
    private final List<Attachment> attachments;
    private final Map<String, String> metadata;
    private final TrackingOptions tracking;
    /** The named stream this copy is sent through, or null for the unnamed one. */
    private final String stream;

    private Mail(Builder b) {
        this.id = b.id != null ? b.id : MailIds.next();
        this.from = b.from;
        this.replyTo = List.copyOf(b.replyTo);
        this.to = List.copyOf(b.to);
        this.cc = List.copyOf(b.cc);
        this.bcc = List.copyOf(b.bcc);
        this.subject = b.subject;
        this.text = b.text;
        this.html = b.html;
        this.templateId = b.templateId;
        this.substitutionData = Collections.unmodifiableMap(new LinkedHashMap<>(b.substitutionData));
        Map<String, Map<String, String>> perRecipient = new LinkedHashMap<>();
        b.recipientData.forEach((k, v) -> perRecipient.put(k, Collections.unmodifiableMap(new LinkedHashMap<>(v))));
        this.recipientData = Collections.unmodifiableMap(perRecipient);
        this.headers = Collections.unmodifiableMap(new LinkedHashMap<>(b.headers));
        this.attachments = List.copyOf(b.attachments);
        this.metadata = Collections.unmodifiableMap(new LinkedHashMap<>(b.metadata));
        this.tracking = b.tracking;
        this.stream = null;
    }

    /** A copy of a message, in another stream. */
    private Mail(Mail m, String stream) {
        this.id = m.id;
        this.from = m.from;
        this.replyTo = m.replyTo;
        this.to = m.to;
        this.cc = m.cc;
        this.bcc = m.bcc;
        this.subject = m.subject;
        this.text = m.text;
        this.html = m.html;
        this.templateId = m.templateId;
        this.substitutionData = m.substitutionData;
        this.recipientData = m.recipientData;
        this.headers = m.headers;
        this.attachments = m.attachments;
        this.metadata = m.metadata;
        this.tracking = m.tracking;
        this.stream = stream;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The stream this message is sent through: {@value MailStream#DEFAULT} unless a named stream's transport or
     * outbox took it ({@code @MailStream("marketing")}). Named streams' transports send it in the metadata as
     * {@value #STREAM_METADATA_KEY}.
     */
    public String stream() {
        return stream == null ? MailStream.DEFAULT : stream;
    }

    /**
     * This message in a stream: the same message and id, with {@link #stream()} set. Named streams' transports and
     * outboxes call it; an application picks a stream by injecting it.
     *
     * @throws IllegalArgumentException when the name is not a valid stream name ({@link MailStream#NAME})
     */
    public Mail inStream(String name) {
        if (name == null || !MailStream.NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("Not a stream name: '" + name + "' (expected " + MailStream.NAME + ")");
        }
        String wanted = name.equals(MailStream.DEFAULT) ? null : name;
        return Objects.equals(wanted, stream) ? this : new Mail(this, wanted);
    }

    /** The stable id: given to the builder, or a random UUID. */
    public String id() {
        return id;
    }

    public Address from() {
        return from;
    }

    public List<Address> replyTo() {
        return replyTo;
    }

    public List<Address> to() {
        return to;
    }

    public List<Address> cc() {
        return cc;
    }

    /** Blind copies: they receive the message but appear in no header. */
    public List<Address> bcc() {
        return bcc;
    }

    public String subject() {
        return subject;
    }

    /** The text body (with a template: the text fallback body), or null. */
    public String text() {
        return text;
    }

    /** The HTML body (with a template: the HTML fallback body), or null. */
    public String html() {
        return html;
    }

    /** The Mailtarget template id, or null when the message has its own body. */
    public String templateId() {
        return templateId;
    }

    public boolean hasTemplate() {
        return templateId != null;
    }

    /** Whether the message has a body of its own (with a template: a fallback body). */
    public boolean hasBody() {
        return text != null || html != null;
    }

    /** Substitution data for every recipient. */
    public Map<String, String> substitutionData() {
        return substitutionData;
    }

    /** Per-recipient substitution data, keyed by the recipient's address in lower case. */
    public Map<String, Map<String, String>> recipientData() {
        return recipientData;
    }

    /** Whether the message must be sent once per recipient, because recipients have their own data. */
    public boolean isPerRecipient() {
        return !recipientData.isEmpty();
    }

    /** The substitution data for one recipient: the shared data overridden by the recipient's own. */
    public Map<String, String> substitutionDataFor(Address recipient) {
        Map<String, String> own = recipientData.get(recipient.key());
        if (own == null || own.isEmpty()) {
            return substitutionData;
        }
        Map<String, String> merged = new LinkedHashMap<>(substitutionData);
        merged.putAll(own);
        return Collections.unmodifiableMap(merged);
    }

    /** Custom headers in the order they were added. */
    public Map<String, String> headers() {
        return headers;
    }

    public List<Attachment> attachments() {
        return attachments;
    }

    /** Application metadata; it comes back in Mailtarget's webhook events. */
    public Map<String, String> metadata() {
        return metadata;
    }

    public TrackingOptions tracking() {
        return tracking;
    }

    /** Every recipient: to, then cc, then bcc. */
    public List<Address> allRecipients() {
        List<Address> all = new ArrayList<>(to.size() + cc.size() + bcc.size());
        all.addAll(to);
        all.addAll(cc);
        all.addAll(bcc);
        return all;
    }

    @Override
    public String toString() {
        return "Mail[id=" + id + ", from=" + from.email() + ", to=" + to.size() + ", cc=" + cc.size() + ", bcc="
                + bcc.size() + (templateId != null ? ", template=" + templateId : "") + ", attachments="
                + attachments.size() + (stream != null ? ", stream=" + stream : "") + "]";
    }

    /** Builds a {@link Mail}; every value is checked in {@link #build()}, which names the field that is wrong. */
    public static final class Builder {
        private String id;
        private Address from;
        private final List<Address> replyTo = new ArrayList<>();
        private final List<Address> to = new ArrayList<>();
        private final List<Address> cc = new ArrayList<>();
        private final List<Address> bcc = new ArrayList<>();
        private String subject;
        private String text;
        private String html;
        private String templateId;
        private final Map<String, String> substitutionData = new LinkedHashMap<>();
        private final Map<String, Map<String, String>> recipientData = new LinkedHashMap<>();
        private final Map<String, String> headers = new LinkedHashMap<>();
        private final List<Attachment> attachments = new ArrayList<>();
        private final Map<String, String> metadata = new LinkedHashMap<>();
        private TrackingOptions tracking = TrackingOptions.DEFAULT;

        private Builder() {}

        /**
         * Sets the stable id, for example an idempotency key: 1 to 128 characters, a letter or digit first, then
         * letters, digits, {@code .}, {@code _} or {@code -} (ASCII). Without it, the id is a random UUID.
         */
        public Builder id(String id) {
            this.id = id;
            return this;
        }

        /** The sender, without a display name. */
        public Builder from(String email) {
            return from(Address.of(email));
        }

        /** The sender with a display name: {@code from("billing@example.com", "Example Billing")}. */
        public Builder from(String email, String name) {
            return from(Address.of(email, name));
        }

        /** The sender. */
        public Builder from(Address address) {
            this.from = address;
            return this;
        }

        /** A builder argument that must be there: a null becomes the same typed error as any other invalid field. */
        private static <T> T present(T value, String field) {
            if (value == null) {
                throw new InvalidMailException(field, "is required (null given)");
            }
            return value;
        }

        /** Adds addresses replies should go to. */
        public Builder replyTo(String... emails) {
            for (String e : present(emails, "replyTo")) {
                replyTo.add(Address.of(e));
            }
            return this;
        }

        /** Adds an address replies should go to, with its display name. */
        public Builder replyTo(Address address) {
            replyTo.add(address);
            return this;
        }

        /** Adds recipients; at least one {@code to} recipient is required. */
        public Builder to(String... emails) {
            for (String e : present(emails, "to")) {
                to.add(Address.of(e));
            }
            return this;
        }

        /** Adds a recipient, with its display name ({@link Address#of(String, String)}). */
        public Builder to(Address address) {
            to.add(address);
            return this;
        }

        /** Adds copy recipients. */
        public Builder cc(String... emails) {
            for (String e : present(emails, "cc")) {
                cc.add(Address.of(e));
            }
            return this;
        }

        /** Adds a copy recipient, with its display name. */
        public Builder cc(Address address) {
            cc.add(address);
            return this;
        }

        /** Adds blind copy recipients: they receive the message and appear in no header. */
        public Builder bcc(String... emails) {
            for (String e : present(emails, "bcc")) {
                bcc.add(Address.of(e));
            }
            return this;
        }

        /** Adds a blind copy recipient. */
        public Builder bcc(Address address) {
            bcc.add(address);
            return this;
        }

        /** The subject: required, one line, at most {@value Mail#MAX_SUBJECT} characters. */
        public Builder subject(String subject) {
            this.subject = subject;
            return this;
        }

        /** The text body; with a template, the text fallback body. */
        public Builder text(String text) {
            this.text = text;
            return this;
        }

        /** The HTML body; with a template, the HTML fallback body. */
        public Builder html(String html) {
            this.html = html;
            return this;
        }

        /** Renders the body from a Mailtarget template. */
        public Builder template(String templateId) {
            this.templateId = templateId;
            return this;
        }

        /** Adds substitution data for every recipient. */
        public Builder substitution(String key, String value) {
            substitutionData.put(key, value);
            return this;
        }

        /** Adds substitution data for every recipient. */
        public Builder substitutionData(Map<String, String> data) {
            substitutionData.putAll(present(data, "substitutionData"));
            return this;
        }

        /**
         * Adds substitution data for one {@code to} recipient; the message is then sent once per recipient. Such a
         * message cannot have cc or bcc recipients.
         */
        public Builder recipientData(String email, Map<String, String> data) {
            present(email, "recipientData");
            recipientData
                    .computeIfAbsent(email.toLowerCase(Locale.ROOT), k -> new LinkedHashMap<>())
                    .putAll(present(data, "recipientData." + email));
            return this;
        }

        /** Adds a custom header; the standard ones (From, Subject, Message-ID, ...) are set by their own methods. */
        public Builder header(String name, String value) {
            for (String existing : headers.keySet()) {
                if (existing.equalsIgnoreCase(name)) {
                    throw new InvalidMailException("headers." + name, "set twice");
                }
            }
            headers.put(name, value);
            return this;
        }

        /**
         * Adds an attachment or inline part: {@code Attachment.named("invoice.pdf").type("application/pdf").bytes(pdf)}
         * or {@code Attachment.inline("logo").named("logo.png").type("image/png").bytes(png)}.
         */
        public Builder attach(Attachment attachment) {
            attachments.add(attachment);
            return this;
        }

        /** Adds metadata; Mailtarget returns it in webhook events for this message. */
        public Builder metadata(String key, String value) {
            metadata.put(key, value);
            return this;
        }

        /** Tracking options for transports that apply them (the API); null restores the account's defaults. */
        public Builder tracking(TrackingOptions tracking) {
            this.tracking = tracking == null ? TrackingOptions.DEFAULT : tracking;
            return this;
        }

        /**
         * Validates and builds the message.
         *
         * @throws InvalidMailException naming the first field that is wrong
         */
        public Mail build() {
            if (id != null && !ID.matcher(id).matches()) {
                throw new InvalidMailException(
                        "id", "use 1 to 128 ASCII letters, digits, '.', '_' or '-', starting with a letter or digit");
            }
            if (from == null) {
                throw new InvalidMailException("from", "a sender is required");
            }
            if (to.isEmpty()) {
                throw new InvalidMailException("to", "at least one recipient is required");
            }
            checkRecipients();
            Text.requireNonBlank("subject", subject);
            Text.requireSingleLine("subject", subject);
            Text.requireMaxLength("subject", subject, MAX_SUBJECT);
            checkBody();
            checkSubstitution();
            checkHeaders();
            checkAttachments();
            checkMetadata();
            return new Mail(this);
        }

        private void checkRecipients() {
            int count = to.size() + cc.size() + bcc.size();
            if (count > MAX_RECIPIENTS) {
                throw new InvalidMailException("to", count + " recipients; at most " + MAX_RECIPIENTS);
            }
            Set<String> seen = new HashSet<>();
            for (List<Address> list : List.of(to, cc, bcc)) {
                for (Address a : list) {
                    if (a == null) {
                        throw new InvalidMailException("to", "a recipient is null");
                    }
                    if (!seen.add(a.key())) {
                        throw new InvalidMailException("to", a.email() + " is listed twice");
                    }
                }
            }
        }

        private void checkBody() {
            if (text == null && html == null && templateId == null) {
                throw new InvalidMailException("body", "a text body, an HTML body or a template is required");
            }
            if (text != null) {
                Text.requireMaxLength("text", text, MAX_BODY);
            }
            if (html != null) {
                Text.requireMaxLength("html", html, MAX_BODY);
            }
            if (templateId != null && !TEMPLATE_ID.matcher(templateId).matches()) {
                throw new InvalidMailException("templateId", "use 1 to 256 printable characters without spaces");
            }
        }

        private void checkSubstitution() {
            checkSubstitutionKeys("substitutionData", substitutionData);
            if (!recipientData.isEmpty()) {
                if (!cc.isEmpty() || !bcc.isEmpty()) {
                    throw new InvalidMailException(
                            "recipientData", "a message sent once per recipient cannot have cc or bcc recipients");
                }
                Set<String> toKeys = new HashSet<>();
                to.forEach(a -> toKeys.add(a.key()));
                for (Map.Entry<String, Map<String, String>> e : recipientData.entrySet()) {
                    if (!toKeys.contains(e.getKey())) {
                        throw new InvalidMailException(
                                "recipientData", e.getKey() + " is not one of the 'to' recipients");
                    }
                    checkSubstitutionKeys("recipientData." + e.getKey(), e.getValue());
                    Map<String, String> merged = new LinkedHashMap<>(substitutionData);
                    merged.putAll(e.getValue());
                    checkSubstitutionSize("recipientData." + e.getKey(), merged);
                }
            }
            checkSubstitutionSize("substitutionData", substitutionData);
        }

        private static void checkSubstitutionKeys(String field, Map<String, String> data) {
            for (Map.Entry<String, String> e : data.entrySet()) {
                String key = e.getKey();
                if (key == null || !SUBSTITUTION_KEY.matcher(key).matches()) {
                    throw new InvalidMailException(
                            field, "key '" + key + "' must start with a letter and hold only letters, digits and '_'");
                }
                if (RESERVED_SUBSTITUTION_KEYS.contains(key.toLowerCase(Locale.ROOT))) {
                    throw new InvalidMailException(field, "key '" + key + "' is reserved by Mailtarget");
                }
                if (e.getValue() == null) {
                    throw new InvalidMailException(field, "key '" + key + "' has no value");
                }
            }
        }

        private static void checkSubstitutionSize(String field, Map<String, String> data) {
            if (Text.jsonSize(data) > MAX_SUBSTITUTION_BYTES) {
                throw new InvalidMailException(field, "larger than " + MAX_SUBSTITUTION_BYTES + " bytes");
            }
        }

        private void checkHeaders() {
            if (headers.size() > MAX_HEADERS) {
                throw new InvalidMailException("headers", headers.size() + " headers; at most " + MAX_HEADERS);
            }
            for (Map.Entry<String, String> e : headers.entrySet()) {
                String name = e.getKey();
                if (name == null || !HEADER_NAME.matcher(name).matches()) {
                    throw new InvalidMailException(
                            "headers", "'" + name + "' is not a header name (printable ASCII, no ':' or space)");
                }
                if (RESERVED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                    throw new InvalidMailException(
                            "headers." + name, "is set by Mailpath; use the builder's own method");
                }
                String value = e.getValue();
                if (value == null) {
                    throw new InvalidMailException("headers." + name, "has no value");
                }
                Text.requireSingleLine("headers." + name, value);
                Text.requireMaxLength("headers." + name, value, MAX_HEADER_VALUE);
            }
        }

        private void checkAttachments() {
            if (attachments.size() > MAX_ATTACHMENTS) {
                throw new InvalidMailException(
                        "attachments", attachments.size() + " attachments; at most " + MAX_ATTACHMENTS);
            }
            long total = 0;
            Set<String> contentIds = new HashSet<>();
            for (Attachment a : attachments) {
                if (a == null) {
                    throw new InvalidMailException("attachments", "an attachment is null");
                }
                if (a.contentId() != null && !contentIds.add(a.contentId())) {
                    throw new InvalidMailException("attachments", "content id '" + a.contentId() + "' used twice");
                }
                total += a.size();
            }
            if (total > MAX_ATTACHMENT_BYTES) {
                throw new InvalidMailException("attachments", total + " bytes in all; at most " + MAX_ATTACHMENT_BYTES);
            }
        }

        private void checkMetadata() {
            for (Map.Entry<String, String> e : metadata.entrySet()) {
                String key = e.getKey();
                if (key == null || key.isBlank()) {
                    throw new InvalidMailException("metadata", "a key is blank");
                }
                if (key.equals(ID_METADATA_KEY) || key.equals(STREAM_METADATA_KEY)) {
                    throw new InvalidMailException("metadata", "key '" + key + "' is reserved");
                }
                if (e.getValue() == null) {
                    throw new InvalidMailException("metadata." + key, "has no value");
                }
                Text.requireSingleLine("metadata." + key, key);
                Text.requireSingleLine("metadata." + key, e.getValue());
                Text.requireMaxLength("metadata." + key, key, MAX_METADATA_KEY);
                Text.requireMaxLength("metadata." + key, e.getValue(), MAX_METADATA_VALUE);
            }
            if (Text.jsonSize(metadata) > MAX_METADATA_BYTES) {
                throw new InvalidMailException("metadata", "larger than " + MAX_METADATA_BYTES + " bytes");
            }
        }
    }
}
