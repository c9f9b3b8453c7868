using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using HealthBlock.Devnet;
using HealthBlock.Accounting;
using HealthBlock.Crypto;
using HealthBlock.Ledger;
using HealthBlock.Protocol.Content;
using HealthBlock.Protocol.Frames;
using HealthBlock.Protocol.Ledger;

// Committed transactions per second on 1 and 3 in-process accounting nodes (loopback Raft, WAL on disk), signed
// IoT transactions from concurrent patients, beside the raw ECDSA P-256 verification rate of this machine measured in
// the same run; then reads over HTTPS signed by their caller (issue 16) beside unsigned public reads, in the same run.
// Usage: dotnet run -c Release --project bench/HealthBlock.Ledger.Bench -- [transactions] [patients]
// With --https: the same submit + read load over the HTTP API in plaintext and over HTTPS, and the ratio
// (HttpsComparison): dotnet run -c Release --project bench/HealthBlock.Ledger.Bench -- --https [transactions] [patients] [rounds]
if (args.Length > 0 && args[0] == "--https")
{
    await HealthBlock.Ledger.Bench.HttpsComparison.RunAsync(
        args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10_000,
        args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 32,
        args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 2);
    return;
}

var total = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20_000;
var patients = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 64;
Console.WriteLine($"HealthBlock ledger benchmark: {total} signed IoT transactions from {patients} patients, {Environment.ProcessorCount} cores, .NET {Environment.Version}");

var (verify1, verifyN) = MeasureVerification();
Console.WriteLine($"raw ECDSA P-256 verify: {verify1:N0}/s on 1 thread, {verifyN:N0}/s on {Environment.ProcessorCount} threads");

foreach (var nodes in new[] { 1, 3 })
{
    var rate = await MeasureLedgerAsync(nodes, total, patients);
    // Each replica verifies each signature once (the leader at submission, the followers when applying).
    var ceiling = verifyN / nodes;
    Console.WriteLine(
        $"{nodes} node(s): {rate:N0} committed tx/s; ceiling (all-core verify rate / replicas) {ceiling:N0}/s; ratio {rate / ceiling:P0}; vs raw all-core verify {rate / verifyN:P0}");
}

var (signedReads, publicReads) = await SignedReads.MeasureAsync(callers: 16, TimeSpan.FromSeconds(3));
Console.WriteLine($"HTTPS reads, 16 callers, 1 node: signed and authorised (GET /v1/nonces/self) {signedReads:N0}/s; unsigned public (GET /v1/status) {publicReads:N0}/s; ratio {signedReads / publicReads:P0} (target >= 80%)");

static (double One, double All) MeasureVerification()
{
    using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    var digest = SHA256.HashData("healthblock"u8);
    var signature = key.SignHash(digest);
    double Run(int threads)
    {
        var sw = Stopwatch.StartNew();
        long count = 0;
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, _ =>
        {
            using var verifier = ECDsa.Create(key.ExportParameters(false));
            long n = 0;
            while (sw.Elapsed < TimeSpan.FromSeconds(2))
            {
                for (var i = 0; i < 100; i++)
                {
                    if (!verifier.VerifyHash(digest, signature))
                    {
                        throw new InvalidOperationException("verify failed");
                    }
                }

                n += 100;
            }

            Interlocked.Add(ref count, n);
        });
        return count / sw.Elapsed.TotalSeconds;
    }

    Run(1); // warm-up
    return (Run(1), Run(Environment.ProcessorCount));
}

static async Task<double> MeasureLedgerAsync(int nodes, int total, int patientCount)
{
    await using var cluster = await LocalCluster.StartAsync(nodes, new LocalClusterOptions { BatchInterval = TimeSpan.FromMilliseconds(5), MaxBlockTransactions = 2000, SnapshotEveryBlocks = 1024 });
    var leader = await cluster.WaitForLeaderAsync(TimeSpan.FromSeconds(30));
    var keys = Enumerable.Range(0, patientCount).Select(_ => IdentityKey.Generate()).ToArray();
    try
    {
        var signers = keys.Select(k => new TransactionSigner(k, cluster.Genesis.NetworkId)).ToArray();
        var admin = new TransactionSigner(cluster.Admin, cluster.Genesis.NetworkId);
        var registrations = keys.Select((k, i) => admin.Sign(RegisterPayload.For(k.Public, Role.Patient, $"p{i}"))).ToArray();
        foreach (var r in registrations)
        {
            (await leader.SubmitAsync(r)).EnsureAccepted();
        }

        await leader.WaitForCommitAsync(registrations[^1].IdBytes, TimeSpan.FromSeconds(60));

        // Pre-sign: signing is the gateway's cost, not the ledger's.
        var perPatient = total / patientCount;
        var txs = signers.Select(s => Enumerable.Range(0, perPatient).Select(b =>
            s.Sign(new IotPayload(0, (ulong)b, Cid.Compute(BitConverter.GetBytes(b)), 1000, 2000, [SensorKind.Ecg], 250))).ToArray()).ToArray();
        var sw = Stopwatch.StartNew();
        await Task.WhenAll(txs.Select(list => Task.Run(async () =>
        {
            foreach (var tx in list)
            {
                while (true)
                {
                    var result = await leader.SubmitAsync(tx);
                    if (result.Accepted)
                    {
                        break;
                    }

                    if (result.Reason != RejectReason.Overloaded)
                    {
                        throw new InvalidOperationException(result.ToString());
                    }

                    await Task.Delay(1);
                }
            }
        })));
        var lost = 0;
        var term = (await leader.GetStatusAsync()).Term;
        foreach (var list in txs)
        {
            foreach (var tx in list.Reverse())
            {
                try
                {
                    await leader.WaitForCommitAsync(tx.IdBytes, TimeSpan.FromMinutes(2));
                    break;
                }
                catch (LedgerRejectedException e) when (e.Reason == RejectReason.LeadershipLost)
                {
                    lost++; // dropped in a leader change and refused by the new leader (a later nonce overtook it)
                }
            }
        }

        // Committed on every replica.
        var blocks = leader.BlockCount(ChainId.Userchain);
        foreach (var n in cluster.Running)
        {
            while (n.BlockCount(ChainId.Userchain) < blocks)
            {
                await Task.Delay(1);
            }
        }

        sw.Stop();
        var committed = (perPatient * patientCount) - lost;
        if (lost > 0 || (await leader.GetStatusAsync()).Term != term)
        {
            Console.WriteLine($"  note: leadership changed during the run; {lost} transactions were refused after it");
        }

        Console.WriteLine($"  {nodes} node(s): {committed} tx in {sw.Elapsed.TotalSeconds:F2} s, {blocks} userchain blocks (avg {committed / (double)Math.Max(1UL, blocks):F0} tx/block); replicas agree: {cluster.Running.Select(n => n.StateHash).Distinct().Count() == 1}");
        return committed / sw.Elapsed.TotalSeconds;
    }
    finally
    {
        foreach (var k in keys)
        {
            k.Dispose();
        }
    }
}
