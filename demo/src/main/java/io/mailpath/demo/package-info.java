/**
 * The demo web application (not a published API): a page on Open Liberty that sends mail through Mailpath and shows
 * which path delivered it, with an embedded SMTP relay and a stand-in for Mailtarget's API when no real endpoint is
 * configured. {@link io.mailpath.demo.DemoResource} is what the page calls; {@link io.mailpath.demo.StandIn} is the
 * stand-in's state. Read it as an example of an application wiring Mailpath's modules together.
 */
package io.mailpath.demo;
