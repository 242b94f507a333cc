package io.midicatalog.diagnostics.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;
import org.junit.jupiter.api.Test;

class DaoSqlTest {
    interface SampleDao {
        @SqlQuery("SELECT id FROM files WHERE id = :id")
        List<Long> byId(long id);

        @SqlUpdate("DELETE FROM files")
        int wipe();
    }

    @Test
    void of_sqlQueryMethod_returnsItsText() {
        assertThat(DaoSql.of(SampleDao.class, "byId")).isEqualTo("SELECT id FROM files WHERE id = :id");
    }

    @Test
    void of_missingOrNonQueryMethod_failsNamingIt() {
        assertThatThrownBy(() -> DaoSql.of(SampleDao.class, "nope")).hasMessageContaining("0 methods named nope");
        assertThatThrownBy(() -> DaoSql.of(SampleDao.class, "wipe")).hasMessageContaining("wipe has no @SqlQuery");
    }
}
