using System.Diagnostics;
using System.Security.Cryptography;
using HealthBlock.Crypto;
using HealthBlock.Devnet;
using HealthBlock.Ledger;
using HealthBlock.Protocol.Content;
using HealthBlock.Protocol.Ledger;

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
    public async Task Audit_applies_the_live_citation_rule_an_alarm_citing_a_sub_batch_never_committed_fails_once_its_deadline_passed()
    {
        await using var cluster = await LocalCluster.StartAsync(1, new LocalClusterOptions { RootDirectory = _temp.Sub("ledger") });
        var ledger = await cluster.WaitForLeaderAsync(TimeSpan.FromSeconds(30));
        using var doctor = IdentityKey.Generate();
        using var patient = IdentityKey.Generate();
        var network = cluster.Genesis.NetworkId;
        var admin = new TransactionSigner(cluster.Admin, network);
        var ps = new TransactionSigner(patient, network);
        var ds = new TransactionSigner(doctor, network);
        async Task CommitAsync(Transaction tx) => await ledger.SubmitAndWaitAsync(tx, TimeSpan.FromSeconds(30));
        await CommitAsync(admin.Sign(RegisterPayload.For(doctor.Public, Role.Doctor, "Dr. Cite")));
        await CommitAsync(admin.Sign(RegisterPayload.For(patient.Public, Role.Patient, "patient-1")));
        await CommitAsync(admin.Sign(new IssuePayload(patient.Id, 1_000)));
        await CommitAsync(ps.Sign(new KeyPayload(1, [new KeyEnvelope(doctor.Id, new byte[Envelope.Overhead + 32], new byte[Envelope.Overhead + 32])])));
        await CommitAsync(ps.Sign(new PaymentPayload(doctor.Id, 500)));

        // An alarm citing live sub-batch 5, which no IoT transaction of the patient ever commits; then a later block.
        var alarm = ds.Sign(new DiagnosisPayload(patient.Id, 1, Cid.Compute(RandomNumberGenerator.GetBytes(8)), [], 1000, 2000, null, [new LiveCitation(5, SHA256.HashData([5]))]));
        await CommitAsync(alarm);
        await Task.Delay(2500);
        await CommitAsync(ps.Sign(new PaymentPayload(doctor.Id, 1)));
        var url = ledger.HttpUrl.ToString();
        KeyFile.Write(_temp.Sub("admin.key"), cluster.Admin, "admin", "admin passphrase", iterations: 10_000);
        var auditor = new CliRunner().WithEnvironment("HEALTHBLOCK_ADMIN_PASSPHRASE", "admin passphrase");

        // A one-second period: the deadline (two periods) has passed by the last block, so the citation is a problem.
        var strict = await Task.Run(() => auditor.Run("audit", "--ledger", url, "--key", _temp.Sub("admin.key"), "--iot-period-s", "1"));
        Assert.True(strict.ExitCode == 1, strict.Out + strict.Error);
        Assert.Contains($"CITATION PROBLEM: diagnosis {alarm.IdHex}", strict.Out, StringComparison.Ordinal);
        Assert.Contains("live citations: 0 backed, 0 pending (deadline after the last block), 1 problems", strict.Out, StringComparison.Ordinal);

        // The default 60 s period: the deadline is still ahead, so the citation is pending and the audit holds.
        var lenient = await Task.Run(() => auditor.Run("audit", "--ledger", url, "--key", _temp.Sub("admin.key")));
        Assert.True(lenient.ExitCode == 0, lenient.Out + lenient.Error);
        Assert.Contains("live citations: 0 backed, 1 pending", lenient.Out, StringComparison.Ordinal);

        var bad = auditor.Run("audit", "--ledger", url, "--key", _temp.Sub("admin.key"), "--iot-period-s", "0");
        Assert.Equal((2, "healthblock: --iot-period-s must be at least 1 (got 0)"), (bad.ExitCode, bad.Error.Trim()));
    }

    [Fact]
    public async Task Audit_checkpoints_catch_a_history_the_signing_nodes_truncated_or_rewrote_which_an_audit_without_them_passes()
    {
        await using var ledger = await CliLedger.StartAsync(_temp);
        using var patient = IdentityKey.Generate();
        await ledger.RegisterAsync(patient.Public, Role.Patient, "patient-1");
        var auditor = CliLedger.Cli("owner passphrase");
        var pins = _temp.Sub("checkpoints.txt");
        Task<CliResult> AuditAsync(params string[] more) =>
            Task.Run(() => auditor.Run(["audit", "--ledger", ledger.Url, "--key", ledger.AdminKeyFile, .. more]));

        // The state the nodes will later go back to: the folder of a stopped node, copied aside.
        var nodeFolder = Path.Combine(ledger.Root, "node-1");
        await ledger.RestartAsync(whileStopped: () => CopyFolder(nodeFolder, _temp.Sub("rewind")));

        // The history the audits see: Healthcoin issued to the patient, one block at a time (Docchain has no block yet,
        // so the audit checkpoints one tip).
        await IssueAsync(1);
        var first = await AuditAsync("--checkpoints", pins);
        Assert.True(first.ExitCode == 0, first.Out + first.Error);
        Assert.Contains("checkpoints: 0 found again, 1 added", first.Out, StringComparison.Ordinal);
        var userchainPin = AuditCheckpointLine(pins, "userchain");
        var again = await AuditAsync("--checkpoints", pins);
        Assert.True(again.ExitCode == 0, again.Out + again.Error);
        Assert.Contains("checkpoints: 1 found again, 0 added", again.Out, StringComparison.Ordinal);

        // The signing nodes go back to the earlier state: the chain no longer reaches the verified tip.
        await ledger.RestartAsync(whileStopped: () =>
        {
            Directory.Delete(nodeFolder, recursive: true);
            CopyFolder(_temp.Sub("rewind"), nodeFolder);
        });
        var truncated = await AuditAsync("--checkpoints", pins);
        Assert.True(truncated.ExitCode == 1, truncated.Out + truncated.Error);
        Assert.Contains($"HistoryRewritten: userchain has", truncated.Out, StringComparison.Ordinal);
        Assert.Contains("the chain was truncated", truncated.Out, StringComparison.Ordinal);

        // Then they write another history over the same heights: valid block by block, so an audit without the
        // checkpoints passes it, and the one with them names the block and its proposer.
        await IssueAsync(2, untilHeight: ulong.Parse(userchainPin.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture));
        var unpinned = await AuditAsync();
        Assert.True(unpinned.ExitCode == 0, unpinned.Out + unpinned.Error);
        var rewritten = await AuditAsync("--checkpoints", pins);
        Assert.True(rewritten.ExitCode == 1, rewritten.Out + rewritten.Error);
        Assert.Contains("HistoryRewritten: userchain block", rewritten.Out, StringComparison.Ordinal);
        Assert.Contains($"proposed by {ledger.Cluster.NodeKey(0).Id}", rewritten.Out, StringComparison.Ordinal);
        Assert.Contains("the history was rewritten", rewritten.Out, StringComparison.Ordinal);
        Assert.Equal(userchainPin, AuditCheckpointLine(pins, "userchain")); // a failed audit adds nothing

        File.AppendAllText(pins, "userchain twelve abc\n");
        var garbage = await AuditAsync("--checkpoints", pins);
        Assert.Equal(2, garbage.ExitCode);
        Assert.StartsWith($"healthblock: --checkpoints {pins} line 3: expected 'chain height hash time'", garbage.Error.Trim(), StringComparison.Ordinal);

        // Issues Healthcoin to the patient in blocks of one transaction, three times or until the chain reaches a height.
        async Task IssueAsync(ulong amount, ulong? untilHeight = null)
        {
            var node = ledger.Node;
            var admin = new TransactionSigner(ledger.Cluster.Admin, ledger.Cluster.Genesis.NetworkId, await node.GetNextNonceAsync(ledger.Cluster.Admin.Id));
            for (var i = 0; untilHeight is { } h ? node.BlockCount(ChainId.Userchain) <= h : i < 3; i++)
            {
                await node.SubmitAndWaitAsync(admin.Sign(new IssuePayload(patient.Id, amount)), TimeSpan.FromSeconds(30));
            }
        }
    }

    private static string AuditCheckpointLine(string file, string chain) =>
        File.ReadAllLines(file).Single(l => l.StartsWith(chain + " ", StringComparison.Ordinal));

    private static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
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
