using HealthBlock.Alerts;
using HealthBlock.Crypto;
using HealthBlock.Doctor.Runtime;
using HealthBlock.Doctor.Storage;
using HealthBlock.Ledger;
using HealthBlock.Protocol.Ledger;
using Microsoft.Extensions.Logging;

namespace HealthBlock.Doctor.Following;

/// <summary>
/// Follows Userchain from the persisted cursor (<see cref="IChainFeed.FollowAsync"/>: over HTTP the node's feed of this
/// doctor's transactions and those of its patients, each proven against its block's signed header): each block is read
/// (<see cref="UserchainBlockReader"/>) and applied with the cursor in one database transaction
/// (<see cref="UserchainIngest"/>); then its alerts are raised, withdrawn patients logged, and the patients with new
/// pending IoT transactions handed to <paramref name="schedule"/>. A failed subscription is resumed from the cursor
/// after a backoff (counted as a transient failure): nothing is missed, nothing repeated. Each block must link to the
/// last one handled (<see cref="UserchainIngest.Head"/>, kept across restarts): the feed checks links within one
/// subscription, this checks the seam between subscriptions, restarts and nodes, so a rewritten history or another
/// fork is refused and alerted (<see cref="AlertKind.HistoryRewritten"/>, once per height) instead of applied.
/// </summary>
internal sealed class UserchainFollower(
    IChainFeed feed,
    DoctorDatabase db,
    UserchainBlockReader reader,
    NodeCounters counters,
    AlertHub alerts,
    DoctorAlerts doctorAlerts,
    BackgroundWork work,
    Func<Backoff> newBackoff,
    Action<IdentityId> schedule,
    ILogger log)
{
    /// <summary>Follows until the node stops.</summary>
    public async Task RunAsync()
    {
        var stop = work.Stopping;
        var backoff = newBackoff();
        while (!stop.IsCancellationRequested)
        {
            try
            {
                var from = db.Userchain.Cursor;
                await foreach (var block in feed.FollowAsync(ChainId.Userchain, from, stop).ConfigureAwait(false))
                {
                    if (block.Header.Height < from)
                    {
                        continue;
                    }

                    Handle(block, work.Time.GetUtcNow().ToUnixTimeMilliseconds());
                    from = block.Header.Height + 1;
                    backoff.Reset();
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                counters.Transient();
                log.LogWarning("Following Userchain failed ({Type}: {Message}); resubscribing in {Delay} ms", e.GetType().Name, e.Message, (int)backoff.Current.TotalMilliseconds);
                if (!await work.DelayAsync(backoff.Current).ConfigureAwait(false))
                {
                    return;
                }

                backoff.Grow();
            }
        }
    }

    private ulong? _rewriteAlerted;

    /// <summary>Records one block and acts on it: alerts, logs, cursor, scheduling.</summary>
    /// <exception cref="LedgerHistoryRewrittenException">The block does not link to the last one handled.</exception>
    internal void Handle(FeedBlock block, long nowMs)
    {
        if (db.Userchain.Head is { } head && block.Header.Height == head.Height + 1 && !block.Header.PreviousHash.AsSpan().SequenceEqual(head.Hash))
        {
            if (_rewriteAlerted != block.Header.Height)
            {
                _rewriteAlerted = block.Header.Height;
                alerts.Raise(doctorAlerts.HistoryRewritten(block.Header.Height, head.Hash, block.Header.PreviousHash, block.Header.Proposer));
            }

            throw new LedgerHistoryRewrittenException($"Userchain block {block.Header.Height} does not link to block {head.Height} as this node handled it");
        }

        var raise = new List<Alert>();
        var result = db.Userchain.Apply(block.Header.Height, reader.Read(block, raise), nowMs, block.Hash);
        counters.Apply(result.Delta);

        // Raised once the block is recorded: a block handled again after a failure does not alert twice.
        foreach (var alert in raise)
        {
            alerts.Raise(alert);
        }

        foreach (var patient in result.Withdrawn)
        {
            log.LogInformation("Patient {Patient} no longer authorises this doctor (key transaction at userchain/{Height}); not serving it", patient, block.Header.Height);
        }

        counters.Cursor = block.Header.Height + 1;
        foreach (var patient in result.Schedule)
        {
            schedule(patient);
        }
    }
}
