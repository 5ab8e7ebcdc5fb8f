package io.mailpath.transport.api;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * Mailtarget's transmission endpoint as a MicroProfile Rest Client. Errors come out as Mailpath's exceptions through
 * {@link MailtargetErrorMapper}.
 */
@RegisterRestClient(configKey = TransmissionClient.CONFIG_KEY)
@RegisterProvider(MailtargetErrorMapper.class)
@Path("/v1/layang/transmissions")
public interface TransmissionClient {
    /** The Rest Client config key: {@code mailtarget-api/mp-rest/url}, {@code .../connectTimeout}, {@code .../readTimeout}. */
    String CONFIG_KEY = "mailtarget-api";

    /**
     * Sends one transmission.
     *
     * @param authorization {@code Bearer <api key>}
     */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    Transmission.Result send(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, Transmission transmission);
}
