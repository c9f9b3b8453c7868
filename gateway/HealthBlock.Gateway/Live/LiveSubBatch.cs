namespace HealthBlock.Gateway.Live;

/// <summary>A live sub-batch the gateway sealed and offered to the broker.</summary>
/// <param name="Epoch">Its key epoch.</param>
/// <param name="Sequence">Its live sequence number.</param>
/// <param name="Hash">SHA-256 of the sealed bytes (what the period's root commits and alarms cite).</param>
/// <param name="SealedMs">When it was sealed.</param>
/// <param name="Published">False when the broker could not take it (the chain still carries it).</param>
public sealed record LiveSubBatch(uint Epoch, ulong Sequence, byte[] Hash, long SealedMs, bool Published);
