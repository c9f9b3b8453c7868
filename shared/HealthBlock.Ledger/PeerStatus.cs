
namespace HealthBlock.Ledger;

/// <summary>A cluster member as a node sees it.</summary>
/// <param name="EndPoint">Its Raft endpoint.</param>
/// <param name="Status">available, unavailable or unknown.</param>
/// <param name="IsLeader">True for the leader.</param>
/// <param name="IsSelf">True for the reporting node.</param>
public sealed record PeerStatus(string EndPoint, string Status, bool IsLeader, bool IsSelf);
