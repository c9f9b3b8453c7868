using DotNext.Net.Cluster.Consensus.Raft;
using HealthBlock.Crypto;
using HealthBlock.Ledger;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Accounting;

/// <summary>A node's <see cref="LedgerStatus"/>: its Raft role, term, leader and peers, and its replica's chains and state.</summary>
internal static class NodeStatusReport
{
    /// <summary>The status now.</summary>
    /// <param name="node">The node's identity id.</param>
    /// <param name="genesis">The genesis.</param>
    /// <param name="cluster">The Raft cluster, or null before it starts.</param>
    /// <param name="isLeader">True while this node leads.</param>
    /// <param name="httpUrl">This node's HTTP URL (the leader URL when it leads).</param>
    /// <param name="replica">The replica (read under its lock).</param>
    /// <param name="storage">The chain files (for the chain faults).</param>
    public static LedgerStatus Build(IdentityId node, Genesis genesis, RaftCluster? cluster, bool isLeader, Uri? httpUrl, ReplicaStateMachine replica, ChainStorage storage)
    {
        var leader = cluster?.Leader;
        var role = leader is null ? "candidate" : isLeader ? "leader" : "follower";
        var peers = cluster?.Members.Select(m => new PeerStatus(
            m.EndPoint.ToString() ?? "",
            m.Status.ToString().ToLowerInvariant(),
            m.IsLeader,
            !m.IsRemote)).ToList() ?? [];
        string? leaderUrl = null;
        if (leader is not null)
        {
            leaderUrl = !leader.IsRemote ? httpUrl?.ToString()
                : leader.TryGetMetadata() is { } md && md.TryGetValue(LeaderForwarder.HttpMetadataKey, out var u) ? u : null;
        }

        lock (replica.Sync)
        {
            var committed = replica.Committed;
            var chains = new[] { ChainId.Userchain, ChainId.Docchain }.Select(c =>
            {
                var tip = committed.Tip(c);
                return new ChainStatus(c, tip.BlockCount, Convert.ToHexStringLower(tip.LastHash), storage.Fault(c));
            }).ToList();
            return new LedgerStatus(
                node.ToString(),
                role,
                cluster?.Term ?? 0,
                leader?.EndPoint.ToString(),
                leaderUrl,
                chains,
                peers,
                Convert.ToHexStringLower(committed.ComputeStateHash()),
                Convert.ToHexStringLower(genesis.Hash),
                genesis.DiagnosisFee,
                replica.AppliedIndex,
                replica.RejectedBlocks,
                replica.LastRejection);
        }
    }
}
