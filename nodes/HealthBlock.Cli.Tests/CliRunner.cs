using HealthBlock.Cli;

namespace HealthBlock.Cli.Tests;

/// <summary>Runs the real command tree in process with captured output.</summary>
internal sealed class CliRunner
{
    private readonly Dictionary<string, string> _environment = [];

    public CliRunner WithEnvironment(string name, string value)
    {
        _environment[name] = value;
        return this;
    }

    public CliResult Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var context = new CliContext(output, error, name => _environment.GetValueOrDefault(name), ReadSecret: null);
        var code = HealthBlockCommand.Invoke(context, args);
        return new CliResult(code, output.ToString(), error.ToString());
    }
}

internal sealed record CliResult(int ExitCode, string Out, string Error);
