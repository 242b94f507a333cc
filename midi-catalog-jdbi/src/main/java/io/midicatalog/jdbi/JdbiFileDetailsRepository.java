package io.midicatalog.jdbi;

import static io.midicatalog.jdbi.internal.Checks.db;

import io.midicatalog.api.FileDetails;
import io.midicatalog.api.FileDetailsRepository;
import io.midicatalog.jdbi.internal.Checks;
import io.midicatalog.jdbi.internal.DetailsDao;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** {@link FileDetailsRepository} over PostgreSQL: one statement per file. */
public final class JdbiFileDetailsRepository implements FileDetailsRepository {
    private final DetailsDao dao;

    public JdbiFileDetailsRepository(Jdbi readJdbi) {
        this.dao = readJdbi.onDemand(DetailsDao.class);
    }

    @Override
    public Optional<FileDetails> get(long id) {
        Checks.id(id);
        return db("load the details of file " + id, () -> dao.get(id));
    }
}
