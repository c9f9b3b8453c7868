namespace HealthBlock.Gateway.Admin;

/// <summary>A batch the gateway parked instead of publishing (the ledger refused it for good, or its journal rows were altered).</summary>
/// <param name="Batch">The batch number.</param>
/// <param name="Epoch">The epoch it was sealed for.</param>
/// <param name="Frames">Its frames.</param>
/// <param name="Reason">Why it was parked.</param>
/// <param name="ParkedMs">When it was parked (Unix ms).</param>
/// <param name="FramesHeld">How many of its frames still hold their readings (sealed at rest); 0 once dropped.</param>
public sealed record ParkedBatch(ulong Batch, uint Epoch, long Frames, string Reason, long ParkedMs, long FramesHeld);
