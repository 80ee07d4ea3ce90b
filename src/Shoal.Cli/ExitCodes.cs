namespace Shoal.Cli;

public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The input (a file, a link, a torrent) was bad or an operation on it failed.</summary>
    public const int BadInput = 1;

    /// <summary>The command line itself was wrong.</summary>
    public const int BadUsage = 2;

    /// <summary>Stopped by Ctrl-C or SIGTERM before the work was done (128 + SIGINT, as shells report it).</summary>
    public const int Interrupted = 130;
}
