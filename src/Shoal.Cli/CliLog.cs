using Microsoft.Extensions.Logging;

namespace Shoal.Cli;

/// <summary>The CLI's log messages (shown with -v or SHOAL_LOGGING__LOGLEVEL__DEFAULT=Debug).</summary>
internal static partial class CliLog
{
    [LoggerMessage(Level = LogLevel.Debug, Message = "found {Files} files, {Bytes} bytes under {Path}")]
    public static partial void ContentFound(ILogger logger, int files, long bytes, string path);

    [LoggerMessage(Level = LogLevel.Debug, Message = "hashed {Bytes} bytes in {Seconds} s with {Threads} threads")]
    public static partial void Hashed(ILogger logger, long bytes, double seconds, int threads);

    [LoggerMessage(Level = LogLevel.Debug, Message = "read {Name}: {Version}, {Pieces} pieces, {Files} files")]
    public static partial void TorrentRead(ILogger logger, string? name, string version, int? pieces, int files);
}
