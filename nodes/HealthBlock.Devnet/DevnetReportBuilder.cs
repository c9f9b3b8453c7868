using HealthBlock.Accounting;
using HealthBlock.Alerts;
using HealthBlock.Crypto;
using HealthBlock.Gateway;
using HealthBlock.Ledger;
using HealthBlock.Protocol.Content;
using HealthBlock.Protocol.Ledger;
using HealthBlock.Storage;
using HealthBlock.Storage.Embedded;

namespace HealthBlock.Devnet;

/// <summary>
/// The end of a devnet run: audits both chains and the store (every block re-hashed, every referenced block present), counts the committed transactions by kind, checks that
/// every frame a wearable had acknowledged is in a committed batch and that the revoked doctor wrote nothing after its
/// revocation, and gathers latencies and alerts into the report.
/// </summary>
/// <param name="options">The run's options.</param>
/// <param name="latencies">Reading → diagnosis committed, ms, of every diagnosis.</param>
/// <param name="alertHubs">Every role's alert hub.</param>
internal sealed class DevnetReportBuilder(DevnetOptions options, double[] latencies, IReadOnlyList<AlertHub> alertHubs)
{
    /// <summary>Audits the chains and the store, counts what was committed and checks every acknowledged frame is on the chain.</summary>
    public async Task<DevnetReport> BuildAsync(
        AccountingNode ledger,
        IContentStore store,
        GatewayService[] gateways,
        WearableFleet fleet,
        List<ulong>[] devicesOf,
        (IdentityId Doctor, IdentityId Patient, long AtMs, uint Epoch) revoked,
        TimeSpan streamed)
    {
        var problems = new List<string>();
        var citations = new LiveCitationAudit(options.IotPeriod);
        var storedBlocks = new StoredBlockAudit();
        var audit = await LedgerAudit.RunAsync(ledger, citations: citations, storedBlocks: storedBlocks).ConfigureAwait(false);
        if (!audit.Ok)
        {
            problems.Add($"ledger: {(audit.Chain is { } c ? LedgerText.ChainName(c) : "?")} height {audit.Height}: {audit.Reason}: {audit.Message}");
        }

        var lostBlocks = await storedBlocks.FindMissingAsync((cid, ct) => store.HasAsync(cid, ct)).ConfigureAwait(false);
        problems.AddRange(lostBlocks.Select(m => $"store: block {m.Cid} (the {m.What} of transaction {m.TransactionId}, patient {m.Patient}) is held by no store node"));
        await citations.VerifyLeavesAsync((cid, ct) => store.GetAsync(cid, ct)).ConfigureAwait(false);
        problems.AddRange(citations.Problems.Select(p => $"citation: {p}"));

        if (store is EmbeddedContentStore embedded)
        {
            var verification = await embedded.VerifyAllAsync().ConfigureAwait(false);
            problems.AddRange(verification.Tampered.Select(cid => $"store: block {cid} no longer hashes to its CID"));
        }

        var status = await ledger.GetStatusAsync().ConfigureAwait(false);
        long iot = 0, key = 0, payment = 0, diagnoses = 0, framesCommitted = 0, revokedAfter = 0;
        foreach (var chain in new[] { ChainId.Userchain, ChainId.Docchain })
        {
            for (ulong h = 0; h < status.BlockCount(chain); h++)
            {
                var block = await ledger.GetBlockAsync(chain, h).ConfigureAwait(false);
                foreach (var tx in block!.Transactions)
                {
                    switch (tx.Body.Payload)
                    {
                        case IotPayload p:
                            iot++;
                            framesCommitted += p.FrameCount;
                            break;
                        case KeyPayload:
                            key++;
                            break;
                        case PaymentPayload:
                            payment++;
                            break;
                        case DiagnosisPayload d:
                            diagnoses++;
                            if (revoked.AtMs > 0 && tx.Body.Signer == revoked.Doctor && d.Patient == revoked.Patient && block.Header.TimeMs > revoked.AtMs)
                            {
                                revokedAfter++;
                            }

                            break;
                    }
                }
            }
        }

        var missing = 0L;
        for (var p = 0; p < gateways.Length; p++)
        {
            var committed = await CommittedFramesAsync(ledger, store, gateways[p]).ConfigureAwait(false);
            foreach (var device in devicesOf[p])
            {
                foreach (var seq in fleet.Acked.GetValueOrDefault(device) ?? [])
                {
                    if (!committed.Contains((device, seq)))
                    {
                        missing++;
                    }
                }
            }
        }

        if (missing > 0)
        {
            problems.Add($"{missing} acknowledged frames are missing from the chain");
        }

        if (revokedAfter > 0)
        {
            problems.Add($"the revoked doctor committed {revokedAfter} diagnoses after revocation");
        }

        return new DevnetReport
        {
            Seconds = Math.Round(streamed.TotalSeconds, 1),
            Wearables = options.Wearables,
            Patients = gateways.Length,
            Doctors = options.Doctors,
            Nodes = options.Nodes,
            FramesProduced = fleet.FramesProduced,
            FramesSent = fleet.FramesSent,
            FramesAcked = fleet.FramesAcked,
            FramesCommitted = framesCommitted,
            FramesRejected = gateways.Sum(g => g.Ingestor.Rejections.Values.Sum()),
            FramesDroppedByDevices = fleet.FramesDropped,
            AckedFramesMissing = missing,
            Batches = gateways.Sum(g => g.Batcher.CommittedBatches),
            IotTxs = iot,
            KeyTxs = key,
            PaymentTxs = payment,
            Diagnoses = diagnoses,
            Blocks = new Dictionary<string, ulong>
            {
                ["userchain"] = status.BlockCount(ChainId.Userchain),
                ["docchain"] = status.BlockCount(ChainId.Docchain),
            },
            LatencyMs = LatencyReport.Of(latencies),
            RevokedDoctorDiagnosesAfterRevocation = revokedAfter,
            FramesPerSecond = streamed.TotalSeconds > 0 ? Math.Round(gateways.Sum(g => g.Ingestor.AcceptedCount) / streamed.TotalSeconds, 1) : 0,
            Audit = new AuditSummary { Ok = problems.Count == 0, Problems = problems },
            Alerts = CountAlerts(),
            CitationsBacked = citations.Backed,
            CitationsPending = citations.Pending,
        };
    }

