using System.CommandLine;
using System.Globalization;
using HealthBlock.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace HealthBlock.Cli;

/// <summary>
/// A role's settings, layered as the .NET configuration system layers them, later layers winning: the JSON file of
/// <c>--config PATH</c> (section <c>Accounting</c>, <c>Gateway</c> or <c>Doctor</c>, plus <c>Logging:Level</c>), then
/// environment variables <c>HEALTHBLOCK__Section__Key</c>, then the options given on the command line. A key is the
/// option's name in PascalCase (<c>--mqtt-listen</c> → <c>MqttListen</c>); a list is a JSON array, or in a variable a
/// comma-separated value. Options not set anywhere take their defaults; required ones are checked here, at start.
/// </summary>
internal sealed class RoleSettings
{
    /// <summary>The environment variable prefix of settings.</summary>
    public const string EnvironmentPrefix = "HEALTHBLOCK__";

    private readonly IConfiguration _configuration;
    private readonly ParseResult _parse;
    private readonly string _section;

    private RoleSettings(IConfiguration configuration, ParseResult parse, string section)
    {
        _configuration = configuration;
        _parse = parse;
        _section = section;
    }

    /// <summary><c>--config PATH</c>.</summary>
    public static Option<FileInfo?> ConfigOption() => new("--config") { Description = "Settings file (JSON; see docs/deployment.md); environment HEALTHBLOCK__Section__Key and the command line override it" };

    /// <summary><c>--log-level LEVEL</c>.</summary>
    public static Option<string?> LogLevelOption() => new("--log-level") { Description = "trace, debug (adds one line per HTTP request), information (default), warning, error, critical or none" };

    /// <summary>Reads the layers for <paramref name="section"/> and the command's <paramref name="options"/>.</summary>
    /// <exception cref="StartupFailedException">The settings file is missing or not JSON.</exception>
    public static RoleSettings Read(CliContext context, ParseResult parse, string section, Option<FileInfo?> config, IEnumerable<Option> options)
    {
        var builder = new ConfigurationBuilder();
        if (parse.GetValue(config) is { } file)
        {
            if (!file.Exists)
            {
                throw new StartupFailedException($"--config '{file.FullName}' does not exist");
            }

            builder.AddJsonFile(file.FullName, optional: false, reloadOnChange: false);
        }

        var environment = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var commandLine = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var key in options.Select(o => (Option: o, Key: Key(section, o))).Append((Option: (Option)LogLevelOption(), Key: LogLevelKey)))
        {
            if (context.Environment(EnvironmentPrefix + key.Key.Replace(":", "__", StringComparison.Ordinal)) is { Length: > 0 } value)
            {
                var parts = value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
                if (key.Option.Arity.MaximumNumberOfValues > 1)
                {
                    for (var i = 0; i < parts.Length; i++)
                    {
                        environment[key.Key + ":" + i.ToString(CultureInfo.InvariantCulture)] = parts[i];
                    }
                }
                else
                {
                    environment[key.Key] = value;
                }
            }
        }

        foreach (var option in options)
        {
            if (parse.GetResult(option) is { Implicit: false } given)
            {
                var key = Key(section, option);
                if (option.Arity.MaximumNumberOfValues > 1)
                {
                    var i = 0;
                    foreach (var token in given.Tokens)
                    {
                        commandLine[key + ":" + (i++).ToString(CultureInfo.InvariantCulture)] = token.Value;
                    }
                }
                else
                {
                    commandLine[key] = given.Tokens.Count == 0 ? "true" : given.Tokens[0].Value;
                }
            }
        }

        builder.AddInMemoryCollection(environment).AddInMemoryCollection(commandLine);
        try
        {
            return new RoleSettings(builder.Build(), parse, section);
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or IOException)
        {
            throw new StartupFailedException($"--config '{parse.GetValue(config)!.FullName}' is not valid JSON: {e.InnerException?.Message ?? e.Message}");
        }
    }

    private const string LogLevelKey = "Logging:Level";

    /// <summary>The log level: <c>--log-level</c>, else <c>Logging:Level</c>, else information.</summary>
    public LogLevel LogLevel(Option<string?> option) =>
        _parse.GetValue(option) is { } given ? RoleLogging.ParseLevel(given) : _configuration[LogLevelKey] is { } configured ? RoleLogging.ParseLevel(configured, LogLevelKey) : Microsoft.Extensions.Logging.LogLevel.Information;

    /// <summary>The option's text value, or null when set nowhere and without default.</summary>
    public string? OptionalText(Option<string?> option) => _configuration[Key(_section, option)] ?? _parse.GetValue(option);

    /// <summary>The option's text value (or its default).</summary>
    public string Text(Option<string> option) => _configuration[Key(_section, option)] ?? _parse.GetValue(option) ?? throw Missing(option);

    /// <summary>The option's list, or an empty one.</summary>
    public string[] List(Option<string[]> option)
    {
        var section = _configuration.GetSection(Key(_section, option));
        var children = section.GetChildren().Select(c => c.Value).OfType<string>().ToArray();
        return children.Length > 0 ? children : section.Value is { } one ? [one] : _parse.GetValue(option) ?? [];
    }

    /// <summary>The option's list, which must not be empty.</summary>
    public string[] RequiredList(Option<string[]> option) => List(option) is { Length: > 0 } list ? list : throw Missing(option);

    /// <summary>The option's required path.</summary>
    public string RequiredPath(Option option) => _configuration[Key(_section, option)] is { } configured
        ? Path.GetFullPath(configured)
        : _parse.GetResult(option)?.Tokens is [{ } token, ..] ? Path.GetFullPath(token.Value) : throw Missing(option);

    /// <summary>The option's path, or null.</summary>
    public string? OptionalPath(Option option) => _configuration[Key(_section, option)] is { } configured
        ? Path.GetFullPath(configured)
        : _parse.GetResult(option)?.Tokens is [{ } token, ..] ? Path.GetFullPath(token.Value) : null;

    /// <summary>The option's integer value (or its default).</summary>
    public int Int(Option<int> option) => _configuration[Key(_section, option)] is { } text
        ? int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value : throw new StartupFailedException($"{Describe(option)} '{text}' is not a whole number")
        : _parse.GetValue(option);

    /// <summary>The option's flag value (or its default).</summary>
    public bool Flag(Option<bool> option) => _configuration[Key(_section, option)] is { } text
        ? bool.TryParse(text, out var value) ? value : throw new StartupFailedException($"{Describe(option)} '{text}' is not true or false")
        : _parse.GetValue(option);

    /// <summary>The configuration key of <paramref name="option"/> in <paramref name="section"/>: <c>--mqtt-listen</c> → <c>Gateway:MqttListen</c>.</summary>
    public static string Key(string section, Option option) =>
        section + ":" + string.Concat(option.Name.TrimStart('-').Split('-').Select(w => w.Length == 0 ? w : char.ToUpperInvariant(w[0]) + w[1..]));

    private string Describe(Option option) => $"{option.Name} (or {Key(_section, option)})";

    private StartupFailedException Missing(Option option) =>
        new($"missing {option.Name}: give it on the command line, as {Key(_section, option)} in --config, or as {EnvironmentPrefix}{Key(_section, option).Replace(":", "__", StringComparison.Ordinal)}");
}
