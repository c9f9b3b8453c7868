using HealthBlock.Ledger;

namespace HealthBlock.Gateway.Batching;

/// <summary>A batch the ledger refused for good: parked with its reason, not retried.</summary>
/// <param name="Batch">Batch number.</param>
/// <param name="Epoch">Key epoch it was sealed for.</param>
/// <param name="FrameCount">Frames in it.</param>
/// <param name="TransactionId">The refused IoT transaction (hex).</param>
/// <param name="Reason">The ledger's reason.</param>
/// <param name="Message">The ledger's message.</param>
public sealed record RefusedBatch(ulong Batch, uint Epoch, int FrameCount, string TransactionId, RejectReason Reason, string Message);
