package io.mailpath.it.app;

import io.mailpath.Mail;
import io.mailpath.MailException;
import io.mailpath.MailTransport;
import io.mailpath.SendReceipt;
import io.mailpath.TransportName;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * A test-only endpoint inside the deployment: builds a message from a form, sends it through the injected
 * {@code MailTransport} (or the one selected with {@code @TransportName}) and answers with the receipt or the error.
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
            Mail m = MailJson.mail(form);
            if ("async".equals(via)) {
                return async(m);
            }
            if ("fan-out".equals(via)) {
                return fanOut(m);
            }
            SendReceipt r = ("smtp".equals(via) ? smtp : mail).send(m);
            return Response.ok(MailJson.receipt(r).build()).build();
        } catch (MailException e) {
            return Response.status(422).entity(MailJson.error(e).build()).build();
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
            return Response.ok(MailJson.receipt(r)
                            .add("requestThread", Thread.currentThread().getName())
                            .add("sendingThread", threadName(sendingThread.get()))
                            .add("doneOnReturn", doneOnReturn)
                            .build())
                    .build();
        } catch (Exception e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            if (cause instanceof MailException me) {
                return Response.status(422).entity(MailJson.error(me).build()).build();
            }
            return Response.serverError().entity(cause.toString()).build();
        } finally {
            attempts.removeHandler(recorder);
            attempts.setLevel(previous);
        }
    }

    /** Sends a message that goes out in parts, answering with the threads that posted them. */
    private Response fanOut(Mail m) {
        // The API transport logs each transmission it posts, on the thread that posts it.
        Logger transport = Logger.getLogger("io.mailpath.transport.api.ApiTransport");
        List<Long> partThreads = new CopyOnWriteArrayList<>();
        Handler recorder = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (String.valueOf(record.getMessage()).contains(m.id())) {
                    partThreads.add(record.getLongThreadID());
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        recorder.setLevel(Level.ALL);
        Level previous = transport.getLevel();
        transport.setLevel(Level.ALL);
        transport.addHandler(recorder);
        try {
            SendReceipt r = mail.send(m);
            JsonArrayBuilder threads = Json.createArrayBuilder();
            partThreads.forEach(id -> threads.add(threadName(id)));
            return Response.ok(MailJson.receipt(r)
                            .add(
                                    "requestThread",
                                    threadName(Thread.currentThread().getId()))
                            .add("partThreads", threads)
                            .build())
                    .build();
        } finally {
            transport.removeHandler(recorder);
            transport.setLevel(previous);
        }
    }

    private static String threadName(long id) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getId() == id)
                .map(t -> t.getName() + " #" + id)
                .findFirst()
                .orElse("thread #" + id);
    }
}
