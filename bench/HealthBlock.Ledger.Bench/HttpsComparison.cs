using System.Diagnostics;
using HealthBlock.Crypto;
using HealthBlock.Devnet;
using HealthBlock.Ledger;
using HealthBlock.Protocol.Content;
using HealthBlock.Protocol.Frames;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Ledger.Bench;

/// <summary>
/// A way of reaching the ledger API: its listen URL and how a client is made for it. The first transport of
/// <see cref="HttpsComparison.Transports"/> is the baseline the others are compared with.
/// </summary>
/// <param name="Name">What the bench prints.</param>
/// <param name="ListenUrl">The node's listen URL (port 0).</param>
/// <param name="Client">A client of the node at the URL it bound, for the network's genesis and the reading patient's key.</param>
/// <param name="Read">The read each patient makes after each submit.</param>
internal sealed record LedgerTransport(string Name, string ListenUrl, Func<Uri, Genesis, IdentityKey, LedgerClient> Client, Func<LedgerClient, IdentityKey, Task> Read);

/// <summary>
/// The same submit + read load over the ledger's HTTP API in plaintext and over HTTPS (issue 16: "ledger throughput with
/// HTTPS and request authentication ≥ 0.8 of without"), in alternating rounds of one run, each on a fresh one-node
/// cluster: every patient submits its pre-signed IoT transactions one after another through its own client and reads
/// after each, then every transaction is awaited committed. Without authentication a client may only read the node's
/// public status; with it, the patient reads its own key record (a private record, authorised by the route's policy for
/// the patient — named by a signature on each read over plaintext, by the client certificate on its key over HTTPS). Prints requests/s and committed tx/s per transport and the ratio to the first.
/// </summary>
internal static class HttpsComparison
{
    /// <summary>
    /// The transports measured: the baseline (plaintext, unsigned public reads), TLS alone, request authentication alone
    /// (signed reads), and both (the default of every deployment: TLS with a client certificate on the caller's key); last,
    /// for comparison, TLS with a signature on every read (what a client without a certificate does).
    /// </summary>
    public static readonly LedgerTransport[] Transports =
    [
        new("http", "http://127.0.0.1:0", (url, _, _) => new LedgerClient(url), (client, _) => client.GetStatusAsync()),
        new("https", "https://127.0.0.1:0", (url, genesis, _) => new LedgerClient(url, genesis), (client, _) => client.GetStatusAsync()),
        new("http + signed reads", "http://127.0.0.1:0", (url, _, key) => new LedgerClient(url, key), ReadOwnKeysAsync),
        new("https + cert reads", "https://127.0.0.1:0", (url, genesis, key) => new LedgerClient(url, genesis, key), ReadOwnKeysAsync),
        new("https + signed reads", "https://127.0.0.1:0", SignedOverHttps, ReadOwnKeysAsync),
    ];

    public static async Task RunAsync(int total, int patients, int rounds)
    {
        Console.WriteLine($"Ledger API, one node: {total} signed IoT transactions from {patients} patients, each submit followed by a read (public status unsigned, or the patient's own keys: signed over http, by client certificate over https); a warm-up, then {rounds} alternating rounds, best of each");
        foreach (var transport in Transports)
        {
            await MeasureAsync(transport, total, patients); // warm-up (JIT tiers, thread pool), not counted
        }

        var best = new Dictionary<string, RoundResult>();
        for (var round = 0; round < rounds; round++)
        {
            foreach (var transport in Transports)
            {
                var result = await MeasureAsync(transport, total, patients);
                Console.WriteLine($"  round {round + 1} {transport.Name,-20}: {result.RequestsPerSecond:N0} requests/s, {result.CommittedPerSecond:N0} committed tx/s ({result.Transactions} tx, {result.Seconds:F2} s)");
                if (!best.TryGetValue(transport.Name, out var previous) || result.CommittedPerSecond > previous.CommittedPerSecond)
                {
                    best[transport.Name] = result;
                }
            }
        }

        var baseline = best[Transports[0].Name];
        foreach (var transport in Transports)
        {
            var result = best[transport.Name];
            Console.WriteLine($"{transport.Name,-20}: {result.RequestsPerSecond:N0} requests/s, {result.CommittedPerSecond:N0} committed tx/s; ratio to {Transports[0].Name}: {result.CommittedPerSecond / baseline.CommittedPerSecond:P1}");
        }
    }

