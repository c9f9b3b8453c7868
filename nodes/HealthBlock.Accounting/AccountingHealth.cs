using HealthBlock.Hosting;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Accounting;

/// <summary>The accounting node's health: live while it runs; ready while it knows a leader and serves both chains.</summary>
/// <param name="node">The node.</param>
internal sealed class AccountingHealth(AccountingNode node) : IRoleHealth
{
    /// <inheritdoc />
    public HealthState Liveness() => node.Running ? HealthState.Healthy("running") : HealthState.Unhealthy("not running");

    /// <inheritdoc />
    public HealthState Readiness()
    {
        if (!node.Running)
        {
            return HealthState.Unhealthy("not running");
        }

        foreach (var chain in new[] { ChainId.Userchain, ChainId.Docchain })
        {
            if (node.ChainFault(chain) is { } fault)
            {
                return HealthState.Unhealthy(fault);
            }
        }

        var status = node.GetStatusAsync().GetAwaiter().GetResult();
        return status.Leader is null
            ? HealthState.Unhealthy($"no leader (term {status.Term})")
            : HealthState.Healthy($"{status.Role}, term {status.Term}, userchain {status.BlockCount(ChainId.Userchain)} blocks, docchain {status.BlockCount(ChainId.Docchain)} blocks");
    }
}
