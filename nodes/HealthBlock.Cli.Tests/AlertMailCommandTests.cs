using HealthBlock.Devnet;
using HealthBlock.Accounting;
using HealthBlock.Crypto;
using HealthBlock.Ledger;
using HealthBlock.Protocol.Content;
using HealthBlock.Protocol.Frames;
using HealthBlock.Protocol.Ledger;
using HealthBlock.TestSupport;

namespace HealthBlock.Cli.Tests;

/// <summary>
/// The checking tools mail what they find: each test tampers with data at rest, runs the real command with
/// <c>--alert-smtp</c> against a real SMTP server on 127.0.0.1, and reads the received mail back.
/// </summary>
public sealed class AlertMailCommandTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Store_verify_mails_a_block_modified_on_disk_naming_its_cid_and_the_store()
    {
        await using var smtp = await TestSmtpServer.StartAsync();
        var store = _temp.Sub("store");
        File.WriteAllText(_temp.Sub("a.txt"), "ecg batch");
        File.WriteAllText(_temp.Sub("b.txt"), "another batch");
        var kept = new CliRunner().Run("store", "put", _temp.Sub("a.txt"), "--store", store).Out.Trim();
        var altered = new CliRunner().Run("store", "put", _temp.Sub("b.txt"), "--store", store).Out.Trim();
        var clean = await Task.Run(() => new CliRunner().Run(["store", "verify", "--store", store, .. MailArgs(smtp)]));
        Assert.Equal(0, clean.ExitCode);

        var path = Directory.EnumerateFiles(Path.Combine(store, "blocks"), altered, SearchOption.AllDirectories).Single();
        var bytes = File.ReadAllBytes(path);
        bytes[0] ^= 0x20;
        File.WriteAllBytes(path, bytes);
        var bad = await Task.Run(() => new CliRunner().Run(["store", "verify", "--store", store, .. MailArgs(smtp)]));

        Assert.Equal(1, bad.ExitCode);
        var mail = Assert.Single(await smtp.WaitForMessagesAsync(1));
        Assert.StartsWith($"[HealthBlock store] CRITICAL StoreTampered: Block {altered} in the store at ", mail.Subject, StringComparison.Ordinal);
        Assert.Equal("security@clinic.test", Assert.Single(mail.To.Mailboxes).Address);
        var lines = TestSmtpServer.BodyLines(mail);
        Assert.Contains("Severity: Critical", lines);
        Assert.Contains("Node: store:" + Path.GetFullPath(store), lines);
        Assert.Contains("Detail cid: " + altered, lines);
        Assert.DoesNotContain(lines, l => l.Contains(kept, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Audit_mails_a_block_modified_on_an_accounting_nodes_disk_naming_the_node_chain_and_block()
    {
        await using var smtp = await TestSmtpServer.StartAsync();
        var root = _temp.Sub("ledger");
        await using var cluster = await LocalCluster.StartAsync(1, new LocalClusterOptions { RootDirectory = root, SnapshotEveryBlocks = 1 });
        var node = await cluster.WaitForLeaderAsync(TimeSpan.FromSeconds(30));
        using var key = IdentityKey.Generate();
        var patient = new TransactionSigner(key, cluster.Genesis.NetworkId);
        await TestNetwork.RegisterPatientAsync(node, cluster.Admin, key.Public);
        Transaction? target = null;
        for (ulong b = 0; b < 3; b++)
        {
            target = patient.Sign(new IotPayload(0, b, Cid.Compute(BitConverter.GetBytes(b)), 1000, 2000, [SensorKind.Ecg], 10));
            await node.SubmitAndWaitAsync(target, TimeSpan.FromSeconds(30));
        }

        var location = (await node.GetTransactionAsync(target!.IdBytes))!;
        KeyFile.Write(_temp.Sub("admin.key"), cluster.Admin, "admin", "admin passphrase", iterations: 10_000);
        var auditor = new CliRunner().WithEnvironment("HEALTHBLOCK_ADMIN_PASSPHRASE", "admin passphrase");
        var ok = await Task.Run(() => auditor.Run(["audit", "--ledger", node.HttpUrl.ToString(), "--key", _temp.Sub("admin.key"), .. MailArgs(smtp)]));
        Assert.True(ok.ExitCode == 0, ok.Out + ok.Error);

        // Flip one bit of the last IoT transaction's signature in the node's block file, then restart the node.
        await cluster.StopNodeAsync(0);
        var file = Path.Combine(root, "node-1", "userchain.blocks");
        var blocks = await File.ReadAllBytesAsync(file);
        var at = blocks.AsSpan().IndexOf(target.Signature);
        Assert.True(at > 0);
        blocks[at + 5] ^= 0x01;
        await File.WriteAllBytesAsync(file, blocks);
        node = await cluster.StartNodeAsync(0);
        await cluster.WaitForLeaderAsync(TimeSpan.FromSeconds(30));

        var audit = await Task.Run(() => auditor.Run(["audit", "--ledger", node.HttpUrl.ToString(), "--key", _temp.Sub("admin.key"), .. MailArgs(smtp)]));

        Assert.Equal(1, audit.ExitCode);
        // The node refuses to serve the altered chain; the audit reports the node's finding, which names the block.
        var blockName = $"userchain block {location.Location.Height}";
        Assert.Contains("AUDIT FAILED at userchain: ChainUnavailable", audit.Out, StringComparison.Ordinal);
        Assert.Contains(blockName, audit.Out, StringComparison.Ordinal);
        var mail = Assert.Single(await smtp.WaitForMessagesAsync(1));
        Assert.StartsWith("[HealthBlock audit] CRITICAL AuditMismatch: Ledger audit of " + node.HttpUrl, mail.Subject, StringComparison.Ordinal);
        var lines = TestSmtpServer.BodyLines(mail);
        Assert.Contains("Severity: Critical", lines);
        Assert.Contains("Node: " + node.HttpUrl, lines);
        Assert.Contains("Detail chain: userchain", lines);
        Assert.Contains("Detail reason: ChainUnavailable", lines);
        Assert.Contains(lines, l => l.StartsWith("Message: ", StringComparison.Ordinal) && l.Contains(blockName, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("--alert-smtp|127.0.0.1:2525|--alert-from|hb@clinic.test", "needs at least one --alert-to")]
    [InlineData("--alert-smtp|127.0.0.1:2525|--alert-to|sec@clinic.test", "needs --alert-from")]
    [InlineData("--alert-to|sec@clinic.test|--alert-from|hb@clinic.test", "need --alert-smtp")]
    [InlineData("--alert-smtp|127.0.0.1:99999|--alert-from|hb@clinic.test|--alert-to|sec@clinic.test", "is not host[:port]")]
    [InlineData("--alert-smtp|127.0.0.1:+25|--alert-from|hb@clinic.test|--alert-to|sec@clinic.test", "is not host[:port]")]
    [InlineData("--alert-smtp|fd00::25|--alert-from|hb@clinic.test|--alert-to|sec@clinic.test", "write an IPv6 address in brackets")]
    [InlineData("--alert-smtp|mail.clinic.test|--alert-from|not an address|--alert-to|sec@clinic.test", "'not an address' is not a mail address")]
    [InlineData("--alert-smtp|mail.clinic.test|--alert-smtp-tls|ssl3|--alert-from|hb@clinic.test|--alert-to|sec@clinic.test", "'ssl3' is not starttls, tls or none")]
    public void Incomplete_or_bad_mail_settings_are_refused_naming_the_problem(string options, string expected)
    {
        var store = _temp.Sub("store");
        Directory.CreateDirectory(store);

        var result = new CliRunner().Run(["store", "verify", "--store", store, .. options.Split('|')]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
    }

    /// <summary>The options that mail a command's alerts to <paramref name="smtp"/>.</summary>
    internal static string[] MailArgs(TestSmtpServer smtp) =>
        ["--alert-smtp", $"127.0.0.1:{smtp.Port}", "--alert-smtp-tls", "none", "--alert-from", "HealthBlock <healthblock@clinic.test>", "--alert-to", "security@clinic.test"];
}
