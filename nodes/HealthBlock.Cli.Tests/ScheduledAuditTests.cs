using HealthBlock.Crypto;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Cli.Tests;

/// <summary>The scheduled audit's systemd units (nodes/deploy): the command the service runs works as written.</summary>
public sealed class ScheduledAuditTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task The_audit_units_command_audits_a_real_ledger_keeps_its_checkpoints_and_the_timer_runs_it_daily()
    {
        var unit = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "data", "healthblock-audit.service"));
        var timer = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "data", "healthblock-audit.timer"));
        Assert.Contains("Type=oneshot", unit, StringComparison.Ordinal);
        Assert.Contains("UMask=0077", unit, StringComparison.Ordinal);
        Assert.Contains("OnCalendar=daily", timer);
        Assert.Contains("Persistent=true", timer);

        // ExecStart as systemd reads it (continuation lines joined), its paths and addresses moved onto this test's.
        var command = ExecStart(unit);
        Assert.Equal("/opt/healthblock/healthblock", command[0]);
        Assert.Equal("audit", command[1]);
        await using var ledger = await CliLedger.StartAsync(_temp);
        using var patient = IdentityKey.Generate();
        await ledger.RegisterAsync(patient.Public, Role.Patient, "patient-1");
        File.WriteAllText(_temp.Sub("passphrase"), CliLedger.AdminPassphrase);
        var ours = new Dictionary<string, string>
        {
            ["--ledger"] = ledger.Url,
            ["--key"] = ledger.AdminKeyFile,
            ["--passphrase-file"] = _temp.Sub("passphrase"),
            ["--checkpoints"] = _temp.Sub("audit.checkpoints"),
        };
        var args = command.Skip(1).ToArray();
        for (var i = 1; i < args.Length - 1; i++)
        {
            if (ours.TryGetValue(args[i], out var value))
            {
                args[i + 1] = value;
            }
        }

        Assert.Equal(ours.Keys.Order(), args.Where(a => a.StartsWith("--", StringComparison.Ordinal)).Order());
        var first = await Task.Run(() => new CliRunner().Run(args));
        Assert.True(first.ExitCode == 0, first.Out + first.Error);
        Assert.Contains("checkpoints: 0 found again, 1 added", first.Out, StringComparison.Ordinal);
        var second = await Task.Run(() => new CliRunner().Run(args));
        Assert.True(second.ExitCode == 0, second.Out + second.Error);
        Assert.Contains("checkpoints: 1 found again, 0 added", second.Out, StringComparison.Ordinal);
    }

    private static string[] ExecStart(string unit)
    {
        var joined = unit.Replace("\\\n", " ", StringComparison.Ordinal);
        var line = joined.Split('\n').Single(l => l.StartsWith("ExecStart=", StringComparison.Ordinal));
        return line["ExecStart=".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
    }
}
