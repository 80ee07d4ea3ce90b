using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Shoal.Node.Storage;

/// <summary>
/// The node's torrents and the settings changed through its API in SQLite (<c>DATA/node.db</c>). One connection behind a lock: the node writes a
/// few rows per user action, and every write is its own transaction, so a crash leaves each row whole.
/// </summary>
public sealed class NodeStore : IDisposable
{
    private const string Columns = "id, source_kind, source, save_path, state, error, upload_limit, download_limit, added_at, file_priorities";

    private readonly SqliteConnection _connection;
    private readonly Lock _gate = new();
    private bool _disposed;

    private NodeStore(SqliteConnection connection)
    {
        _connection = connection;
    }

    public static NodeStore Open(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false }.ToString());
        try
        {
            connection.Open();
            NodeSchema.Migrate(connection);
            return new NodeStore(connection);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Adds the torrent, or replaces the row with its id.</summary>
    public void Save(StoredTorrent torrent)
    {
        ArgumentNullException.ThrowIfNull(torrent);
        Write(
            $"INSERT OR REPLACE INTO torrents ({Columns}) VALUES ($id, $kind, $source, $savePath, $state, $error, $up, $down, $added, $priorities)",
            command =>
            {
                command.Parameters.AddWithValue("$id", torrent.Id);
                command.Parameters.AddWithValue("$kind", torrent.SourceKind.ToString());
                command.Parameters.AddWithValue("$source", torrent.Source);
                command.Parameters.AddWithValue("$savePath", torrent.SavePath);
                command.Parameters.AddWithValue("$state", torrent.State.ToString());
                command.Parameters.AddWithValue("$error", (object?)torrent.Error ?? DBNull.Value);
                command.Parameters.AddWithValue("$up", torrent.UploadLimit);
                command.Parameters.AddWithValue("$down", torrent.DownloadLimit);
                command.Parameters.AddWithValue("$added", torrent.AddedAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
                command.Parameters.AddWithValue("$priorities", (object?)torrent.FilePriorities ?? DBNull.Value);
            });
    }

    public void SetState(string id, NodeTorrentState state, string? error) =>
        Write(
            "UPDATE torrents SET state = $state, error = $error WHERE id = $id",
            command =>
            {
                command.Parameters.AddWithValue("$id", id);
                command.Parameters.AddWithValue("$state", state.ToString());
                command.Parameters.AddWithValue("$error", (object?)error ?? DBNull.Value);
            });

    public void SetLimits(string id, long upload, long download) =>
        Write(
            "UPDATE torrents SET upload_limit = $up, download_limit = $down WHERE id = $id",
            command =>
            {
                command.Parameters.AddWithValue("$id", id);
                command.Parameters.AddWithValue("$up", upload);
                command.Parameters.AddWithValue("$down", download);
            });

    /// <summary>Records the user's choice of files (one priority byte per file of the torrent's list).</summary>
    public void SetFilePriorities(string id, byte[] priorities) =>
        Write(
            "UPDATE torrents SET file_priorities = $priorities WHERE id = $id",
            command =>
            {
                command.Parameters.AddWithValue("$id", id);
                command.Parameters.AddWithValue("$priorities", priorities);
            });

    /// <summary>Replaces what the torrent is restored from, e.g. a magnet link by its metadata once fetched.</summary>
    public void SetSource(string id, TorrentSourceKind kind, byte[] source) =>
        Write(
            "UPDATE torrents SET source_kind = $kind, source = $source WHERE id = $id",
            command =>
            {
                command.Parameters.AddWithValue("$id", id);
                command.Parameters.AddWithValue("$kind", kind.ToString());
                command.Parameters.AddWithValue("$source", source);
            });

    public void Delete(string id) =>
        Write("DELETE FROM torrents WHERE id = $id", command => command.Parameters.AddWithValue("$id", id));

    public IReadOnlyList<StoredTorrent> All()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using SqliteCommand command = _connection.CreateCommand();
            command.CommandText = $"SELECT {Columns} FROM torrents ORDER BY added_at, id";
            using SqliteDataReader reader = command.ExecuteReader();
            var torrents = new List<StoredTorrent>();
            while (reader.Read())
            {
                torrents.Add(new StoredTorrent(
                    reader.GetString(0),
                    Enum.Parse<TorrentSourceKind>(reader.GetString(1)),
                    (byte[])reader.GetValue(2),
                    reader.GetString(3),
                    Enum.Parse<NodeTorrentState>(reader.GetString(4)),
                    reader.IsDBNull(5) ? null : reader.GetString(5),
                    reader.GetInt64(6),
                    reader.GetInt64(7),
                    DateTimeOffset.Parse(reader.GetString(8), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal))
                {
                    FilePriorities = reader.IsDBNull(9) ? null : (byte[])reader.GetValue(9),
                });
            }

            return torrents;
        }
    }

    /// <summary>A setting a user changed through the API; null when never changed.</summary>
    public string? LoadSetting(string name)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using SqliteCommand command = _connection.CreateCommand();
            command.CommandText = "SELECT value FROM settings WHERE name = $name";
            command.Parameters.AddWithValue("$name", name);
            return command.ExecuteScalar() as string;
        }
    }

    public void SaveSetting(string name, string value) =>
        Write(
            "INSERT OR REPLACE INTO settings (name, value) VALUES ($name, $value)",
            command =>
            {
                command.Parameters.AddWithValue("$name", name);
                command.Parameters.AddWithValue("$value", value);
            });

    /// <summary>Closes the database once no write is running; what the engine reports after that (a torrent finishing as the node stops) is not recorded.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _connection.Dispose();
        }
    }

    private void Write(string sql, Action<SqliteCommand> bind)
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            using SqliteTransaction transaction = _connection.BeginTransaction();
            using SqliteCommand command = _connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = sql;
            bind(command);
            command.ExecuteNonQuery();
            transaction.Commit();
        }
    }
}
