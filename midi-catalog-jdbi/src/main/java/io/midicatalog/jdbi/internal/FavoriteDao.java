package io.midicatalog.jdbi.internal;

import io.midicatalog.api.Favorite;
import java.time.OffsetDateTime;
import java.util.List;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Favorites. Not API. */
@RegisterConstructorMapper(Favorite.class)
public interface FavoriteDao {
    @SqlUpdate("""
            INSERT INTO favorites (file_id) SELECT id FROM files WHERE id = :fileId
            ON CONFLICT (file_id) DO NOTHING""")
    int add(long fileId);

    @SqlUpdate("DELETE FROM favorites WHERE file_id = :fileId")
    int remove(long fileId);

    String PAGE = """
            SELECT fav.file_id, f.filepath AS path, f.filename, fav.created_at AS added_at
              FROM favorites fav JOIN files f ON f.id = fav.file_id
            """;

    // serves by favorites_created (created_at, file_id), read backwards
    @SqlQuery(PAGE + " ORDER BY fav.created_at DESC, fav.file_id DESC LIMIT :limit")
    List<Favorite> first(int limit);

    // keyset: rows strictly after (older than) the last row of the previous page; to the microsecond
    @SqlQuery(PAGE + """
             WHERE (fav.created_at, fav.file_id) < (CAST(:after AS timestamptz), :afterId)
             ORDER BY fav.created_at DESC, fav.file_id DESC LIMIT :limit""")
    List<Favorite> after(OffsetDateTime after, long afterId, int limit);

    @SqlQuery("SELECT file_id FROM favorites WHERE file_id = ANY(:ids)")
    long[] among(long[] ids);

    @SqlQuery("SELECT EXISTS (SELECT 1 FROM favorites WHERE file_id = :fileId)")
    boolean isFavorite(long fileId);
}
