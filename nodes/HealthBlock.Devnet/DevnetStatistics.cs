using HealthBlock.Crypto;
using HealthBlock.Gateway;
using HealthBlock.Gateway.Statistics;
using HealthBlock.Ledger;
using HealthBlock.Paillier;
using HealthBlock.Protocol.Content;
using HealthBlock.Protocol.Frames;
using HealthBlock.Protocol.Ledger;
using HealthBlock.Statistics;
using HealthBlock.Storage;

namespace HealthBlock.Devnet;

/// <summary>
/// <c>devnet --stats</c>: a statistics identity (registered by the admin, a 2048-bit Paillier key so devnet starts
/// quickly; production uses 3072), k set to the number of patients (at most 10), every patient opted in through its
/// gateway, short periods; at the end a doctor asks for the cohort's mean heart rate and the figure is checked against
/// the one computed in the clear from the committed IoT batches of the same patient-periods.
/// </summary>
internal sealed class DevnetStatistics : IDisposable
{
    /// <summary>How long the gateways wait after a period before publishing it (the ECG analyser holds a beat up to 20 s).</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(25);

    private readonly IdentityKey _identity;
    private readonly StatisticsNode _node;
    private readonly ILedger _ledger;

    private DevnetStatistics(IdentityKey identity, StatisticsNode node, ILedger ledger, StatisticsOptions options)
    {
        _identity = identity;
        _node = node;
        _ledger = ledger;
        GatewayOptions = options;
    }

    /// <summary>What each gateway contributes with.</summary>
    public StatisticsOptions GatewayOptions { get; }

    /// <summary>Registers the statistics identity, publishes its key and sets k.</summary>
    public static async Task<DevnetStatistics> StartAsync(ILedger ledger, TransactionSigner admin, int patients, TimeSpan period, CancellationToken cancellationToken)
    {
        var identity = IdentityKey.Generate();
        await ledger.SubmitAndWaitAsync(admin.Sign(RegisterPayload.For(identity.Public, Role.Statistics, "statistics")), TimeSpan.FromSeconds(60), cancellationToken).ConfigureAwait(false);
        var k = (uint)Math.Clamp(patients, (int)StatisticsPolicyPayload.MinK, (int)StatisticsPolicyPayload.DefaultK);
        await ledger.SubmitAndWaitAsync(admin.Sign(new StatisticsPolicyPayload(identity.Id, k)), TimeSpan.FromSeconds(60), cancellationToken).ConfigureAwait(false);
        var network = (await ledger.GetGenesisAsync(cancellationToken).ConfigureAwait(false)).NetworkId;
        var node = new StatisticsNode(PaillierPrivateKey.Generate(2048), new LedgerSubmitter(identity, network, new MemoryNonceCounter(), ledger), ledger);
        await node.EnsureKeyPublishedAsync(cancellationToken).ConfigureAwait(false);
        return new DevnetStatistics(identity, node, ledger, new StatisticsOptions { Statistics = identity.Id, Period = period, Grace = Grace });
    }

    /// <summary>Every patient opts in through its gateway's submitter.</summary>
    public Task OptInAsync(IEnumerable<GatewayService> gateways, CancellationToken cancellationToken) =>
        Task.WhenAll(gateways.Select(g => g.Submitter.SubmitAndWaitAsync(new StatisticsConsentPayload(_identity.Id, true), cancellationToken)));

    /// <summary>Waits until every gateway has published every period (at most a period, the grace and a minute).</summary>
    public async Task WaitForContributionsAsync(IReadOnlyList<GatewayService> gateways)
    {
        var deadline = DateTime.UtcNow + GatewayOptions.Period + Grace + TimeSpan.FromMinutes(1);
        while (DateTime.UtcNow < deadline && gateways.Any(g => g.Statistics is { OpenPeriods: > 0 }))
        {
            await Task.Delay(250).ConfigureAwait(false);
        }
    }

