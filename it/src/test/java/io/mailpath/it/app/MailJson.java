package io.mailpath.it.app;

import io.mailpath.Attempt;
import io.mailpath.Mail;
import io.mailpath.MailException;
import io.mailpath.SendReceipt;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.core.MultivaluedMap;
import java.util.List;
import java.util.Map;

/** What the test endpoints share: a message from a form, and a receipt or an error as JSON. */
public final class MailJson {
    private MailJson() {}

    /**
     * A message from form fields: {@code from}, {@code to} (repeatable), {@code subject}, {@code text}, {@code html},
     * {@code id}, {@code template}, {@code sub.<name>}, {@code meta.<name>} and {@code rcpt.<address>} (that
     * recipient's own {@code name} substitution, which makes the message go out in parts).
     */
    public static Mail mail(MultivaluedMap<String, String> form) {
        Mail.Builder b = Mail.builder()
                .from(form.getFirst("from"))
                .subject(form.getFirst("subject"))
                .text(form.getFirst("text"))
                .html(form.getFirst("html"));
        if (form.getFirst("id") != null) {
            b.id(form.getFirst("id"));
        }
        if (form.getFirst("template") != null) {
            b.template(form.getFirst("template"));
        }
        for (String to : form.getOrDefault("to", List.of())) {
            b.to(to);
        }
        for (Map.Entry<String, List<String>> e : form.entrySet()) {
            if (e.getKey().startsWith("sub.")) {
                b.substitution(e.getKey().substring(4), e.getValue().get(0));
            } else if (e.getKey().startsWith("meta.")) {
                b.metadata(e.getKey().substring(5), e.getValue().get(0));
            } else if (e.getKey().startsWith("rcpt.")) {
                b.recipientData(
                        e.getKey().substring(5), Map.of("name", e.getValue().get(0)));
            }
        }
        return b.build();
    }

    /** A receipt: the transport that delivered, its stream, the ids, whether it failed over, and every attempt. */
    public static JsonObjectBuilder receipt(SendReceipt r) {
        JsonObjectBuilder o = Json.createObjectBuilder()
                .add("transport", r.transport())
                .add("stream", r.stream())
                .add("mailId", r.mailId())
                .add("failedOver", r.failedOver())
                .add("possibleDuplicate", r.possibleDuplicate())
                .add("attempts", attempts(r.attempts()));
        if (r.transmissionId() != null) {
            o.add("transmissionId", r.transmissionId());
        }
        if (r.messageId() != null) {
            o.add("messageId", r.messageId());
        }
        return o;
    }

    /** An error: its type, kind, status and message, and every attempt when all paths failed. */
    public static JsonObjectBuilder error(MailException e) {
        JsonObjectBuilder o = Json.createObjectBuilder()
                .add("type", e.getClass().getSimpleName())
                .add("kind", e.kind().name())
                .add("status", e.status())
                .add("message", String.valueOf(e.getMessage()));
        if (!e.attempts().isEmpty()) {
            o.add("attempts", attempts(e.attempts()));
        }
        return o;
    }

    private static JsonArrayBuilder attempts(List<Attempt> attempts) {
        JsonArrayBuilder a = Json.createArrayBuilder();
        for (Attempt at : attempts) {
            JsonObjectBuilder o = Json.createObjectBuilder()
                    .add("transport", at.transport())
                    .add("failure", at.failure() == null ? "NONE" : at.failure().name())
                    .add("status", at.status())
                    .add("ms", at.duration().toMillis());
            if (at.detail() != null) {
                o.add("detail", at.detail());
            }
            a.add(o);
        }
        return a;
    }
}
