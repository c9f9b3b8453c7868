using HealthBlock.Crypto;
using HealthBlock.Devnet;
using HealthBlock.Ledger;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Accounting.Tests;

/// <summary>The block range route sends a chain's blocks in one response, and the audit reads each chain that way.</summary>
[Collection("ledger")]
public sealed class BlockRangeTests
{
    [Fact]
    public async Task A_range_streams_the_stored_blocks_and_the_audit_makes_no_request_per_block()
    {
        await using var cluster = await LocalCluster.StartAsync(1, new LocalClusterOptions { MaxBlockTransactions = 1 });
        var node = cluster.Nodes[0]!;
        using var key = IdentityKey.Generate();
        var patient = new TransactionSigner(key, cluster.Genesis.NetworkId);
        await Helpers.CommitAsync(node, await Helpers.AdminRegistersAsync(node, cluster.Admin, key.Public));
        for (ulong b = 0; b < 30; b++)
        {
            await Helpers.CommitAsync(node, patient.Sign(Helpers.Iot(0, b)));
        }

        var blocks = node.BlockCount(ChainId.Userchain);
        Assert.True(blocks >= 31);
        var counter = new CountingHandler { InnerHandler = LedgerTls.PinnedHandler(node.Genesis) };
        using var http = new HttpClient(counter) { BaseAddress = node.HttpUrl };
        using var client = new LedgerClient(http, caller: cluster.Admin);

        // A middle range comes back whole and in order, equal to the blocks read one by one; a range past the end stops there.
        var range = await client.ReadBlocksAsync(ChainId.Userchain, 5, 12).ToListAsync();
        Assert.Equal(Enumerable.Range(5, 7).Select(h => (ulong)h), range.Select(b => b.Header.Height));
        Assert.Equal((await node.GetBlockAsync(ChainId.Userchain, 9))!.Hash, range[4].Hash);
        Assert.Equal(3, (await client.ReadBlocksAsync(ChainId.Userchain, blocks - 3, blocks + 50).ToListAsync()).Count);
        Assert.Empty(await client.ReadBlocksAsync(ChainId.Docchain, 0, 10).ToListAsync());
        var unknown = await Assert.ThrowsAsync<LedgerRejectedException>(() => client.ReadBlocksAsync((ChainId)9, 0, 1).ToListAsync().AsTask());
        Assert.Equal(RejectReason.Malformed, unknown.Reason);

        // The audit: status, genesis and one range per chain, however long the chains are (the empty Docchain needs none).
        counter.Requests = 0;
        var audit = await LedgerAudit.RunAsync(client);
        Assert.True(audit.Ok, audit.Message);
        Assert.Equal(blocks, audit.UserchainBlocks);
        Assert.Equal(3, counter.Requests);
    }

    private sealed class CountingHandler : DelegatingHandler
    {
        public int Requests;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref Requests);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
