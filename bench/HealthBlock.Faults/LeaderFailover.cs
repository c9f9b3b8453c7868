using System.Collections.Concurrent;
using System.Diagnostics;
using HealthBlock.Devnet;
using HealthBlock.Crypto;
using HealthBlock.Ledger;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Faults;

/// <summary>
/// Kills the Raft leader of a 3-node cluster under load, round after round (the killed node restarts before the next
/// round), and checks that no transaction whose commit was confirmed is lost. Load: one patient per submitter, registered
/// by the admin first (nobody registers itself), each publishing IoT transactions one after the other (its own signer,
/// so retries never clash on nonces), submitted through any running node.
/// </summary>
public static class LeaderFailover
{
    /// <summary>Runs <paramref name="rounds"/> rounds in a cluster whose data lives under <paramref name="root"/>, logging each round to <paramref name="log"/>.</summary>
    /// <param name="rounds">Leaders to kill.</param>
    /// <param name="root">Folder for the nodes' data (the caller deletes it).</param>
    /// <param name="log">Receives one line per round.</param>
    /// <param name="submitters">Concurrent submitters.</param>
    public static async Task<FailoverReport> RunAsync(int rounds, string root, Action<string> log, int submitters = 8)
    {
        var cluster = await LocalCluster.StartAsync(3, new LocalClusterOptions { RootDirectory = root }).ConfigureAwait(false);
        await using var _ = cluster.ConfigureAwait(false);
        var first = await cluster.WaitForLeaderAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        var admin = new TransactionSigner(cluster.Admin, cluster.Genesis.NetworkId, await first.GetNextNonceAsync(cluster.Admin.Id).ConfigureAwait(false));
        var patients = Enumerable.Range(0, submitters).Select(_ => IdentityKey.Generate()).ToArray();
        foreach (var patient in patients)
        {
            await first.SubmitAndWaitAsync(admin.Sign(RegisterPayload.For(patient.Public, Role.Patient, "load")), TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        }

        var confirmed = new ConcurrentBag<byte[]>();
        long resubmitted = 0;
        using var stop = new CancellationTokenSource();
        var load = patients.Select(key => Task.Run(async () =>
        {
            var signer = new TransactionSigner(key, cluster.Genesis.NetworkId);
            ulong batch = 0;
            while (!stop.IsCancellationRequested)
            {
                var tx = signer.Sign(new IotPayload(0, batch, Protocol.Content.Cid.Compute(BitConverter.GetBytes(batch)), 1000, 2000, [Protocol.Frames.SensorKind.Ecg], 10));
                batch++;
                while (!stop.IsCancellationRequested)
                {
                    var node = cluster.Running.OrderBy(_ => Random.Shared.Next()).FirstOrDefault();
                    if (node is null)
                    {
                        await Task.Delay(20).ConfigureAwait(false);
                        continue;
                    }

                    try
                    {
                        var result = await node.SubmitAsync(tx).ConfigureAwait(false);
                        if (result.Accepted || result.Reason == RejectReason.DuplicateTransaction)
                        {
                            await node.WaitForCommitAsync(tx.IdBytes, TimeSpan.FromSeconds(5)).ConfigureAwait(false);
                            confirmed.Add(tx.IdBytes);
                            break;
                        }
                    }
                    catch (Exception e) when (e is LedgerRejectedException or ObjectDisposedException or InvalidOperationException or OperationCanceledException or HttpRequestException or IOException)
                    {
                    }

                    Interlocked.Increment(ref resubmitted);
                    await Task.Delay(20).ConfigureAwait(false);
                }
            }
        })).ToArray();

        var newLeader = new List<double>();
        for (var round = 0; round < rounds; round++)
        {
            await Task.Delay(700).ConfigureAwait(false);
            var leader = await cluster.WaitForLeaderAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
            var index = cluster.Nodes.ToList().IndexOf(leader);
            var others = cluster.Nodes.Where((n, i) => i != index && n is not null).Select(n => n!).ToArray();
            var clock = Stopwatch.StartNew();
            var stopping = cluster.StopNodeAsync(index);
            while (!others.Any(n => n.IsLeader) && clock.Elapsed < TimeSpan.FromSeconds(30))
            {
                await Task.Delay(5).ConfigureAwait(false);
            }

            newLeader.Add(clock.Elapsed.TotalMilliseconds);
            await stopping.ConfigureAwait(false);
            log($"round {round + 1}: stopped node {index + 1} (the leader), new leader after {newLeader[^1]:F0} ms, {confirmed.Count} committed so far");
            await cluster.StartNodeAsync(index).ConfigureAwait(false);
        }

        await Task.Delay(500).ConfigureAwait(false);
        await stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(load).ConfigureAwait(false);
        foreach (var patient in patients)
        {
            patient.Dispose();
        }

        // Every replica must catch up and hold every confirmed transaction.
        var lost = 0;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        foreach (var node in cluster.Running)
        {
            foreach (var id in confirmed)
            {
                CommittedTransaction? found;
                while ((found = await node.GetTransactionAsync(id).ConfigureAwait(false)) is null && DateTime.UtcNow < deadline)
                {
                    await Task.Delay(50).ConfigureAwait(false);
                }

                if (found is null)
                {
                    lost++;
                }
            }
        }

        var hashes = new HashSet<string>();
        var hashDeadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        do
        {
            hashes.Clear();
            foreach (var node in cluster.Running)
            {
                hashes.Add((await node.GetStatusAsync().ConfigureAwait(false)).StateHash);
            }
        }
        while (hashes.Count > 1 && DateTime.UtcNow < hashDeadline && await Task.Delay(100).ContinueWith(_ => true, TaskScheduler.Default).ConfigureAwait(false));

        return new FailoverReport(rounds, confirmed.Count, lost, resubmitted, newLeader, hashes.Count == 1);
    }
}
