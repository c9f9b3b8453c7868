using System.Collections.Concurrent;
using HealthBlock.Alerts;
using HealthBlock.Crypto;
using HealthBlock.Doctor.Runtime;
using HealthBlock.Doctor.Storage;
using HealthBlock.Protocol;
using HealthBlock.Protocol.Content;
using HealthBlock.Protocol.Frames;
using HealthBlock.Storage;
using Microsoft.Extensions.Logging;

namespace HealthBlock.Doctor.Diagnosing;

/// <summary>A fetched and opened batch (its frames), or why not (<paramref name="Error"/>) and the alert to raise when it is given up.</summary>
internal sealed record OpenedBatch(IotItem Item, IReadOnlyList<DeviceFrame>? Frames, string? Error, Alert? Alert)
{
    /// <summary>For a period bundle of live sub-batches: each opened sub-batch and its hash, in sequence order; else null.</summary>
    public IReadOnlyList<(LiveBatch Batch, byte[] Hash)>? Live { get; init; }

    /// <summary>True when the batch opened.</summary>
    public bool Opened => Error is null;
}

/// <summary>
/// Opens an IoT transaction's batch: fetches its block by CID (the store checks the bytes hash to it), opens it with the
/// patient's IoT key of the epoch and the AAD of (patient, epoch, batch) (<see cref="IotBatch.Open"/>), and decodes
/// its frames (a malformed frame is left out and logged). A period's bundle of live sub-batches (<see cref="LiveBundle"/>,
/// told apart by its first bytes: a sealed batch starts with its IOTB nonce) is opened sub-batch by sub-batch
/// (<see cref="LiveBatch.Open"/>), each bound to the patient and epoch. A tampered block, a batch that does not authenticate or
/// decode, and a block still missing after <see cref="DoctorNodeOptions.MaxFetchAttempts"/> fetches (every copy lost or
/// withheld: <see cref="AlertKind.BlockMissing"/>) are final
/// (<see cref="OpenedBatch.Error"/>, with the alert to raise when the transaction is given up); a store that is
/// unavailable throws, for the caller to retry.
/// </summary>
internal sealed class BatchOpener(IContentStore store, DoctorAlerts alerts, int maxFetchAttempts, ILogger log)
{
    private readonly ConcurrentDictionary<string, int> _fetchAttempts = new(StringComparer.Ordinal);

    /// <summary>Fetches and opens <paramref name="item"/>'s batch.</summary>
    /// <exception cref="StoreException">The store is unavailable (not a missing or tampered block): retry later.</exception>
    public async Task<OpenedBatch> OpenAsync(IotItem item, byte[] iotKey, CancellationToken cancellationToken)
    {
        byte[] sealedBatch;
        try
        {
            sealedBatch = await store.GetAsync(item.Cid, cancellationToken).ConfigureAwait(false);
        }
        catch (BlockTamperedException e)
        {
            var where = e.Store ?? store.Name;
            return new OpenedBatch(item, null, $"its block is tampered: {e.Message}", alerts.BlockTampered(item, where, e.Message));
        }
        catch (BlockNotFoundException) when (_fetchAttempts.AddOrUpdate(item.TxId, 1, (_, n) => n + 1) >= maxFetchAttempts)
        {
            _fetchAttempts.TryRemove(item.TxId, out _);
            return new OpenedBatch(item, null, $"its block {item.Cid} was not found in {store.Name} after {maxFetchAttempts} attempts", alerts.BlockMissing(item, store.Name, maxFetchAttempts));
        }

        _fetchAttempts.TryRemove(item.TxId, out _);
        try
        {
            IReadOnlyList<(LiveBatch Batch, byte[] Hash)>? live = null;
            IEnumerable<byte[]> encoded;
            if (AeadNonce.Read(sealedBatch)?.FixedField == AeadNonce.Purpose.Batch)
            {
                encoded = IotBatch.Open(sealedBatch, iotKey, item.Patient, item.Epoch, item.Batch).Frames;
            }
            else
            {
                var bundle = LiveBundle.Decode(sealedBatch);
                if (bundle.Patient != item.Patient || bundle.Epoch != item.Epoch)
                {
                    throw new ProtocolException(ProtocolError.InvalidField, "The live bundle names another patient or epoch than its IoT transaction.");
                }

                live = [.. bundle.SealedBatches.Select(b => (LiveBatch.Open(b, iotKey, item.Patient, item.Epoch), LiveBatch.Hash(b)))];
                encoded = live.SelectMany(l => l.Batch.Frames);
            }

            var frames = new List<DeviceFrame>();
            foreach (var bytes in encoded)
            {
                try
                {
                    frames.Add(DeviceFrame.Decode(bytes));
                }
                catch (ProtocolException e)
                {
                    log.LogWarning("A frame of IoT transaction {Tx} is malformed and left out: {Message}", item.TxId, e.Message);
                }
            }

            return new OpenedBatch(item, frames, null, null) { Live = live };
        }
        catch (Exception e) when (e is CryptoException or ProtocolException)
        {
            return new OpenedBatch(item, null, $"its batch does not decrypt or decode: {e.Message}", alerts.BatchDoesNotOpen(item, e is not CryptoException, store.Name, e.Message));
        }
    }
}
