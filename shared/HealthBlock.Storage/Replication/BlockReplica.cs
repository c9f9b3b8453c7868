namespace HealthBlock.Storage.Replication;

/// <summary>The state of one node's copy of a block, as <see cref="ReplicatedContentStore.LocateAsync"/> found it.</summary>
public enum ReplicaState
{
    /// <summary>The node holds the block (and, when verified, it hashes to its CID).</summary>
    Present,

    /// <summary>The node does not hold the block.</summary>
    Missing,

    /// <summary>The node holds bytes under this CID that do not hash to it.</summary>
    Tampered,

    /// <summary>The node could not be asked (unreachable, timed out, failed).</summary>
    Unavailable,
}

/// <summary>One node's copy of a block.</summary>
/// <param name="Node">The node (one of <see cref="ReplicatedContentStore.Nodes"/>).</param>
/// <param name="State">What the node holds.</param>
/// <param name="Detail">Why the node is <see cref="ReplicaState.Tampered"/> or <see cref="ReplicaState.Unavailable"/>; null otherwise.</param>
public sealed record BlockReplica(IContentStore Node, ReplicaState State, string? Detail = null);

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
