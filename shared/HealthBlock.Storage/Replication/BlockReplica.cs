namespace HealthBlock.Storage.Replication;

/// <summary>One node's copy of a block.</summary>
/// <param name="Node">The node (one of <see cref="ReplicatedContentStore.Nodes"/>).</param>
/// <param name="State">What the node holds.</param>
/// <param name="Detail">Why the node is <see cref="ReplicaState.Tampered"/> or <see cref="ReplicaState.Unavailable"/>; null otherwise.</param>
public sealed record BlockReplica(IContentStore Node, ReplicaState State, string? Detail = null);
