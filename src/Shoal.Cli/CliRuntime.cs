using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Shoal.TrackerApi;
using Spectre.Console;

namespace Shoal.Cli;

/// <summary>What every command gets: settings, logging, and the two output streams.</summary>
public sealed class CliRuntime : IDisposable
{
    private CliRuntime(IConfiguration configuration, ILoggerFactory loggers, TextWriter output, IAnsiConsole tables, IAnsiConsole status)
    {
        Configuration = configuration;
        Loggers = loggers;
        Output = output;
        Tables = tables;
        Status = status;
    }

    public IConfiguration Configuration { get; }

    public ILoggerFactory Loggers { get; }

    /// <summary>Results a script reads (standard output).</summary>
    public TextWriter Output { get; }

    /// <summary>Tables of results (standard output), plain when it is redirected.</summary>
    public IAnsiConsole Tables { get; }

    /// <summary>Progress bars and status for a person (standard error), so standard output stays parseable.</summary>
    public IAnsiConsole Status { get; }

    public static Option<bool> VerboseOption { get; } = new("--verbose", "-v")
    {
        Description = "Log what Shoal is doing (to standard error)",
        Recursive = true,
    };

    public static Option<bool> InsecureOption { get; } = new("--insecure")
    {
        Description = "Send a password or token to a tracker over plain HTTP even when it is not on this computer",
        Recursive = true,
    };

    /// <summary>Waits for Ctrl-C or SIGTERM, which cancel the command's token: how a server command serves until stopped.</summary>
    public static async Task RunUntilStoppedAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    public static CliRuntime Create(ParseResult parse)
    {
        var overrides = new List<KeyValuePair<string, string?>>();
        if (parse.GetValue(VerboseOption))
        {
            overrides.Add(new("Logging:LogLevel:Default", "Debug"));
        }

        IConfiguration configuration = ShoalConfiguration.Build(overrides);
        // Verbose logs show announce URLs, and a logged-in user's hold their passkey.
        var loggers = new DeferredLoggerFactory(
            () => new RedactingLoggerFactory(LoggerFactory.Create(builder => builder
                .AddConfiguration(configuration.GetSection("Logging"))
                .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace)
                .AddSimpleConsole(o => o.SingleLine = true))),
            category => LowestConfiguredLevel(configuration, category));
        return new CliRuntime(configuration, loggers, Console.Out, ConsoleFor(Console.Out, Console.IsOutputRedirected), ConsoleFor(Console.Error, Console.IsErrorRedirected));
    }

    public void Dispose() => Loggers.Dispose();

    // Colours and redraws only on a terminal: a redirected stream gets plain lines.
    private static IAnsiConsole ConsoleFor(TextWriter writer, bool redirected) => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(writer),
        Ansi = redirected ? AnsiSupport.No : AnsiSupport.Detect,
        Interactive = redirected ? InteractionSupport.No : InteractionSupport.Detect,
    });

    /// <summary>
    /// The most verbose level any rule that can apply to <paramref name="category"/> sets (Default, a prefix of the
    /// category, or a wildcard one): below it nothing of that category can be logged.
    /// </summary>
    private static LogLevel LowestConfiguredLevel(IConfiguration configuration, string category)
    {
        LogLevel lowest = LogLevel.None;
        foreach (IConfigurationSection section in configuration.GetSection("Logging").GetSection("LogLevel").GetChildren())
        {
            bool applies = section.Key.Equals("Default", StringComparison.OrdinalIgnoreCase)
                || section.Key.Contains('*', StringComparison.Ordinal)
                || category.StartsWith(section.Key, StringComparison.OrdinalIgnoreCase);
            if (!applies)
            {
                continue;
            }

            LogLevel level = Enum.TryParse(section.Value, ignoreCase: true, out LogLevel parsed) ? parsed : LogLevel.Trace;
            lowest = level < lowest ? level : lowest;
        }

        return lowest;
    }
}
