using Microsoft.Data.Sqlite;

namespace Shoal.Node.Storage;

/// <summary>The node database's schema, as numbered migrations applied in order and recorded in <c>user_version</c>.</summary>
internal static class NodeSchema
{
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE torrents (
            id TEXT PRIMARY KEY,
            source_kind TEXT NOT NULL,
            source BLOB NOT NULL,
            save_path TEXT NOT NULL,
            state TEXT NOT NULL,
            error TEXT,
            upload_limit INTEGER NOT NULL,
            download_limit INTEGER NOT NULL,
            added_at TEXT NOT NULL
        ) WITHOUT ROWID;
        """,
        """
        CREATE TABLE settings (
            name TEXT PRIMARY KEY,
            value TEXT NOT NULL
        ) WITHOUT ROWID;
        """,
        """
        ALTER TABLE torrents ADD COLUMN file_priorities BLOB;
        """,
    ];

    public static void Migrate(SqliteConnection connection)
    {
        using SqliteTransaction transaction = connection.BeginTransaction();
        long version = Scalar(connection, transaction, "PRAGMA user_version");
        for (long next = version; next < Migrations.Length; next++)
        {
            using SqliteCommand migrate = connection.CreateCommand();
            migrate.Transaction = transaction;
            migrate.CommandText = $"{Migrations[next]}\nPRAGMA user_version = {next + 1};";
            migrate.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    private static long Scalar(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }
}
