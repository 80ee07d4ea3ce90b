using Microsoft.Extensions.Logging;
using Shoal.Tracker.Logging;

namespace Shoal.Tracker.Storage.Postgres;

/// <summary>The PostgreSQL store's log messages; event ids from 100 keep clear of <see cref="TrackerLog"/>'s.</summary>
internal static partial class PostgresLog
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Applied PostgreSQL schema migration {Version}")]
    public static partial void Migrated(ILogger logger, int version);

    [LoggerMessage(EventId = 101, Level = LogLevel.Debug, Message = "Swept {Peers} expired peers from PostgreSQL")]
    public static partial void Swept(ILogger logger, int peers);
}
