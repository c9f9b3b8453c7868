using HealthBlock.Cli;
using HealthBlock.Ledger;

namespace HealthBlock.Cli.Tests;

/// <summary>Runs the real command tree in process with captured output.</summary>
internal sealed class CliRunner
{
    private readonly Dictionary<string, string> _environment = [];
    private ILedger? _ledger;

    public CliRunner WithEnvironment(string name, string value)
    {
        _environment[name] = value;
        return this;
    }

    /// <summary>Commands that take any ledger get <paramref name="ledger"/> for every <c>--ledger</c> URL.</summary>
    public CliRunner WithLedger(ILedger ledger)
    {
        _ledger = ledger;
        return this;
    }

    public CliResult Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var ledger = _ledger;
        var context = new CliContext(output, error, name => _environment.GetValueOrDefault(name), ReadSecret: null)
        {
            OpenLedger = ledger is null ? null : _ => ledger,
        };
        var code = HealthBlockCommand.Invoke(context, args);
        return new CliResult(code, output.ToString(), error.ToString());
    }
}

internal sealed record CliResult(int ExitCode, string Out, string Error);
