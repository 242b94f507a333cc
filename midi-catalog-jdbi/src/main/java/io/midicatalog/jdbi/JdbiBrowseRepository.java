package io.midicatalog.jdbi;

import static io.midicatalog.jdbi.internal.Checks.db;

import io.midicatalog.api.BrowseRepository;
import io.midicatalog.api.Category;
import io.midicatalog.api.CategoryCount;
import io.midicatalog.api.CollectionCount;
import io.midicatalog.api.KeyCount;
import io.midicatalog.api.MusicalKey;
import io.midicatalog.api.NameCount;
import io.midicatalog.api.RecentFile;
import io.midicatalog.api.TimeSignature;
import io.midicatalog.api.TimeSignatureCount;
import io.midicatalog.jdbi.internal.BrowseDao;
import io.midicatalog.jdbi.internal.Checks;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/** {@link BrowseRepository} over the count table of schema V4 (see its comment for why). */
public final class JdbiBrowseRepository implements BrowseRepository {
    private final BrowseDao dao;

    public JdbiBrowseRepository(Jdbi readJdbi) {
        this.dao = readJdbi.onDemand(BrowseDao.class);
    }

    @Override
    public List<NameCount> manufacturers() {
        return db("list manufacturers", dao::manufacturers);
    }

    @Override
    public List<CollectionCount> collections() {
        return db("list collections", dao::collections);
    }

    @Override
    public List<CollectionCount> collections(String manufacturer) {
        String name = Checks.exact(manufacturer, "manufacturer");
        return db("list the collections of '" + name + "'", () -> dao.collections(name));
    }

    @Override
    public List<KeyCount> keys() {
        return db("list keys", () -> dao.codes("key")).stream()
                .map(c -> new KeyCount(MusicalKey.fromCode(c.code()), c.files())).toList();
    }

    @Override
    public List<CategoryCount> categories() {
        return db("list categories", () -> dao.codes("category")).stream()
                .map(c -> new CategoryCount(Category.fromCode(c.code()), c.files())).toList();
    }

    @Override
    public List<TimeSignatureCount> timeSignatures() {
        return db("list time signatures", dao::timeSignatures).stream()
                .map(m -> new TimeSignatureCount(new TimeSignature(m.numerator(), m.denominator()), m.files()))
                .toList();
    }

    @Override
    public List<RecentFile> recentFiles(int limit) {
        Checks.limit(limit, MAX_RECENT);
        return db("list recently imported files", () -> dao.recent(limit));
    }
}
