package io.mailpath.outbox.property;

import javax.sql.DataSource;
import net.jqwik.api.Tag;
import org.apache.derby.jdbc.EmbeddedDataSource;

/** The generated chains on Apache Derby, embedded, in memory: the portable claim by conditional update. */
@Tag("slow")
class OutboxPropertiesOnDerbyTest extends OutboxChainProperties {
    private static EmbeddedDataSource dataSource;

    @Override
    synchronized DataSource dataSource() {
        if (dataSource == null) {
            System.setProperty("derby.stream.error.file", "target/derby.log");
            dataSource = new EmbeddedDataSource();
            dataSource.setDatabaseName("memory:mailpath-outbox-properties");
            dataSource.setCreateDatabase("create");
        }
        return dataSource;
    }
}
