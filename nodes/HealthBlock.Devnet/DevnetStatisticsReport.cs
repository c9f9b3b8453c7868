namespace HealthBlock.Devnet;

/// <summary>What <c>devnet --stats</c> reports: the cohort's mean heart rate as the statistics node decrypted it, and as computed in the clear from the same frames.</summary>
public sealed record DevnetStatisticsReport
{
    /// <summary>Patients in the cohort.</summary>
    public int Patients { get; init; }

    /// <summary>Contributions (patient-periods) summed.</summary>
    public long Contributions { get; init; }

    /// <summary>The k the cohort was checked against.</summary>
    public uint K { get; init; }

    /// <summary>RR intervals the mean rests on.</summary>
    public long RrIntervals { get; init; }

    /// <summary>The mean heart rate (bpm) the statistics node decrypted, or null when refused or without readings.</summary>
    public double? CohortHeartRateBpm { get; init; }

    /// <summary>The mean heart rate (bpm) computed in the clear from the committed IoT batches of the same periods.</summary>
    public double? ClearHeartRateBpm { get; init; }

    /// <summary>RR intervals the clear figure rests on.</summary>
    public long ClearRrIntervals { get; init; }

    /// <summary>Frames the chain commits after a later frame of the same device (the clear side puts them back in order).</summary>
    public long FramesCommittedOutOfOrder { get; init; }

    /// <summary>The decryption record's transaction id, or empty.</summary>
    public string Record { get; init; } = "";

    /// <summary>Why the statistics node refused, or null.</summary>
    public string? Refused { get; init; }

    /// <summary>
    /// True when the node answered and its figure equals the clear one to the encoding's resolution: the same number of
    /// RR intervals and the same mean (60,000 × count ÷ sum of whole milliseconds, so the same sum).
    /// </summary>
    public bool Matches => Refused is null && RrIntervals == ClearRrIntervals && CohortHeartRateBpm is { } c && ClearHeartRateBpm is { } p && Math.Abs(c - p) < 1e-9;
}