    /// <summary>Alerts raised by the gateways, the accounting nodes and the doctor nodes, by kind.</summary>
    private Dictionary<string, long> CountAlerts()
    {
        var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var hub in alertHubs)
        {
            foreach (var (kind, n) in hub.CountsByKind)
            {
                counts[kind.ToString()] = counts.GetValueOrDefault(kind.ToString()) + n;
            }
        }

        return new Dictionary<string, long>(counts, StringComparer.Ordinal);
    }

    private static async Task<HashSet<(ulong Device, uint Sequence)>> CommittedFramesAsync(ILedger ledger, IContentStore store, GatewayService gateway)
    {
        var set = new HashSet<(ulong, uint)>();
        foreach (var t in await ledger.GetTransactionsForAsync(gateway.Patient.Id, ChainId.Userchain, 0, 1_000_000).ConfigureAwait(false))
        {
            if (t.Transaction.Body.Payload is IotPayload p && gateway.Keys.Epoch(p.Epoch) is { } key)
            {
                var block = await store.GetAsync(p.Cid).ConfigureAwait(false);
                var frames = IotBlock.OpenFrames(block, key.IotKey, gateway.Patient.Id, p.Epoch, p.Batch, p.Live is not null);
                foreach (var bytes in frames)
                {
                    var frame = Protocol.Frames.DeviceFrame.Decode(bytes);
                    set.Add((frame.DeviceId, frame.Sequence));
                }
            }
        }

        return set;
    }

}
