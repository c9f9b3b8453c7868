namespace HealthBlock.Web.Ecg;

/// <summary>How a <see cref="RecordArchive"/> reads and caches.</summary>
public sealed record RecordArchiveOptions
{
    /// <summary>Most ECG samples kept decrypted in memory (2 bytes each); least recently used batches go first. Default: 48 h of one 250 Hz device.</summary>
    public long MaxCachedSamples { get; init; } = 48L * 3600 * 250;

    /// <summary>The ledger is asked for new batches at most this often.</summary>
    public TimeSpan IndexRefresh { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Batches fetched and opened at once.</summary>
    public int OpenConcurrency { get; init; } = 8;

    /// <summary>The clock (index refresh).</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
}
