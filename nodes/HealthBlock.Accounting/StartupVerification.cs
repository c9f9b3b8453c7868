namespace HealthBlock.Accounting;

/// <summary>How much of its stored chains an accounting node checks when it starts.</summary>
public enum StartupVerification
{
    /// <summary>Every stored block: links, Merkle roots, proposer and transaction signatures, the tips.</summary>
    Full,

    /// <summary>
    /// Only the blocks above the on-disk transaction index (those applied since the last snapshot) and the tips: a
    /// restart then costs what the chain grew since the last snapshot, not the whole chain.
    /// </summary>
    Tail,
}
