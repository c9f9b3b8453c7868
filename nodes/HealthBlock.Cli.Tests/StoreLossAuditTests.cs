using System.Security.Cryptography;
using HealthBlock.Crypto;
using HealthBlock.Ledger;
using HealthBlock.Protocol.Content;
using HealthBlock.Protocol.Frames;
using HealthBlock.Protocol.Ledger;
using HealthBlock.Storage.Embedded;
using HealthBlock.Storage.Replication;
using HealthBlock.TestSupport;

namespace HealthBlock.Cli.Tests;

/// <summary>
/// Threat K6 of docs/security.md, the case replication cannot undo: every holder of a committed batch's block deletes
/// it. A real ledger node, three embedded store folders written through the replicated store (k = 2), the real
/// <c>audit</c> command and a real SMTP server: the loss is found, named and mailed, and nothing else is lost.
/// </summary>
public sealed class StoreLossAuditTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_batch_block_every_holder_deleted_fails_the_audit_naming_its_cid_transaction_and_patient_with_a_critical_alert()
    {
        await using var smtp = await TestSmtpServer.StartAsync();
        await using var ledger = await CliLedger.StartAsync(_temp);
        var (cluster, node) = (ledger.Cluster, ledger.Node);
        using var key = IdentityKey.Generate();
        var patient = new TransactionSigner(key, cluster.Genesis.NetworkId);
        await TestNetwork.RegisterPatientAsync(node, cluster.Admin, key.Public);
        string[] folders = [_temp.Sub("store-a"), _temp.Sub("store-b"), _temp.Sub("store-c")];
        var holders = folders.Select(f => new EmbeddedContentStore(f)).ToList();
        var store = new ReplicatedContentStore(holders, new ReplicatedContentStoreOptions { WriteQuorum = 2 });
        var batches = new List<(Transaction Tx, Cid Cid, byte[] Block)>();
        for (ulong b = 1; b <= 3; b++)
        {
            var block = RandomNumberGenerator.GetBytes(96);
            var cid = await store.PutAsync(block);
            var tx = patient.Sign(new IotPayload(0, b, cid, 1000, 2000, [SensorKind.Ecg], 10));
            await node.SubmitAndWaitAsync(tx, TimeSpan.FromSeconds(30));
            batches.Add((tx, cid, block));
        }

        var auditor = CliLedger.Cli("owner passphrase");
        string[] Audit(params string[] stores) => ["audit", "--ledger", ledger.Url, "--key", ledger.AdminKeyFile, "--store", string.Join(',', stores), .. AlertMailCommandTests.MailArgs(smtp)];
        var clean = await Task.Run(() => auditor.Run(Audit(folders)));
        Assert.True(clean.ExitCode == 0, clean.Out + clean.Error);
        Assert.Contains("store: 6 blocks checked in 3 folder(s), 0 tampered; 3 blocks referenced by transactions, 0 held by none", clean.Out, StringComparison.Ordinal);

        // Both holders of batch 2's block delete it (k = 2; the third node never had it).
        var (lostTx, lostCid, _) = batches[1];
        var copies = holders.Select(h => h.GetBlockPath(lostCid)).Where(File.Exists).ToList();
        Assert.Equal(2, copies.Count);
        copies.ForEach(File.Delete);

        var audit = await Task.Run(() => auditor.Run(Audit(folders)));

        Assert.True(audit.ExitCode == 1, audit.Out + audit.Error);
        Assert.Contains("ledger ok", audit.Out, StringComparison.Ordinal);
        var missing = Assert.Single(audit.Out.Split('\n'), l => l.StartsWith("STORE MISSING", StringComparison.Ordinal));
        Assert.Equal($"STORE MISSING {lostCid}: the IoT batch of userchain transaction {lostTx.IdHex} (height {(await node.GetTransactionAsync(lostTx.IdBytes))!.Location.Height}) of patient {key.Id}, held by none of 3 store folder(s)", missing.TrimEnd());
        Assert.Contains("store: 4 blocks checked in 3 folder(s), 0 tampered; 3 blocks referenced by transactions, 1 held by none", audit.Out, StringComparison.Ordinal);
        var mail = Assert.Single(await smtp.WaitForMessagesAsync(1));
        Assert.StartsWith($"[HealthBlock audit] CRITICAL BlockMissing: Block {lostCid}", mail.Subject, StringComparison.Ordinal);
        var lines = TestSmtpServer.BodyLines(mail);
        Assert.Contains(lines, l => l.StartsWith($"Message: Block {lostCid}, the IoT batch of transaction {lostTx.IdHex} of patient {key.Id}, is held by none of the stores at ", StringComparison.Ordinal));
        Assert.Contains("Identity: " + key.Id, lines);
        Assert.Contains("Detail cid: " + lostCid, lines);
        Assert.Contains("Detail tx: " + lostTx.IdHex, lines);
        Assert.Contains("Detail chain: userchain", lines);

        // Nothing else is lost: the other batches still read back intact through the replicated store.
        foreach (var (_, cid, block) in batches.Where(b => b.Cid != lostCid))
        {
            Assert.Equal(block, await store.GetAsync(cid));
        }

        // A holder folder that does not exist is a usage error, not a loss.
        var typo = auditor.Run(Audit(folders[0], _temp.Sub("store-typo")));
        Assert.Equal(2, typo.ExitCode);
        Assert.Contains("--store: no embedded store folder at", typo.Error, StringComparison.Ordinal);
    }
}
