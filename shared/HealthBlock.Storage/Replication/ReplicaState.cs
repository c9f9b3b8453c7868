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
