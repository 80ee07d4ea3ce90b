using Microsoft.Extensions.Logging;

namespace Shoal.TrackerApi;

/// <summary>
/// Loggers whose every message and scope passes through <see cref="SecretRedaction"/> before reaching
/// the wrapped factory's: a passkey or token never reaches a log, whoever wrote the line (the engine,
/// the tracker, ASP.NET Core's request logging). Lines reach the inner loggers as their redacted text.
/// </summary>
public sealed class RedactingLoggerFactory(ILoggerFactory inner) : ILoggerFactory
{
    public ILogger CreateLogger(string categoryName) => new RedactingLogger(inner.CreateLogger(categoryName));

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    public void Dispose() => inner.Dispose();

    private sealed class RedactingLogger(ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => inner.BeginScope(SecretRedaction.Redact(state.ToString() ?? ""));

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (inner.IsEnabled(logLevel))
            {
                inner.Log(logLevel, eventId, SecretRedaction.Redact(formatter(state, exception)), exception, static (message, _) => message);
            }
        }
    }
}
