namespace HealthBlock.Storage.Replication;

/// <summary>A node served a block that does not hash to its CID (raised by <see cref="ReplicatedContentStore.TamperDetected"/>).</summary>
public sealed class TamperDetectedEventArgs : EventArgs
{
    /// <summary>Creates the event data.</summary>
    /// <param name="node">The node that served the bad copy.</param>
    /// <param name="error">The verification failure, naming the CID and the node.</param>
    public TamperDetectedEventArgs(IContentStore node, BlockTamperedException error)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(error);
        Node = node;
        Error = error;
    }

    /// <summary>The node that served the bad copy.</summary>
    public IContentStore Node { get; }

    /// <summary>The verification failure; its <see cref="StoreException.Cid"/> names the block.</summary>
    public BlockTamperedException Error { get; }
}
