using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace HealthBlock.Hosting;

/// <summary>
/// The console log every role writes: one line per entry on standard error (standard output carries only what a
/// command prints as its result), at the level <c>--log-level</c> or the configuration sets. ASP.NET Core, the host and
/// the HTTP client log warnings and above only: request lines come from <see cref="RequestLogging"/> at Debug;
/// DotNext's Raft logs errors only above Debug.
/// </summary>
public static class RoleLogging
{
    /// <summary>The names <c>--log-level</c> takes.</summary>
    public static IReadOnlyList<string> LevelNames { get; } = ["trace", "debug", "information", "warning", "error", "critical", "none"];

    /// <summary>Parses a level name (also <c>info</c> and <c>warn</c>), naming <paramref name="source"/> when it is not one.</summary>
    /// <exception cref="StartupFailedException">Not a level.</exception>
    public static LogLevel ParseLevel(string text, string source = "--log-level")
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Trim().ToLowerInvariant() switch
        {
            "trace" => LogLevel.Trace,
            "debug" => LogLevel.Debug,
            "information" or "info" => LogLevel.Information,
            "warning" or "warn" => LogLevel.Warning,
            "error" => LogLevel.Error,
            "critical" => LogLevel.Critical,
            "none" => LogLevel.None,
            _ => throw new StartupFailedException($"{source} '{text}' is not one of {string.Join(", ", LevelNames)}"),
        };
    }

    /// <summary>A logger factory at <paramref name="level"/>.</summary>
    public static ILoggerFactory Create(LogLevel level) => LoggerFactory.Create(b => Configure(b, level));

    /// <summary>Configures <paramref name="builder"/> as <see cref="Create"/> does.</summary>
    public static void Configure(ILoggingBuilder builder, LogLevel level)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.ClearProviders();
        builder.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        });
        builder.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.SetMinimumLevel(level);
        var quiet = level > LogLevel.Warning ? level : LogLevel.Warning;
        builder.AddFilter("Microsoft.AspNetCore", quiet);
        builder.AddFilter("Microsoft.Hosting", quiet);
        builder.AddFilter("Microsoft.Extensions.Hosting", quiet);
        builder.AddFilter("System.Net.Http", quiet);

        // DotNext's Raft logs a warning with a stack trace each time it cannot reach a peer (every election timeout
        // while one is down or still starting): errors only, unless debugging. Leader changes are in /metrics.
        builder.AddFilter("DotNext", level > LogLevel.Debug ? (level > LogLevel.Error ? level : LogLevel.Error) : level);
    }
}
