using System.Diagnostics;
using HealthBlock.Crypto;

namespace HealthBlock.Cli.Tests;

public sealed class AccountingCommandTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Init_then_a_real_node_process_serves_a_ledger_that_the_audit_passes()
    {
        var cli = new CliRunner().WithEnvironment(KeyFile.PassphraseVariable, "node passphrase").WithEnvironment("HEALTHBLOCK_ADMIN_PASSPHRASE", "admin passphrase");
        var init = cli.Run("accounting", "init", "--out", _temp.Sub("net"), "--nodes", "1");
        Assert.Equal(0, init.ExitCode);
        Assert.Contains("genesis.json", init.Out, StringComparison.Ordinal);

        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "healthblock.dll"), "accounting", "--data", _temp.Sub("node"), "--listen", "https://127.0.0.1:0", "--genesis", _temp.Sub("net/genesis.json"), "--key", _temp.Sub("net/nodes/node-1.key") })
        {
            start.ArgumentList.Add(a);
        }

        start.Environment[KeyFile.PassphraseVariable] = "node passphrase";
        using var node = Process.Start(start)!;
        try
        {
            node.ErrorDataReceived += (_, _) => { };
            node.BeginErrorReadLine();
            var line = await node.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
            Assert.NotNull(line);
            var url = line.Split(' ').Single(p => p.StartsWith("http=", StringComparison.Ordinal))["http=".Length..];
            Assert.StartsWith("https://", url, StringComparison.Ordinal);

            var audit = await Task.Run(() => cli.Run("audit", "--ledger", url, "--key", _temp.Sub("net/admin/admin-1.key")));
            Assert.True(audit.ExitCode == 0, audit.Out + audit.Error);
            Assert.Contains("ledger ok", audit.Out, StringComparison.Ordinal);

            // A key that is not registered is refused at its first read, with the node's reason.
            Assert.Equal(0, cli.Run("keygen", "--role", "patient", "--out", _temp.Sub("patient.key")).ExitCode);
            var refused = await Task.Run(() => cli.Run("audit", "--ledger", url, "--key", _temp.Sub("patient.key")));
            Assert.Equal(2, refused.ExitCode);
            Assert.Contains("is not a registered identity", refused.Error, StringComparison.Ordinal);
        }
        finally
        {
            node.Kill(entireProcessTree: true);
            await node.WaitForExitAsync();
        }
    }

    [Fact]
    public void Audit_of_an_unreachable_ledger_exits_2_with_a_reason()
    {
        using (var key = IdentityKey.Generate())
        {
            KeyFile.Write(_temp.Sub("admin.key"), key, "admin", "admin passphrase", iterations: 10_000);
        }

        var audit = new CliRunner().WithEnvironment("HEALTHBLOCK_ADMIN_PASSPHRASE", "admin passphrase").Run("audit", "--ledger", "http://127.0.0.1:1", "--key", _temp.Sub("admin.key"));
        Assert.Equal(2, audit.ExitCode);
        Assert.StartsWith("healthblock: ", audit.Error, StringComparison.Ordinal);
    }
}
