package io.mailpath.it.app;

import io.mailpath.Attempt;
import io.mailpath.Mail;
import io.mailpath.MailException;
import io.mailpath.MailFailoverException;
import io.mailpath.MailTransport;
import io.mailpath.SendReceipt;
import io.mailpath.TransportName;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * A test-only endpoint inside the deployment: builds a message from a form, sends it through the injected
 * {@code MailTransport} (or the one selected with {@code @Transport}) and answers with the receipt or the error.
 */
@Path("mail")
@RequestScoped
public class MailResource {
    @Inject
    MailTransport mail;

    @Inject
    @TransportName("smtp")
    MailTransport smtp;

    @POST
    @Path("send")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_JSON)
    public Response send(MultivaluedMap<String, String> form) {
        String via = form.getFirst("via");
        try {
            Mail m = build(form);
            if ("async".equals(via)) {
                return async(m);
            }
            SendReceipt r = ("smtp".equals(via) ? smtp : mail).send(m);
            return Response.ok(receipt(r).build()).build();
        } catch (MailException e) {
            return Response.status(422).entity(error(e).build()).build();
        }
    }

    private Response async(Mail m) {
        // Which thread sends: Mailpath logs each attempt, and a log record knows its thread.
        Logger attempts = Logger.getLogger("io.mailpath.routing.SendContext");
        AtomicLong sendingThread = new AtomicLong(-1);
        Handler recorder = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (String.valueOf(record.getMessage()).contains(m.id())) {
                    sendingThread.set(record.getLongThreadID());
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        recorder.setLevel(Level.ALL);
        Level previous = attempts.getLevel();
        attempts.setLevel(Level.ALL);
        attempts.addHandler(recorder);
        try {
            CompletableFuture<SendReceipt> stage = mail.sendAsync(m).toCompletableFuture();
            boolean doneOnReturn = stage.isDone();
            SendReceipt r = stage.get(60, TimeUnit.SECONDS);
            return Response.ok(receipt(r)
                            .add("requestThread", Thread.currentThread().getName())
                            .add("sendingThread", threadName(sendingThread.get()))
                            .add("doneOnReturn", doneOnReturn)
                            .build())
                    .build();
        } catch (Exception e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            if (cause instanceof MailException me) {
                return Response.status(422).entity(error(me).build()).build();
            }
            return Response.serverError().entity(cause.toString()).build();
        } finally {
            attempts.removeHandler(recorder);
            attempts.setLevel(previous);
        }
    }

    private static String threadName(long id) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getId() == id)
                .map(t -> t.getName() + " #" + id)
                .findFirst()
                .orElse("thread #" + id);
    }

    private static Mail build(MultivaluedMap<String, String> form) {
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
            }
        }
        return b.build();
    }

    private static JsonObjectBuilder receipt(SendReceipt r) {
        JsonObjectBuilder o = Json.createObjectBuilder()
                .add("transport", r.transport())
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

    private static JsonObjectBuilder error(MailException e) {
        JsonObjectBuilder o = Json.createObjectBuilder()
                .add("type", e.getClass().getSimpleName())
                .add("kind", e.kind().name())
                .add("status", e.status())
                .add("message", String.valueOf(e.getMessage()));
        if (e instanceof MailFailoverException f) {
            o.add("attempts", attempts(f.attempts()));
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
