using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Ledger;

/// <summary>What a node reports about itself.</summary>
/// <param name="NodeId">The node's identity id.</param>
/// <param name="Role">leader, follower or candidate.</param>
/// <param name="Term">The Raft term.</param>
/// <param name="Leader">The leader's Raft endpoint, if known.</param>
/// <param name="LeaderUrl">The leader's HTTP URL, if known.</param>
/// <param name="Chains">Per chain: block count, tip hash, fault.</param>
/// <param name="Peers">The other cluster members.</param>
/// <param name="StateHash">Hex SHA-256 of the committed state (see <see cref="LedgerState.ComputeStateHash"/>).</param>
/// <param name="GenesisHash">Hex hash of the genesis.</param>
/// <param name="DiagnosisFee">Healthcoin per diagnosis.</param>
/// <param name="AppliedIndex">The last Raft log index applied.</param>
/// <param name="RejectedBlocks">Committed blocks this replica refused as invalid (should stay 0).</param>
/// <param name="LastRejection">Why the last one was refused.</param>
public sealed record LedgerStatus(
    string NodeId,
    string Role,
    long Term,
    string? Leader,
    string? LeaderUrl,
    IReadOnlyList<ChainStatus> Chains,
    IReadOnlyList<PeerStatus> Peers,
    string StateHash,
    string GenesisHash,
    ulong DiagnosisFee,
    long AppliedIndex,
    long RejectedBlocks,
    string? LastRejection)
{
    /// <summary>Number of blocks of a chain.</summary>
    public ulong BlockCount(ChainId chain) => Chains.FirstOrDefault(c => c.Chain == chain)?.BlockCount ?? 0;
}