    /// <summary>A doctor asks for the cohort's mean heart rate over the whole run; the clear figure is computed beside it.</summary>
    public async Task<DevnetStatisticsReport> ReportAsync(IReadOnlyList<GatewayService> gateways, IdentityKey doctor, IContentStore store, CancellationToken cancellationToken)
    {
        var history = new StatisticsHistory(_ledger, _identity.Id);
        await history.RefreshAsync(cancellationToken).ConfigureAwait(false);
        var (count, sumMs, reordered) = (0L, 0L, 0L);
        foreach (var gateway in gateways)
        {
            var periods = history.Contributions.Where(c => c.Patient == gateway.Patient.Id).Select(c => (c.PeriodStartMs, c.PeriodEndMs)).ToList();
            var (intervals, late) = await ClearRrIntervalsAsync(gateway, store, cancellationToken).ConfigureAwait(false);
            reordered += late;
            foreach (var rr in intervals)
            {
                if (periods.Exists(p => rr.TimeMs >= p.PeriodStartMs && rr.TimeMs < p.PeriodEndMs))
                {
                    count++;
                    sumMs += rr.First;
                }
            }
        }

        var report = new DevnetStatisticsReport { ClearHeartRateBpm = sumMs == 0 ? null : 60_000.0 * count / sumMs, ClearRrIntervals = count, FramesCommittedOutOfOrder = reordered };
        try
        {
            var request = await CohortRequester.PrepareAsync(_ledger, _identity.Id, doctor, CohortMetric.HeartRate, 0, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + 1, null, cancellationToken: cancellationToken).ConfigureAwait(false);
            var answer = await _node.AnswerAsync(request, cancellationToken).ConfigureAwait(false);
            return report with
            {
                Patients = answer.Patients, Contributions = answer.Contributions, K = answer.K, RrIntervals = answer.Readings,
                CohortHeartRateBpm = answer.Value, Record = answer.RecordTransaction,
            };
        }
        catch (CohortRefusedException e)
        {
            return report with { Refused = $"{e.Reason}: {e.Message}" };
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _node.Dispose();
        _identity.Dispose();
    }

    /// <summary>
    /// The patient's RR intervals from the frames of its committed IoT transactions, opened with its own keys and run
    /// through the extractor in the order the gateway journalled them: each device's frames by device time, then
    /// sequence number. Commit order is not that order on the live path: when the key rotates, the sub-batches sealed
    /// under the old epoch but not yet announced are superseded and their frames sealed again after frames that arrived
    /// meanwhile, so a bundle can hold a device's later frames before its earlier ones (the ECG stream analyser takes a
    /// frame older than its stream's start as a repeat and drops it). The journal takes a device's frames only in
    /// ascending sequence, which is what the gateway's contributor analyses. Also counts the frames committed after a
    /// later frame of their device.
    /// </summary>
    private async Task<(List<VitalSignEvent> Intervals, long OutOfOrder)> ClearRrIntervalsAsync(GatewayService gateway, IContentStore store, CancellationToken cancellationToken)
    {
        var patient = gateway.Patient.Id;
        var iot = (await _ledger.GetTransactionsForAsync(patient, ChainId.Userchain, 0, 100_000, cancellationToken).ConfigureAwait(false))
            .Select(t => t.Transaction.Body).Where(b => b.Signer == patient).Select(b => b.Payload).OfType<IotPayload>();
        var frames = new List<DeviceFrame>();
        foreach (var p in iot)
        {
            var key = gateway.Keys.Epoch(p.Epoch)?.IotKey ?? throw new InvalidOperationException($"The gateway of {patient} has no key of epoch {p.Epoch}.");
            var block = await store.GetAsync(p.Cid, cancellationToken).ConfigureAwait(false);
            frames.AddRange(IotBlock.OpenFrames(block, key, patient, p.Epoch, p.Batch, p.Live is not null).Select(f => DeviceFrame.Decode(f)));
        }

        var newest = new Dictionary<string, long>(StringComparer.Ordinal);
        var outOfOrder = 0L;
        foreach (var f in frames)
        {
            if (newest.TryGetValue(f.DeviceName, out var latest) && latest > f.TimestampMs)
            {
                outOfOrder++;
                continue;
            }

            newest[f.DeviceName] = f.TimestampMs;
        }

        var extractor = new VitalSignsExtractor();
        var events = new List<VitalSignEvent>();
        foreach (var frame in frames.OrderBy(f => f.DeviceName, StringComparer.Ordinal).ThenBy(f => f.TimestampMs).ThenBy(f => f.Sequence))
        {
            extractor.Add(frame, events);
        }

        return ([.. events.Where(e => e.Kind == VitalSignKind.RrInterval)], outOfOrder);
    }
}
