using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace HealthBlock.TestSupport;

/// <summary>A logger provider that keeps every line at or above a level, for tests that check what a component logs.</summary>
internal sealed class LogLines(LogLevel minimum = LogLevel.Debug) : ILoggerProvider
{
    private readonly ConcurrentQueue<(LogLevel Level, string Category, string Text)> _lines = new();

    /// <summary>The lowest level kept.</summary>
    public LogLevel Minimum { get; } = minimum;

    /// <summary>The lines logged so far.</summary>
    public IReadOnlyList<(LogLevel Level, string Category, string Text)> Lines => [.. _lines];

    /// <summary>A logger factory that writes to this provider only.</summary>
    public ILoggerFactory Factory() => LoggerFactory.Create(b => b.SetMinimumLevel(Minimum).AddProvider(this));

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(LogLines owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= owner.Minimum;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                owner._lines.Enqueue((logLevel, category, formatter(state, exception)));
            }
        }
    }
}
