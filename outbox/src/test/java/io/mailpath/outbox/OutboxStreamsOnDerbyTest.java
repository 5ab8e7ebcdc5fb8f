package io.mailpath.outbox;

import javax.sql.DataSource;
import org.apache.derby.jdbc.EmbeddedDataSource;
import org.junit.jupiter.api.BeforeAll;

/** The outbox's streams on Apache Derby, embedded, in memory: its own SQLStates for what a migration finds done. */
class OutboxStreamsOnDerbyTest extends OutboxStreamScenarios {
    private static EmbeddedDataSource dataSource;

    @BeforeAll
    static void createDatabase() {
        System.setProperty("derby.stream.error.file", "target/derby.log");
        System.setProperty("derby.locks.waitTimeout", "20");
        dataSource = new EmbeddedDataSource();
        dataSource.setDatabaseName("memory:mailpath-outbox-streams");
        dataSource.setCreateDatabase("create");
    }

    @Override
    DataSource dataSource() {
        return dataSource;
    }

    @Override
    OutboxDialect dialect() {
        return OutboxDialect.DERBY;
    }
}
