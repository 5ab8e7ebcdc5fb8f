package io.mailpath.outbox;

import io.mailpath.Address;
import io.mailpath.FailureKind;
import io.mailpath.Mail;
import io.mailpath.MailException;
import io.mailpath.RejectedRecipient;
import io.mailpath.SendReceipt;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Which recipients of an outbox entry got their copy, and which did not and why: kept in the row (columns {@code
 * delivered_to} and {@code undelivered}) so that a later try sends only the missing copies, never a second one to a
 * recipient who got theirs.
 *
 * <p>A recipient refused with {@link FailureKind#REJECTED} is refused for good and never tried again; any other kind
 * (a greylisting 451, a reset before the content, an uncertain end) is tried again with the entry.
 *
 * @param deliveredTo the recipients (addresses in lower case) a transport accepted, in the order they were reached
 * @param undelivered the recipients not reached, each with its latest failure
 */
record RecipientProgress(Set<String> deliveredTo, List<RejectedRecipient> undelivered) {
    /** No copy sent yet. */
    static final RecipientProgress NONE = new RecipientProgress(Set.of(), List.of());

    RecipientProgress {
        deliveredTo = Collections.unmodifiableSet(new LinkedHashSet<>(deliveredTo));
        undelivered = List.copyOf(undelivered);
    }

    /** What a receipt adds: its accepted recipients reached, its refused ones with their failure. */
    RecipientProgress after(SendReceipt receipt) {
        Set<String> reached = new LinkedHashSet<>(deliveredTo);
        receipt.accepted().forEach(address -> reached.add(key(address)));
        Map<String, RejectedRecipient> missed = new LinkedHashMap<>();
        undelivered.forEach(r -> missed.put(key(r.address()), r));
        receipt.rejected().forEach(r -> missed.put(key(r.address()), r));
        reached.forEach(missed::remove);
        return new RecipientProgress(reached, new ArrayList<>(missed.values()));
    }

    /** These recipients refused for good with the failure of the copy that was meant for them. */
    RecipientProgress refusedForGood(List<Address> recipients, MailException failure) {
        Map<String, RejectedRecipient> missed = new LinkedHashMap<>();
        undelivered.forEach(r -> missed.put(key(r.address()), r));
        for (Address a : recipients) {
            missed.put(
                    key(a.email()),
                    new RejectedRecipient(a.email(), FailureKind.REJECTED, failure.status(), failure.getMessage()));
        }
        return new RecipientProgress(deliveredTo, new ArrayList<>(missed.values()));
    }

    /** The recipients of {@code mail} still to be tried: neither reached nor refused for good. */
    List<Address> stillToTry(Mail mail) {
        Set<String> refused = new LinkedHashSet<>();
        undelivered.stream().filter(r -> r.kind() == FailureKind.REJECTED).forEach(r -> refused.add(key(r.address())));
        List<Address> left = new ArrayList<>();
        for (Address a : mail.allRecipients()) {
            String k = key(a.email());
            if (!deliveredTo.contains(k) && !refused.contains(k)) {
                left.add(a);
            }
        }
        return left;
    }

    /** Whether any recipient still to be tried may have received a copy already (an uncertain end). */
    boolean anyUncertain() {
        return undelivered.stream().anyMatch(r -> r.kind() == FailureKind.UNCERTAIN);
    }

    /**
     * The message to send next: {@code mail} itself while no recipient was reached; otherwise a copy for the
     * recipients still to be tried only, one copy each addressed to that recipient alone (a copy cannot show the
     * original To and Cc without going to them again, and Bcc recipients must never see each other).
     */
    Mail remaining(Mail mail) {
        if (deliveredTo.isEmpty() && undelivered.stream().noneMatch(r -> r.kind() == FailureKind.REJECTED)) {
            return mail;
        }
        List<Address> left = stillToTry(mail);
        if (left.size() == mail.allRecipients().size()) {
            return mail;
        }
        return MailCodec.withRecipients(mail, left);
    }

    private static String key(String address) {
        return address.toLowerCase(Locale.ROOT);
    }

    /** The {@code delivered_to} column: a JSON array of addresses, or null when no copy was sent yet. */
    String deliveredToJson() {
        if (deliveredTo.isEmpty()) {
            return null;
        }
        JsonArrayBuilder json = MailCodec.JSON.createArrayBuilder();
        deliveredTo.forEach(json::add);
        return json.build().toString();
    }

    /** The {@code undelivered} column: a JSON array of {address, kind, status, reason}, or null when empty. */
    String undeliveredJson() {
        if (undelivered.isEmpty()) {
            return null;
        }
        JsonArrayBuilder json = MailCodec.JSON.createArrayBuilder();
        for (RejectedRecipient r : undelivered) {
            var o = MailCodec.JSON
                    .createObjectBuilder()
                    .add("address", r.address())
                    .add("kind", r.kind().name())
                    .add("status", r.status());
            if (r.reason() != null) {
                o.add("reason", OutboxStore.fit(r.reason(), 500));
            }
            json.add(o);
        }
        return json.build().toString();
    }

    /** The progress stored in a row's two columns (each may be null). */
    static RecipientProgress of(String deliveredToJson, String undeliveredJson) {
        if (deliveredToJson == null && undeliveredJson == null) {
            return NONE;
        }
        Set<String> reached = new LinkedHashSet<>();
        if (deliveredToJson != null) {
            read(deliveredToJson).forEach(v -> reached.add(((jakarta.json.JsonString) v).getString()));
        }
        List<RejectedRecipient> missed = new ArrayList<>();
        if (undeliveredJson != null) {
            for (JsonValue v : read(undeliveredJson)) {
                JsonObject o = v.asJsonObject();
                missed.add(new RejectedRecipient(
                        o.getString("address"),
                        FailureKind.valueOf(o.getString("kind")),
                        o.getInt("status"),
                        o.getString("reason", null)));
            }
        }
        return new RecipientProgress(reached, missed);
    }

    private static JsonArray read(String json) {
        try (JsonReader reader = MailCodec.JSON.createReader(new StringReader(json))) {
            return reader.readArray();
        }
    }
}
