package io.mailpath.transport.api;

import io.mailpath.Address;
import io.mailpath.Attachment;
import io.mailpath.Mail;
import io.mailpath.MailException;
import io.mailpath.MailRejectedException;
import io.mailpath.MailStream;
import io.mailpath.TrackingOptions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Maps a {@link Mail} to transmission requests, without any I/O: one request, or one per recipient when the mail
 * carries per-recipient data (the API has top-level substitution data only). Empty lists and maps are left out. The
 * message's id travels as the {@value Mail#ID_HEADER} header and in metadata as {@value Mail#ID_METADATA_KEY}; a named
 * stream's name in metadata as {@value Mail#STREAM_METADATA_KEY}, so that delivery events say which stream sent it.
 * The unnamed stream adds nothing: its requests are the ones Mailpath sent before streams existed.
 *
 * <p>{@link Mail#MAX_METADATA_BYTES} bounds the application's own metadata; the two reserved entries come on top of it
 * (at most about 200 bytes: an id of up to 128 characters, a stream name of up to 32), so a message at the limit is
 * sent whole, never trimmed.
 */
final class TransmissionComposer {
    private final long maxRequestBytes;

    TransmissionComposer(long maxRequestBytes) {
        this.maxRequestBytes = maxRequestBytes;
    }

    /**
     * @throws MailRejectedException when the request would be larger than the API accepts
     */
    List<Transmission> compose(Mail mail) {
        checkSize(mail);
        List<Transmission.Attachment> attachments = attachments(mail);
        if (!mail.isPerRecipient()) {
            return List.of(compose(mail, mail.to(), mail.substitutionData(), attachments));
        }
        List<Transmission> result = new ArrayList<>(mail.to().size());
        for (Address rcpt : mail.to()) {
            result.add(compose(mail, List.of(rcpt), mail.substitutionDataFor(rcpt), attachments));
        }
        return result;
    }

    private static Transmission compose(
            Mail mail, List<Address> to, Map<String, String> substitution, List<Transmission.Attachment> attachments) {
        List<Transmission.Header> headers = new ArrayList<>();
        headers.add(new Transmission.Header(Mail.ID_HEADER, mail.id()));
        mail.headers().forEach((k, v) -> headers.add(new Transmission.Header(k, v)));
        Map<String, String> metadata = new LinkedHashMap<>(mail.metadata());
        metadata.put(Mail.ID_METADATA_KEY, mail.id());
        if (!mail.stream().equals(MailStream.DEFAULT)) {
            metadata.put(Mail.STREAM_METADATA_KEY, mail.stream());
        }
        boolean template = mail.hasTemplate();
        return new Transmission(
                mail.subject(),
                address(mail.from()),
                addresses(mail.replyTo()),
                addresses(to),
                addresses(mail.cc()),
                addresses(mail.bcc()),
                template ? null : mail.text(),
                template ? null : mail.html(),
                headers,
                attachments.isEmpty() ? null : attachments,
                metadata,
                options(mail.tracking()),
                mail.templateId(),
                substitution.isEmpty() ? null : substitution);
    }

    private void checkSize(Mail mail) {
        long size = 1024; // envelope, addresses and JSON syntax, roughly
        for (Attachment a : mail.attachments()) {
            size += base64Size(a.size()) + a.filename().length() + 128;
        }
        size += mail.text() == null ? 0 : utf8Upper(mail.text());
        size += mail.html() == null ? 0 : utf8Upper(mail.html());
        if (size > maxRequestBytes) {
            throw new MailRejectedException(
                    "The transmission would be about " + size + " bytes (attachments grow by 4/3 in base64); the API"
                            + " accepts at most " + maxRequestBytes,
                    ApiTransportProvider.NAME,
                    MailException.NO_STATUS,
                    null,
                    null);
        }
    }

    static long base64Size(long bytes) {
        return 4 * ((bytes + 2) / 3);
    }

    private static long utf8Upper(String s) {
        return 3L * s.length();
    }

    /** The attachments by reference: their content is read while the request is written, not here. */
    private static List<Transmission.Attachment> attachments(Mail mail) {
        List<Transmission.Attachment> result =
                new ArrayList<>(mail.attachments().size());
        for (Attachment a : mail.attachments()) {
            result.add(new Transmission.Attachment(
                    a.filename(),
                    a.contentType(),
                    a,
                    a.contentId(),
                    a.disposition().name().toLowerCase(Locale.ROOT)));
        }
        return result;
    }

    private static Transmission.Options options(TrackingOptions t) {
        return t.isSet() ? new Transmission.Options(t.clickTracking(), t.openTracking(), t.transactional()) : null;
    }

    private static Transmission.Address address(Address a) {
        return new Transmission.Address(a.email(), a.name());
    }

    private static List<Transmission.Address> addresses(List<Address> list) {
        return list.isEmpty()
                ? null
                : list.stream().map(TransmissionComposer::address).toList();
    }
}
