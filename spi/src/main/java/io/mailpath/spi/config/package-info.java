/**
 * Mailpath's configuration: each key one {@link io.mailpath.spi.config.ConfigKey} constant (name, type, default,
 * description, secret or not), read by one {@link io.mailpath.spi.config.ConfigReader} from MicroProfile Config or from
 * plain properties, with one error format that names the key. Each module lists its keys in a
 * {@link io.mailpath.spi.config.KeyGroup}, from which the configuration reference is generated.
 *
 * <pre>
 * static final ConfigKey&lt;Duration&gt; READ_TIMEOUT =
 *         ConfigKey.millis(ConfigKey.PREFIX + "smtp.read-timeout-ms", 60_000, "Time to wait for each reply.");
 *
 * Duration timeout = ConfigReader.of(config).get(READ_TIMEOUT);
 * </pre>
 */
package io.mailpath.spi.config;
