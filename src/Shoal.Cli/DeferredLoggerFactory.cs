using Microsoft.Extensions.Logging;

namespace Shoal.Cli;

/// <summary>
/// Builds the console logging pipeline only when something is first logged at a level the settings
/// let through for its category: setting it up costs about 40 ms of start-up, and most runs log nothing
/// (a `get` logs "download complete" at Information, which only the tracker's category lets through).
/// </summary>
public sealed class DeferredLoggerFactory(Func<ILoggerFactory> create, Func<string, LogLevel> minimumFor) : ILoggerFactory
{
    private readonly Lazy<ILoggerFactory> _factory = new(create);

    private Func<string, LogLevel> MinimumFor => minimumFor;

    public ILogger CreateLogger(string categoryName) => new DeferredLogger(this, categoryName);

    public void AddProvider(ILoggerProvider provider) => _factory.Value.AddProvider(provider);

    public void Dispose()
    {
        if (_factory.IsValueCreated)
        {
            _factory.Value.Dispose();
        }
    }

    private sealed class DeferredLogger(DeferredLoggerFactory owner, string category) : ILogger
    {
        private readonly LogLevel _minimum = owner.MinimumFor(category);
        private ILogger? _logger;

        private ILogger Logger => _logger ??= owner._factory.Value.CreateLogger(category);

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => IsEnabled(_minimum) ? Logger.BeginScope(state) : null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= _minimum && logLevel != LogLevel.None && Logger.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                Logger.Log(logLevel, eventId, state, exception, formatter);
            }
        }
    }
}
