namespace HealthBlock.Accounting;

/// <summary>
/// When a follower suspects the leader of censoring a transaction it forwarded (see the node's censorship watch): after
/// <see cref="Blocks"/> blocks of the transaction's chain by the same leader without it, or after <see cref="Patience"/>
/// while that leader sealed at least <see cref="PatienceBlocks"/> blocks of either chain.
/// </summary>
public sealed class CensorshipWatchOptions
{
    /// <summary>
    /// Blocks of the transaction's chain one leader may seal without it before the follower alerts (default 64). A full
    /// leader queue (<see cref="AccountingOptions.MaxPendingTransactions"/> = 100,000 at
    /// <see cref="AccountingOptions.MaxBlockTransactions"/> = 2,000) drains in 50 blocks, so a backlog alone does not
    /// reach the default.
    /// </summary>
    public int Blocks { get; init; } = 64;

    /// <summary>How long a leader that keeps sealing blocks may leave the transaction out (default 60 s).</summary>
    public TimeSpan Patience { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Blocks (of either chain) the leader must have sealed within <see cref="Patience"/> for the time rule (default 4).</summary>
    public int PatienceBlocks { get; init; } = 4;

    /// <summary>Most transactions watched at once (default 4,096); the ones beyond are counted, not watched.</summary>
    public int MaxWatched { get; init; } = 4096;

    /// <summary>Throws <see cref="InvalidOperationException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (Blocks < 1 || PatienceBlocks < 1)
        {
            throw new InvalidOperationException("CensorshipWatch.Blocks and PatienceBlocks must be at least 1.");
        }

        if (Patience <= TimeSpan.Zero)
        {
            throw new InvalidOperationException("CensorshipWatch.Patience must be positive.");
        }

        if (MaxWatched < 0)
        {
            throw new InvalidOperationException("CensorshipWatch.MaxWatched must not be negative (0 turns the watch off).");
        }
    }
}
