namespace Shoal.Cli;

/// <summary>A command line that parsed but makes no sense (a bad flag value); exits with <see cref="ExitCodes.BadUsage"/>.</summary>
public sealed class UsageException(string message) : Exception(message);
