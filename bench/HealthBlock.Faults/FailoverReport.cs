namespace HealthBlock.Faults;

/// <summary>The figures of one leader-failover run.</summary>
/// <param name="Rounds">Leaders killed.</param>
/// <param name="Committed">Transactions confirmed committed to their submitter.</param>
/// <param name="Lost">Confirmed transactions missing afterwards on some running replica (must be 0).</param>
/// <param name="Resubmitted">Submissions repeated after a leadership loss, a timeout or an unreachable node.</param>
/// <param name="NewLeaderMs">Time from each kill to a new leader, in ms.</param>
/// <param name="SameStateHash">True when every running replica reports the same state hash at the end.</param>
public sealed record FailoverReport(int Rounds, int Committed, int Lost, long Resubmitted, IReadOnlyList<double> NewLeaderMs, bool SameStateHash);
