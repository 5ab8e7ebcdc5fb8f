/**
 * Mailpath's public API: what applications compile against.
 *
 * <pre>
 * &#64;Inject MailTransport mail;
 *
 * SendReceipt receipt = mail.send(Mail.builder()
 *         .from("billing@example.com", "Example").to("user@example.org")
 *         .subject("Your receipt").html("&lt;p&gt;Thanks.&lt;/p&gt;").build());
 * </pre>
 *
 * <p>Errors are unchecked {@link io.mailpath.MailException}s whose type says what can help.
 */
package io.mailpath;
