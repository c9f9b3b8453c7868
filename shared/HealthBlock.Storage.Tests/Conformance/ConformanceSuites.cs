using HealthBlock.Protocol.Content;
using HealthBlock.Storage.Embedded;
using HealthBlock.Storage.Ipfs;
using HealthBlock.Storage.Replication;
using HealthBlock.Storage.Tests.Infrastructure;

namespace HealthBlock.Storage.Tests.Conformance;

/// <summary>The embedded store, in a temp folder per test.</summary>
public sealed class EmbeddedContentStoreConformanceTests : TamperableContentStoreConformance
{
    private readonly TempFolder _folder = new();
    private EmbeddedContentStore? _store;

    protected override Task<IContentStore> CreateStoreAsync()
    {
        _store = new EmbeddedContentStore(_folder.Sub("store"));
        return Task.FromResult<IContentStore>(_store);
    }

    protected override Task TamperAsync(Cid cid, bool truncate)
    {
        Tamper.Corrupt(_store!, cid, truncate);
        return Task.CompletedTask;
    }

    protected override Task DisposeStoreAsync()
    {
        _folder.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>The IPFS store against the js-ipfs daemon named by HEALTHBLOCK_IPFS_API.</summary>
[RequiresIpfs]
public sealed class IpfsContentStoreConformanceTests : ContentStoreConformance
{
    private IpfsContentStore? _store;

    protected override Task<IContentStore> CreateStoreAsync()
    {
        _store = IpfsStores.Create();
        return Task.FromResult<IContentStore>(_store);
    }

    protected override Task DisposeStoreAsync()
    {
        _store?.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>The replicated store over three embedded nodes, writing each block to two of them.</summary>
public sealed class ReplicatedOverEmbeddedConformanceTests : TamperableContentStoreConformance
{
    private readonly TempFolder _folder = new();
    private EmbeddedContentStore[] _nodes = [];

    protected override Task<IContentStore> CreateStoreAsync()
    {
        _nodes = [.. Enumerable.Range(0, 3).Select(i => new EmbeddedContentStore(_folder.Sub($"node{i}")))];
        return Task.FromResult<IContentStore>(new ReplicatedContentStore(_nodes, new ReplicatedContentStoreOptions { WriteQuorum = 2 }));
    }

    protected override async Task TamperAsync(Cid cid, bool truncate)
    {
        foreach (var node in _nodes)
        {
            if (await node.HasAsync(cid))
            {
                Tamper.Corrupt(node, cid, truncate);
            }
        }
    }

    protected override Task DisposeStoreAsync()
    {
        _folder.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>The replicated store over the IPFS daemon and an embedded node, writing each block to both.</summary>
[RequiresIpfs]
public sealed class ReplicatedOverIpfsAndEmbeddedConformanceTests : ContentStoreConformance
{
    private readonly TempFolder _folder = new();
    private IpfsContentStore? _ipfs;

    protected override Task<IContentStore> CreateStoreAsync()
    {
        _ipfs = IpfsStores.Create();
        var embedded = new EmbeddedContentStore(_folder.Sub("embedded"));
        return Task.FromResult<IContentStore>(new ReplicatedContentStore([_ipfs, embedded], new ReplicatedContentStoreOptions { WriteQuorum = 2 }));
    }

    protected override Task DisposeStoreAsync()
    {
        _ipfs?.Dispose();
        _folder.Dispose();
        return Task.CompletedTask;
    }
}
