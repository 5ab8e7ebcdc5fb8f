package io.mailpath.it.streams;

import io.mailpath.MailException;
import io.mailpath.MailStream;
import io.mailpath.MailTransport;
import io.mailpath.SendingDomainException;
import io.mailpath.it.app.MailJson;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;

/**
 * A test-only endpoint of the deployment that names streams: sends a message from a form through
 * {@code @MailStream("transactional")} or {@code @MailStream("marketing")} and answers with the receipt or the error.
 * Its own package, so that only that deployment, whose configuration lists both streams, holds these injection points.
 */
@Path("streams")
@RequestScoped
public class StreamResource {
    @Inject
    @MailStream("transactional")
    MailTransport transactional;

    @Inject
    @MailStream("marketing")
    MailTransport marketing;

    @POST
    @Path("{stream}/send")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_JSON)
    public Response send(@PathParam("stream") String stream, MultivaluedMap<String, String> form) {
        MailTransport transport =
                switch (stream) {
                    case "transactional" -> transactional;
                    case "marketing" -> marketing;
                    default -> null;
                };
        if (transport == null) {
            return Response.status(Response.Status.NOT_FOUND).build();
        }
        try {
            return Response.ok(MailJson.receipt(transport.send(MailJson.mail(form)))
                            .add("injected", transport.toString())
                            .build())
                    .build();
        } catch (MailException e) {
            JsonObjectBuilder error = MailJson.error(e);
            if (e instanceof SendingDomainException refused) {
                // What the exception carries, beyond its message, as it left the stream.
                error.add("stream", refused.stream()).add("domain", refused.domain());
            }
            return Response.status(422).entity(error.build()).build();
        }
    }
}
