package io.mailpath.transport.api;

import jakarta.json.Json;
import jakarta.json.stream.JsonGenerator;
import jakarta.json.stream.JsonGeneratorFactory;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.MessageBodyWriter;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Writes a {@link Transmission} as the JSON request body, streaming each attachment's content in base64 from its
 * source ({@link io.mailpath.Attachment#open()}) instead of holding it, or its base64, in memory: a file attachment is
 * read in small chunks while the body is written, whatever its size.
 *
 * <p>Every field but the attachments' {@code value} is written by a JSON-P {@link JsonGenerator}, the standard API that
 * every server has. A generator writes whole JSON texts only, so an object that gets a raw member is written by a
 * generator whose closing brace is held back ({@link OpenObject}); the raw member and the brace follow. The base64
 * alphabet needs no escaping in a JSON string, so the value is the quotes and the encoder's output.
 *
 * <p>Registered on the Rest Client for this one type: a writer for {@code Transmission} is nearer to the entity's type
 * than the JSON-B provider's {@code Object}, and the application's providers win over the implementation's own.
 *
 * <p>An attachment that cannot be read while the body is written fails the request with
 * {@link UnreadableAttachmentException}; a failure of the output stream is passed on as it is.
 */
@Produces(MediaType.APPLICATION_JSON)
final class TransmissionWriter implements MessageBodyWriter<Transmission> {
    /**
     * The priority it is registered with: before the user-level default, so that it is chosen however a client
     * orders its providers.
     */
    static final int PRIORITY = Priorities.USER - 1000;

    private static final int CHUNK = 48 * 1024; // a multiple of 3: whole base64 quanta per chunk
    /**
     * Gathers the many small writes (the JSON generator's output, quotes and commas) into blocks, so that an engine
     * that streams to the socket does not send them as tiny packets; larger writes pass straight through.
     */
    private static final int BUFFER = 8 * 1024;

    private final JsonGeneratorFactory json = Json.createGeneratorFactory(Map.of());

    @Override
    public boolean isWriteable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return Transmission.class.isAssignableFrom(type);
    }

    @Override
    public void writeTo(
            Transmission t,
            Class<?> type,
            Type genericType,
            Annotation[] annotations,
            MediaType mediaType,
            MultivaluedMap<String, Object> httpHeaders,
            OutputStream entityStream)
            throws IOException {
        // Not closed: the entity stream belongs to the client, and write() flushes what is buffered.
        write(t, new BufferedOutputStream(entityStream, BUFFER));
    }

    /** The request body of one transmission, in UTF-8; the stream is flushed, not closed. */
    void write(Transmission t, OutputStream out) throws IOException {
        openObject(out, g -> {
            string(g, "subject", t.subject());
            if (t.from() != null) {
                g.writeKey("from");
                address(g, t.from());
            }
            addresses(g, "replyTo", t.replyTo());
            addresses(g, "to", t.to());
            addresses(g, "cc", t.cc());
            addresses(g, "bcc", t.bcc());
            string(g, "bodyText", t.bodyText());
            string(g, "bodyHtml", t.bodyHtml());
            if (t.headers() != null) {
                g.writeStartArray("headers");
                for (Transmission.Header h : t.headers()) {
                    g.writeStartObject();
                    string(g, "name", h.name());
                    string(g, "value", h.value());
                    g.writeEnd();
                }
                g.writeEnd();
            }
            map(g, "metadata", t.metadata());
            if (t.optionsAttributes() != null) {
                Transmission.Options o = t.optionsAttributes();
                g.writeStartObject("optionsAttributes");
                bool(g, "clickTracking", o.clickTracking());
                bool(g, "openTracking", o.openTracking());
                bool(g, "transactional", o.transactional());
                g.writeEnd();
            }
            string(g, "templateId", t.templateId());
            map(g, "substitutionData", t.substitutionData());
        });
        List<Transmission.Attachment> attachments = t.attachments();
        if (attachments != null) {
            ascii(out, ",\"attachments\":[");
            for (int i = 0; i < attachments.size(); i++) {
                if (i > 0) {
                    ascii(out, ",");
                }
                attachment(out, attachments.get(i));
            }
            ascii(out, "]");
        }
        ascii(out, "}");
        out.flush();
    }

    private void attachment(OutputStream out, Transmission.Attachment a) throws IOException {
        openObject(out, g -> {
            string(g, "filename", a.filename());
            string(g, "mimeType", a.mimeType());
            string(g, "contentId", a.contentId());
            string(g, "disposition", a.disposition());
        });
        ascii(out, ",\"value\":\"");
        base64(out, a.content());
        ascii(out, "\"}");
    }

    /** The content in base64, read in chunks; a read failure is told apart from a write failure. */
    private static void base64(OutputStream out, io.mailpath.Attachment content) throws IOException {
        InputStream in;
        try {
            in = content.open();
        } catch (IOException | RuntimeException e) {
            throw new UnreadableAttachmentException(content.filename(), e);
        }
        try (in) {
            OutputStream encoder = Base64.getEncoder().wrap(new Unclosed(out));
            byte[] chunk = new byte[CHUNK];
            while (true) {
                int n;
                try {
                    n = in.readNBytes(chunk, 0, chunk.length);
                } catch (IOException | RuntimeException e) {
                    throw new UnreadableAttachmentException(content.filename(), e);
                }
                if (n == 0) {
                    break;
                }
                encoder.write(chunk, 0, n);
            }
            // Writes the last quantum and its padding; the entity stream stays open. Not closed after a failure,
            // which would only write to a broken stream again.
            encoder.close();
        }
    }

    /** Write the members of an object; a generator writes them and its closing brace is held back. */
    private interface Members {
        void write(JsonGenerator g);
    }

    /**
     * Writes an object's opening brace and the members, leaving the object open: the generator's output reaches
     * {@code out} through {@link OpenObject}, which keeps back the final byte and checks that it is the closing brace.
     * The members must not be empty, so that a raw member written next starts with a comma.
     */
    private void openObject(OutputStream out, Members members) throws IOException {
        OpenObject open = new OpenObject(out);
        try (JsonGenerator g = json.createGenerator(open, StandardCharsets.UTF_8)) {
            g.writeStartObject();
            members.write(g);
            g.writeEnd();
        }
        open.checkHeldBackBrace();
    }

    private static void string(JsonGenerator g, String name, String value) {
        if (value != null) {
            g.write(name, value);
        }
    }

    private static void bool(JsonGenerator g, String name, Boolean value) {
        if (value != null) {
            g.write(name, value);
        }
    }

    private static void address(JsonGenerator g, Transmission.Address a) {
        g.writeStartObject();
        string(g, "email", a.email());
        string(g, "name", a.name());
        g.writeEnd();
    }

    private static void addresses(JsonGenerator g, String name, List<Transmission.Address> list) {
        if (list != null) {
            g.writeStartArray(name);
            list.forEach(a -> address(g, a));
            g.writeEnd();
        }
    }

    private static void map(JsonGenerator g, String name, Map<String, String> map) {
        if (map != null) {
            g.writeStartObject(name);
            map.forEach((k, v) -> string(g, k, v));
            g.writeEnd();
        }
    }

    private static void ascii(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.US_ASCII));
    }

    /** Passes everything through to the entity stream but its last byte, and never closes it. */
    private static final class OpenObject extends FilterOutputStream {
        private int held = -1;

        OpenObject(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            if (held >= 0) {
                out.write(held);
            }
            held = b & 0xFF;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (len <= 0) {
                return;
            }
            if (held >= 0) {
                out.write(held);
            }
            out.write(b, off, len - 1);
            held = b[off + len - 1] & 0xFF;
        }

        @Override
        public void close() throws IOException {
            flush();
        }

        void checkHeldBackBrace() {
            if (held != '}') {
                throw new IllegalStateException("the JSON generator did not end the object with '}'");
            }
        }
    }

    /** The entity stream, which the base64 encoder may flush but must not close. */
    private static final class Unclosed extends FilterOutputStream {
        Unclosed(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
