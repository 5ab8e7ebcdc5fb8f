/**
 * The SMTP transport ({@code "smtp"}): Jakarta Mail over a pool of TLS connections.
 *
 * <pre>
 * mailpath.smtp.host=smtp.mtrgt.net
 * mailpath.smtp.username=smtp_mt_injection
 * mailpath.smtp.password=${MAILTARGET_API_KEY}
 * </pre>
 */
package io.mailpath.transport.smtp;
