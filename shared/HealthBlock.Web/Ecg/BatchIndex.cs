using HealthBlock.Crypto;
using HealthBlock.Ledger;
using HealthBlock.Protocol.Content;
using HealthBlock.Protocol.Frames;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Web.Ecg;

/// <summary>A committed IoT batch of the patient: where it is stored and what time it covers.</summary>
internal sealed record BatchRef(string TransactionId, uint Epoch, ulong Batch, Cid Cid, long WindowStartMs, long WindowEndMs, bool HasEcg, bool HasVitals, bool Live);

/// <summary>
/// The patient's committed IoT batches, read from Userchain incrementally (each sync continues at the last height it
/// reached; transactions are recorded by id, so a height read twice adds nothing).
/// </summary>
internal sealed class BatchIndex(ILedgerReader ledger, IdentityId patient)
{
    private readonly List<BatchRef> _batches = [];
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private ulong _height;

    /// <summary>Batches known so far, in ledger order.</summary>
    public IReadOnlyList<BatchRef> Batches => _batches;

    /// <summary>Reads the IoT transactions committed since the last sync.</summary>
    public async Task SyncAsync(CancellationToken cancellationToken)
    {
        await foreach (var committed in ledger.ReadAllTransactionsForAsync(patient, ChainId.Userchain, _height, cancellationToken).ConfigureAwait(false))
        {
            _height = Math.Max(_height, committed.Location.Height);
            if (committed.Transaction.Body.Payload is IotPayload iot && committed.Transaction.Body.Signer == patient && _seen.Add(committed.Transaction.IdHex))
            {
                _batches.Add(new BatchRef(
                    committed.Transaction.IdHex, iot.Epoch, iot.Batch, iot.Cid, iot.WindowStartMs, iot.WindowEndMs,
                    iot.Kinds.Contains(SensorKind.Ecg),
                    iot.Kinds.Contains(SensorKind.BloodPressure) || iot.Kinds.Contains(SensorKind.Temperature),
                    iot.Live is not null));
            }
        }
    }

    /// <summary>Batches whose window overlaps [<paramref name="fromMs"/>, <paramref name="toMs"/>).</summary>
    public IEnumerable<BatchRef> Overlapping(long fromMs, long toMs) =>
        _batches.Where(b => b.WindowStartMs < toMs && b.WindowEndMs >= fromMs);
}
