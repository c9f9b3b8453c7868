using HealthBlock.Protocol.Content;

namespace HealthBlock.Storage.Tests.Infrastructure;

/// <summary>Wraps a store and fails on demand: a node that is down, or one that serves wrong bytes without checking them.</summary>
public sealed class FaultyStore(IContentStore inner, string name) : IContentStore
{
    /// <summary>When true, every call throws <see cref="StoreUnavailableException"/>.</summary>
    public bool Down { get; set; }

    /// <summary>When true, gets return the stored bytes with one bit flipped, unverified (a buggy or lying node).</summary>
    public bool ServesCorruptBytes { get; set; }

    /// <summary>The wrapped store.</summary>
    public IContentStore Inner => inner;

    /// <inheritdoc />
    public string Name => name;

    /// <inheritdoc />
    public Task<Cid> PutAsync(ReadOnlyMemory<byte> block, CancellationToken cancellationToken = default)
    {
        ThrowIfDown();
        return inner.PutAsync(block, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<byte[]> GetAsync(Cid cid, CancellationToken cancellationToken = default)
    {
        ThrowIfDown();
        var bytes = await inner.GetAsync(cid, cancellationToken);
        if (ServesCorruptBytes)
        {
            bytes = bytes.Length == 0 ? [0x42] : bytes;
            bytes[0] ^= 0x01;
        }

        return bytes;
    }

    /// <inheritdoc />
    public Task<bool> HasAsync(Cid cid, CancellationToken cancellationToken = default)
    {
        ThrowIfDown();
        return inner.HasAsync(cid, cancellationToken);
    }

    /// <inheritdoc />
    public Task PinAsync(Cid cid, CancellationToken cancellationToken = default)
    {
        ThrowIfDown();
        return inner.PinAsync(cid, cancellationToken);
    }

    private void ThrowIfDown()
    {
        if (Down)
        {
            throw new StoreUnavailableException(name, $"{name} is down (test fault).", null);
        }
    }
}
