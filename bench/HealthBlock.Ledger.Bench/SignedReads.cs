using System.Diagnostics;
using HealthBlock.Crypto;
using HealthBlock.Devnet;
using HealthBlock.Ledger;
using HealthBlock.Protocol.Ledger;

/// <summary>
/// Reads over HTTPS on one node, per second, from concurrent callers in the same run: reads signed by their caller and
/// authorised (<c>GET /v1/nonces/{self}</c>: a signature made by the client, checked by the node with a nonce
/// remembered, the caller looked up) beside public reads of the same size class that carry no signature
/// (<c>GET /v1/status</c>).
/// </summary>
internal static class SignedReads
{
    public static async Task<(double Signed, double Public)> MeasureAsync(int callers, TimeSpan duration)
    {
        await using var cluster = await LocalCluster.StartAsync(1);
        var node = await cluster.WaitForLeaderAsync(TimeSpan.FromSeconds(30));
        var admin = new TransactionSigner(cluster.Admin, cluster.Genesis.NetworkId);
        var keys = Enumerable.Range(0, callers).Select(_ => IdentityKey.Generate()).ToArray();
        try
        {
            foreach (var k in keys)
            {
                await node.SubmitAndWaitAsync(admin.Sign(RegisterPayload.For(k.Public, Role.Patient, "reader")), TimeSpan.FromSeconds(30));
            }

            var clients = keys.Select(k => new LedgerClient(node.HttpUrl, cluster.Genesis, k)).ToArray();
            try
            {
                await RateAsync(clients, (c, k) => c.GetNextNonceAsync(k), keys, TimeSpan.FromSeconds(1)); // warm-up
                var signed = await RateAsync(clients, (c, k) => c.GetNextNonceAsync(k), keys, duration);
                var unsigned = await RateAsync(clients, (c, _) => c.GetStatusAsync(), keys, duration);
                return (signed, unsigned);
            }
            finally
            {
                foreach (var c in clients)
                {
                    c.Dispose();
                }
            }
        }
        finally
        {
            foreach (var k in keys)
            {
                k.Dispose();
            }
        }
    }

    private static async Task<double> RateAsync<T>(LedgerClient[] clients, Func<LedgerClient, IdentityId, Task<T>> read, IdentityKey[] keys, TimeSpan duration)
    {
        var sw = Stopwatch.StartNew();
        var counts = await Task.WhenAll(clients.Select((c, i) => Task.Run(async () =>
        {
            long n = 0;
            while (sw.Elapsed < duration)
            {
                await read(c, keys[i].Id);
                n++;
            }

            return n;
        })));
        return counts.Sum() / sw.Elapsed.TotalSeconds;
    }
}
