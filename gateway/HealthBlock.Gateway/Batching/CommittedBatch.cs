using HealthBlock.Protocol.Content;
using HealthBlock.Ledger;

namespace HealthBlock.Gateway.Batching;

/// <summary>A batch whose IoT transaction is committed.</summary>
/// <param name="Batch">Batch number.</param>
/// <param name="Epoch">Key epoch.</param>
/// <param name="FrameCount">Frames in it.</param>
/// <param name="Cid">Where the ciphertext is stored.</param>
/// <param name="TransactionId">The IoT transaction id (hex).</param>
/// <param name="Location">Where it committed.</param>
/// <param name="OldestReceivedMs">When the gateway received its oldest frame.</param>
public sealed record CommittedBatch(ulong Batch, uint Epoch, int FrameCount, Cid Cid, string TransactionId, TxLocation Location, long OldestReceivedMs);