    private static async Task<RoundResult> MeasureAsync(LedgerTransport transport, int total, int patientCount)
    {
        await using var cluster = await LocalCluster.StartAsync(1, new LocalClusterOptions { ListenUrl = transport.ListenUrl, BatchInterval = TimeSpan.FromMilliseconds(5), MaxBlockTransactions = 2000, SnapshotEveryBlocks = 1024 });
        var node = await cluster.WaitForLeaderAsync(TimeSpan.FromSeconds(30));
        var keys = Enumerable.Range(0, patientCount).Select(_ => IdentityKey.Generate()).ToArray();
        var clients = new List<LedgerClient>();
        try
        {
            // The admin registers the patients (in process: setup, not measured).
            var admin = new TransactionSigner(cluster.Admin, cluster.Genesis.NetworkId);
            foreach (var key in keys)
            {
                await node.SubmitAndWaitAsync(admin.Sign(RegisterPayload.For(key.Public, Role.Patient, "p")), TimeSpan.FromSeconds(30));
            }

            // Pre-signed: signing is the gateway's cost, not the ledger's.
            var perPatient = total / patientCount;
            var txs = keys.Select(k => new TransactionSigner(k, cluster.Genesis.NetworkId)).Select(s => Enumerable.Range(0, perPatient).Select(b =>
                s.Sign(new IotPayload(0, (ulong)b, Cid.Compute(BitConverter.GetBytes(b)), 1000, 2000, [SensorKind.Ecg], 250))).ToArray()).ToArray();
            clients.AddRange(keys.Select(k => transport.Client(node.HttpUrl, cluster.Genesis, k)));
            foreach (var (client, key) in clients.Zip(keys))
            {
                await transport.Read(client, key); // connection and TLS session up before the clock starts
            }

            long requests = 0;
            var sw = Stopwatch.StartNew();
            await Task.WhenAll(clients.Select((client, i) => Task.Run(async () =>
            {
                foreach (var tx in txs[i])
                {
                    while (true)
                    {
                        var result = await client.SubmitAsync(tx);
                        Interlocked.Increment(ref requests);
                        if (result.Accepted)
                        {
                            break;
                        }

                        if (!result.Reason.IsTransient())
                        {
                            throw new InvalidOperationException(result.ToString());
                        }

                        await Task.Delay(1);
                    }

                    await transport.Read(client, keys[i]);
                    Interlocked.Increment(ref requests);
                }
            })));
            foreach (var list in txs)
            {
                await node.WaitForCommitAsync(list[^1].IdBytes, TimeSpan.FromMinutes(2));
            }

            sw.Stop();
            var committed = perPatient * patientCount;
            return new RoundResult(committed, sw.Elapsed.TotalSeconds, requests / sw.Elapsed.TotalSeconds, committed / sw.Elapsed.TotalSeconds);
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
            foreach (var k in keys)
            {
                k.Dispose();
            }
        }
    }

    /// <summary>A client that signs every read over HTTPS: its handler presents no client certificate.</summary>
    private static LedgerClient SignedOverHttps(Uri url, Genesis genesis, IdentityKey key) =>
        new(new HttpClient(LedgerTls.PinnedHandler(genesis)) { BaseAddress = url, Timeout = Timeout.InfiniteTimeSpan }, ownsClient: true, key);

    private sealed record RoundResult(int Transactions, double Seconds, double RequestsPerSecond, double CommittedPerSecond);

    private static async Task ReadOwnKeysAsync(LedgerClient client, IdentityKey patient) =>
        _ = await client.GetPatientKeysAsync(patient.Id) ?? throw new InvalidOperationException("a registered patient has no key record");
}
