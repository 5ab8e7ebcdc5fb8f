package io.mailpath.demo;

import jakarta.json.Json;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Any other failure reaches the page as a short typed error, never as a stack trace (which goes to the log). */
@Provider
public class UnexpectedErrorMapper implements ExceptionMapper<Exception> {
    private static final Logger LOG = Logger.getLogger(UnexpectedErrorMapper.class.getName());

    @Override
    public Response toResponse(Exception e) {
        if (e instanceof WebApplicationException w) {
            return Response.status(w.getResponse().getStatus())
                    .type(MediaType.APPLICATION_JSON)
                    .entity(Json.createObjectBuilder()
                            .add("error", e.getClass().getSimpleName())
                            .add("message", String.valueOf(e.getMessage()))
                            .build())
                    .build();
        }
        LOG.log(Level.WARNING, "Demo request failed", e);
        return Response.serverError()
                .type(MediaType.APPLICATION_JSON)
                .entity(Json.createObjectBuilder()
                        .add("error", e.getClass().getSimpleName())
                        .add("message", String.valueOf(e.getMessage()))
                        .build())
                .build();
    }
}
