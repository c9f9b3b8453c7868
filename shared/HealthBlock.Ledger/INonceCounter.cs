namespace HealthBlock.Ledger;

/// <summary>
/// Where a signer's transaction nonces come from. A signer that restarts or shares its identity with another process
/// keeps the counter where it survives (a database); <see cref="MemoryNonceCounter"/> counts in memory.
/// </summary>
/// <remarks>Implementations are safe for concurrent use: two takes never return the same nonce.</remarks>
public interface INonceCounter
{
    /// <summary>Takes the next nonce (never returned again).</summary>
    ulong Take();

    /// <summary>Raises the counter so that the next nonce taken is above <paramref name="lastUsed"/>; never lowers it.</summary>
    void RaiseTo(ulong lastUsed);
}
