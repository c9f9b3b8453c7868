namespace HealthBlock.Storage;

/// <summary>Limits every <see cref="IContentStore"/> enforces.</summary>
public static class ContentStoreLimits
{
    /// <summary>
    /// The largest block accepted: 1 MiB (1,048,576 bytes), the block size IPFS nodes accept and exchange by
    /// default. Size batches (including any encryption overhead) so that each block stays at or under it.
    /// </summary>
    public const int MaxBlockSize = 1024 * 1024;
}
