/**
 * The Mailtarget transmission API transport ({@code "api"}): a MicroProfile Rest Client with JSON-B types that match
 * Mailtarget's OpenAPI spec.
 *
 * <pre>
 * mailpath.api.key=${MAILTARGET_API_KEY}
 * # optional: mailpath.api.url=https://transmission.mailtarget.co
 * </pre>
 */
package io.mailpath.transport.api;
