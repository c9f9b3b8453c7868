namespace HealthBlock.Hosting;

/// <summary>What a role says about itself for <c>/healthz</c> (live: the process works) and <c>/readyz</c> (ready: it can do its job now).</summary>
public interface IRoleHealth
{
    /// <summary>Whether the role's own machinery runs (not whether its peers answer).</summary>
    HealthState Liveness();

    /// <summary>Whether the role can serve now: its ledger, store or cluster reachable.</summary>
    HealthState Readiness();
}
